"""Fuzz the PS side: header parsers raise only PsError; the demuxer never raises at all."""

import contextlib
import sys

import atheris

with atheris.instrument_imports():
    from vigil.protocols.errors import PsError, RtpError
    from vigil.protocols.ps import (
        PackHeader,
        PesPacket,
        ProgramStreamMap,
        PsDemuxer,
        PsFromRtp,
        SystemHeader,
    )

PARSERS = (PackHeader.parse, SystemHeader.parse, ProgramStreamMap.parse, PesPacket.parse)
CODES = (0xBA, 0xBB, 0xBC, 0xE0)


def test_one_input(data: bytes) -> None:
    if not data:
        return
    selector = data[0]
    body = data[1:]
    parse = PARSERS[selector % len(PARSERS)]
    with contextlib.suppress(PsError):
        parse(b"\x00\x00\x01" + bytes((CODES[selector % len(CODES)],)) + body)
    demuxer = PsDemuxer(max_frame_size=1 << 16)
    step = 1 + selector % 97
    for at in range(0, len(body), step):
        demuxer.feed(body[at : at + step])
        if selector & 0x80 and at % 3 == 0:
            demuxer.end_of_frame()
    if selector & 0x40:
        demuxer.lost()
    demuxer.flush()
    receiver = PsFromRtp()
    with contextlib.suppress(RtpError):
        receiver.push(body)


def main() -> None:
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
