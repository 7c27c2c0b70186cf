"""Loopback ports for servers a test starts, never the same in two workers of one run.

A port from ``bind(("127.0.0.1", 0))`` comes from the kernel's ephemeral range, the range every
outgoing connection also draws from, and nothing keeps a second process (another pytest-xdist
worker, or a client socket) from being handed the same port between the moment a test reads it
and the moment its server binds it. So ports here come from a block of their own per worker,
below the ephemeral range (32768 and up) and below the RTP ranges tests give a node (30000 and
up): workers of one run get different blocks (the run's ID, shared by its workers, picks where
the blocks start and where in its block each walk begins, so two runs side by side most likely
differ too), and a worker walks its block once before it reuses a port. A port is handed out only
if it binds on both UDP and TCP right now, since a SIP port takes both.
"""

from __future__ import annotations

import itertools
import os
import socket
import zlib
from collections.abc import Iterator

LOW = 10_000
HIGH = 30_000  # exclusive: the RTP ranges in tests start at 30000
BLOCK = 1_000
BLOCKS = (HIGH - LOW) // BLOCK


def _worker_index() -> int:
    """0 for ``gw0`` (or a run without workers), 1 for ``gw1``, and so on."""
    name = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
    digits = name.removeprefix("gw")
    return int(digits) if digits.isdigit() else 0


def _run_seed() -> int:
    """The same number in every worker of one run; without xdist, this process's."""
    run = os.environ.get("PYTEST_XDIST_TESTRUNUID") or str(os.getpid())
    return zlib.crc32(run.encode())


def _block_start() -> int:
    return LOW + BLOCK * ((_run_seed() + _worker_index()) % BLOCKS)


_START = _block_start()
# Where in the block the walk begins also depends on the run, so two runs that drew the same
# block most likely walk different stretches of it.
_OFFSET = (_run_seed() // BLOCKS) % BLOCK
_ORDER: list[int] = [*range(_START + _OFFSET, _START + BLOCK), *range(_START, _START + _OFFSET)]
_NEXT: Iterator[int] = itertools.cycle(_ORDER)


def binds(port: int) -> bool:
    """Whether ``port`` is free on 127.0.0.1 for both UDP and TCP right now."""
    for kind in (socket.SOCK_DGRAM, socket.SOCK_STREAM):
        with socket.socket(socket.AF_INET, kind) as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                return False
    return True


def free_port() -> int:
    """A port of this worker's block that is free on 127.0.0.1 for both UDP and TCP."""
    for _ in range(BLOCK):
        port: int = next(_NEXT)
        if binds(port):
            return port
    raise RuntimeError(f"no free port in {_START}-{_START + BLOCK - 1}")


#: RTP ranges for nodes a test runs as processes: a band per worker above the SIP and HTTP blocks.
RTP_LOW = 40_000
RTP_BAND = 4_000
RTP_SPAN = 200


def rtp_range() -> str:
    """A ``VIGIL_RTP_PORTS`` range of this worker's band, a different one most calls: nodes that
    run side by side (a session's demo beside a test's) would otherwise all start at the
    default's first port and, each skipping the others' ports only a few times, run out. (The
    band lies in the kernel's ephemeral range: a port an outgoing connection holds is one the
    node's port pool skips.)"""
    band = RTP_LOW + RTP_BAND * (_worker_index() % 4)
    low = band + RTP_SPAN * next(_RTP_SLOTS)
    return f"{low}-{low + RTP_SPAN - 1}"


_RTP_SLOTS: Iterator[int] = itertools.cycle(
    [
        *range(_OFFSET % (RTP_BAND // RTP_SPAN), RTP_BAND // RTP_SPAN),
        *range(_OFFSET % (RTP_BAND // RTP_SPAN)),
    ]
)
