"""Named queries: every SQL statement outside the models lives here, one family per module."""
