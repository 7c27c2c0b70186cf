"""The media plane: receive, fan out, record and serve video without transcoding."""
