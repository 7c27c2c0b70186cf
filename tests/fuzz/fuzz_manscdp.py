"""Fuzz target: MANSCDP decode and peek_cmd either succeed or raise ManscdpError, nothing else."""

import contextlib
import sys

import atheris

with atheris.instrument_imports():
    from vigil.protocols.errors import ManscdpError
    from vigil.protocols.manscdp import decode, encode, peek_cmd

SEED_PREFIX = b'<?xml version="1.0" encoding="GB2312"?>\n'


def test_one_input(data: bytes) -> None:
    for body in (data, SEED_PREFIX + data):
        with contextlib.suppress(ManscdpError):
            peek_cmd(body)
        try:
            message = decode(body)
        except ManscdpError:
            continue
        # Whatever we accept we must be able to say back, and read back the same.
        assert decode(encode(message, "GB18030")) == message


def main() -> None:
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
