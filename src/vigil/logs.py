"""Structured log lines: ``time level logger message key=value …``.

Anything passed in ``extra=`` (device_id, channel_id, peer, …) is appended as key=value pairs,
so every line about a device can be grepped by its ID. No line carries a query string
(:mod:`vigil.log_redaction`: video URLs hold tokens there).
"""

from __future__ import annotations

import logging
import sys

from vigil.log_redaction import QueryStringRedaction

__all__ = ["setup_logging"]

_STANDARD = frozenset(logging.makeLogRecord({}).__dict__) | {"message", "asctime", "color_message"}


class KeyValueFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line = super().format(record)
        extras = " ".join(
            f"{key}={value!r}" if isinstance(value, str) and " " in value else f"{key}={value}"
            for key, value in record.__dict__.items()
            if key not in _STANDARD and not key.startswith("_")
        )
        return f"{line} {extras}" if extras else line


def setup_logging(level: str = "INFO") -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(KeyValueFormatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
    handler.addFilter(QueryStringRedaction())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
