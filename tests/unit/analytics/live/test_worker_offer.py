"""Offering packets to a channel's worker never waits: when its inbox is full (the worker is
behind) the packet is dropped and counted, and so is every packet after it up to the next
keyframe. The process is not started here: its inbox, a real multiprocessing queue, is drained by
the test instead."""

from __future__ import annotations

from pathlib import Path

from vigil.analytics.live.messages import PacketIn
from vigil.analytics.live.worker import INBOX, ChannelWorker, WorkerSetup


def packet(k: int, keyframe: bool = False) -> PacketIn:
    return PacketIn("h264", k * 9000, keyframe, b"\x00\x00\x00\x01" + bytes([k % 256]), float(k))


def test_a_full_inbox_drops_up_to_the_next_keyframe(tmp_path: Path) -> None:
    worker = ChannelWorker("34010400001320000008", WorkerSetup(data_dir=tmp_path, fps=5.0))
    try:
        assert all(worker.offer(packet(k, keyframe=k == 0)) for k in range(INBOX))
        assert not worker.offer(packet(INBOX))  # full: dropped
        for _ in range(10):
            worker.inbox.get(timeout=1.0)  # the worker catches up a little
        assert not worker.offer(packet(INBOX + 1))  # room, but the chain is broken
        assert worker.offer(packet(INBOX + 2, keyframe=True))
        assert worker.offer(packet(INBOX + 3))
        assert worker.dropped == 2
    finally:
        worker.close()
