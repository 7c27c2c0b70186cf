"""Type stub for the C extension built from ``_accel.c`` (see :mod:`vigil.media.accel`)."""

import builtins
from collections.abc import Iterable

Run = tuple[bool, builtins.bytes, bool]

class RtpRuns:
    """One stream's RTP packets to runs of PS payload: parse, SSRC lock, reorder, join."""

    packets: int
    bytes: int
    malformed: int
    foreign: int
    gaps: int
    received: int
    lost: int
    duplicates: int
    reordered: int
    late: int
    restarts: int
    jitter: float
    def __init__(
        self, *, depth: int = 64, max_delay: float = 0.2, clock_rate: int = 90000
    ) -> None: ...
    @property
    def ssrc(self) -> int | None: ...
    @property
    def held(self) -> int: ...
    def push_batch(self, packets: Iterable[builtins.bytes], now: float, /) -> list[Run]: ...
    def flush(self) -> list[Run]: ...

def annexb_to_avcc(data: bytes | bytearray | memoryview, /) -> bytes: ...
def avcc_fragment(
    sequence: int,
    base_dts: int,
    duration: int,
    keyframe: bool,
    cts_offset: int,
    frame: builtins.bytes,
    /,
) -> builtins.bytes: ...
def ps_frame(
    run: builtins.bytes, need_pack: bool, max_frame: int, /
) -> (
    tuple[list[tuple[int, int | None, int | None, builtins.bytes]], list[builtins.bytes]] | None
): ...
def is_keyframe(stream_type: int, frame: builtins.bytes, /) -> bool: ...
def recv_datagrams(fd: int, limit: int, /) -> list[bytes]: ...
