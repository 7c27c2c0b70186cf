"""Structured log lines: ``time level logger message key=value …``.

Anything passed in ``extra=`` (device_id, channel_id, peer, …) is appended as key=value pairs,
so every line about a device can be grepped by its ID. Messages and values often carry what a
peer sent (a path, a SIP header), so control characters in them are escaped (``\x00``, ``\n``):
a line can be neither cut short nor forged, nor carry terminal escapes. A traceback keeps its
line breaks. No line carries a query string (:mod:`vigil.log_redaction`: video URLs hold
tokens there).

A server holds its log lines while it starts (:class:`HeldLog`): when the start fails for a known
cause — a busy port, an unusable data dir, an unreachable database — the operator reads one
``vigil: …`` line that names it, not the lines that led there; once the server is up, the held
lines are written out in order and the rest follow as they come.
"""

from __future__ import annotations

import logging
import logging.handlers
import re
import sys
from types import TracebackType

from vigil.log_redaction import QueryStringRedaction

__all__ = ["HeldLog", "setup_logging"]

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


def _stderr() -> logging.Handler:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(KeyValueFormatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
    handler.addFilter(QueryStringRedaction())
    return handler


def setup_logging(level: str = "INFO") -> None:
    root = logging.getLogger()
    root.handlers[:] = [_stderr()]
    root.setLevel(level)


#: Held lines beyond this many are written out at once (a start this chatty is not quiet anyway).
_HOLD_AT_MOST = 10_000


class HeldLog:
    """Log records held in memory until :meth:`release` writes them out or :meth:`discard`
    drops them; either way the root logger then writes to standard error directly."""

    def __init__(self, level: str = "INFO") -> None:
        self._stderr = _stderr()
        self._held = logging.handlers.MemoryHandler(
            _HOLD_AT_MOST, flushLevel=logging.CRITICAL + 1, target=self._stderr, flushOnClose=False
        )
        root = logging.getLogger()
        root.handlers[:] = [self._held]
        root.setLevel(level)

    def release(self) -> None:
        self._held.flush()
        self._direct()

    def discard(self) -> None:
        self._held.acquire()
        try:
            self._held.buffer.clear()
        finally:
            self._held.release()
        self._direct()

    def _direct(self) -> None:
        logging.getLogger().handlers[:] = [self._stderr]
        self._held.close()
