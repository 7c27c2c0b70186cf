"""Log lines carry no raw control characters, whatever a peer put into a message or a value."""

from __future__ import annotations

import logging
import sys

from vigil.logs import KeyValueFormatter

FORMAT = "%(levelname)s %(name)s %(message)s"


def line(message: str, *args: object, exc: bool = False, **extra: object) -> str:
    info = sys.exc_info() if exc else None
    record = logging.LogRecord("vigil.test", logging.WARNING, __file__, 1, message, args, info)
    record.__dict__.update(extra)
    return KeyValueFormatter(FORMAT).format(record)


def test_controls_in_message_arguments_and_extras_are_escaped() -> None:
    text = line(
        "refused %s", "/a\x00b\nFAKE INFO admin logged in\x1b[2J", path="/a\x00b", peer="x y\r"
    )
    assert not any(ord(c) < 32 or ord(c) == 127 for c in text)
    assert "/a\\x00b\\nFAKE INFO admin logged in\\x1b[2J" in text
    assert "path=/a\\x00b" in text
    assert "peer='x y\\r'" in text


def test_traceback_keeps_its_lines_but_not_other_controls() -> None:
    try:
        raise ValueError("bad \x00 value")
    except ValueError:
        text = line("failed", exc=True)
    assert "\n" in text and "Traceback" in text
    assert "\x00" not in text and "bad \\x00 value" in text
