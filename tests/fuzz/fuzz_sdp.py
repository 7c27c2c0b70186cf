"""Fuzz the SDP parser: any bytes either parse (and then round-trip) or raise SdpError."""

from __future__ import annotations

import sys

import atheris

with atheris.instrument_imports():
    from vigil.protocols.errors import SdpError
    from vigil.protocols.sdp import parse_sdp


def test_one_input(data: bytes) -> None:
    try:
        sdp = parse_sdp(data)
    except SdpError:
        return
    if parse_sdp(bytes(sdp)) != sdp:
        raise AssertionError(f"round trip changed {data!r}")


def main() -> None:
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
