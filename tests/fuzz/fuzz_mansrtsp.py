"""Fuzz the MANSRTSP parser: any bytes either parse (and then round-trip) or raise MansrtspError."""

from __future__ import annotations

import sys

import atheris

with atheris.instrument_imports():
    from vigil.protocols.errors import MansrtspError
    from vigil.protocols.mansrtsp import parse_mansrtsp


def test_one_input(data: bytes) -> None:
    try:
        request = parse_mansrtsp(data)
    except MansrtspError:
        return
    if parse_mansrtsp(bytes(request)) != request:
        raise AssertionError(f"round trip changed {data!r}")


def main() -> None:
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
