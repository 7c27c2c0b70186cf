"""Structured log lines: ``time level logger message key=value …``.

Anything passed in ``extra=`` (device_id, channel_id, peer, …) is appended as key=value pairs,
so every line about a device can be grepped by its ID. Messages and values often carry what a
peer sent (a path, a SIP header), so control characters in them are escaped (``\x00``, ``\n``):
a line can be neither cut short nor forged, nor carry terminal escapes. A traceback keeps its
line breaks.
"""

from __future__ import annotations

import logging
import re
import sys
from types import TracebackType

__all__ = ["setup_logging"]

_STANDARD = frozenset(logging.makeLogRecord({}).__dict__) | {"message", "asctime", "color_message"}


_ExcInfo = tuple[type[BaseException], BaseException, TracebackType | None] | tuple[None, None, None]
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_CONTROL_BUT_NEWLINE = re.compile(r"[\x00-\x09\x0b-\x1f\x7f]")


def _escape(match: re.Match[str]) -> str:
    return repr(match.group())[1:-1]


def _clean(text: str, keep_newlines: bool = False) -> str:
    """``text`` with control characters written as escapes."""
    return (_CONTROL_BUT_NEWLINE if keep_newlines else _CONTROL).sub(_escape, text)


class KeyValueFormatter(logging.Formatter):
    def formatMessage(self, record: logging.LogRecord) -> str:
        return _clean(super().formatMessage(record))

    def formatException(self, ei: _ExcInfo) -> str:
        return _clean(super().formatException(ei), keep_newlines=True)

    def format(self, record: logging.LogRecord) -> str:
        line = super().format(record)
        extras = " ".join(
            f"{key}={value!r}" if isinstance(value, str) and " " in value else f"{key}={value}"
            for key, value in record.__dict__.items()
            if key not in _STANDARD and not key.startswith("_")
        )
        return f"{line} {_clean(extras)}" if extras else line


def setup_logging(level: str = "INFO") -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(KeyValueFormatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
