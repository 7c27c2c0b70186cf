"""Query strings never reach the log: live and playback URLs carry their view's token there.

:class:`QueryStringRedaction` is a filter on the log handler (:func:`vigil.logs.setup_logging`),
so it sees every record that is written, Vigil's and its libraries' alike: uvicorn's WebSocket
lines (``"WebSocket /api/v1/live/…/ws?token=…" [accepted]``), an access log if one is turned on,
errors and their tracebacks. In the message, in string ``extra`` values and in the traceback text
it cuts the query off every path or URL, ``/live/x/ws?token=…`` becoming ``/live/x/ws``.
"""

from __future__ import annotations

import logging
import re

__all__ = ["QueryStringRedaction", "redact"]

# A path (or the path of a URL) followed by "?" and the query, up to a space or a quote.
_QUERY = re.compile(r"(/[^\s?\"'<>]*)\?[^\s\"'<>]*")
_STANDARD = frozenset(logging.makeLogRecord({}).__dict__) | {"message", "asctime"}


def redact(text: str) -> str:
    """``text`` with the query string of every path or URL in it removed."""
    return _QUERY.sub(r"\1", text) if "?" in text else text


class QueryStringRedaction(logging.Filter):
    """A logging filter that strips query strings (which may hold tokens) from log records."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except (TypeError, ValueError):  # a bad format: logging reports it; leave it be
            return True
        redacted = redact(message)
        if redacted != message:
            record.msg, record.args = redacted, None
        for key, value in record.__dict__.items():
            if key not in _STANDARD and isinstance(value, str) and "?" in value:
                setattr(record, key, redact(value))
        if record.exc_info and not record.exc_text:
            record.exc_text = redact(logging.Formatter().formatException(record.exc_info))
        return True
