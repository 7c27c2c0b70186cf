"""Fuzz the SIP datagram parser and the TCP stream framer: parse or SipError, nothing else.

Each input is also read back through the typed views a server touches on every message (Via,
From, To, CSeq, Contact), since they parse header text lazily and face the same peer, and every
request that parses must be answerable (``make_response`` never raises on it).
"""

from __future__ import annotations

import contextlib
import sys

import atheris

with atheris.instrument_imports():
    from vigil.protocols.errors import SipError
    from vigil.protocols.sip import (
        SipMessage,
        SipRequest,
        StreamParser,
        make_response,
        parse_message,
    )


def _touch(message: SipMessage) -> None:
    for view in ("via", "from_", "to", "cseq", "contact", "branch"):
        with contextlib.suppress(SipError):
            getattr(message, view)
    assert parse_message(bytes(message)) == message
    if isinstance(message, SipRequest):
        # A request that parses can be answered: the server's 4xx must never raise.
        make_response(message, 400)


def test_one_input(data: bytes) -> None:
    with contextlib.suppress(SipError):
        _touch(parse_message(data))
    parser = StreamParser()
    cut = len(data) // 2
    try:
        for chunk in (data[:cut], data[cut:]):
            for message in parser.feed(chunk):
                _touch(message)
    except SipError:
        pass


def main() -> None:
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
