"""A recorder killed mid-segment (SIGKILL, no clean-up) loses at most its open segment: at the
next start the finished segments are intact and the interrupted one is indexed as far as it was
written. Runs on SQLite and PostgreSQL."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

from tests.integration.media.recording_synthetic import T0, feed, stream
from tests.integration.media.test_recording_hour import ffprobe
from vigil.app import Vigil
from vigil.config import Settings
from vigil.media.packet import Codec, StreamKey
from vigil.media.recording.index import utc
from vigil.media.recording.segment_file import file_sha256

KEY = StreamKey("34010000001320000001")
ROOT = Path(__file__).parents[3]

# Records 150 s (two closed segments, the third open at 120 s), says so, then waits to be killed.
CHILD = textwrap.dedent(
    """
    import asyncio, dataclasses, sys
    from tests.integration.media.recording_synthetic import stream
    from vigil.app import Vigil
    from vigil.config import load_settings
    from vigil.media.packet import Codec, StreamKey

    async def packets():
        # The parent's T0, not this process's: the two differ when the run crosses an hour.
        for packet in stream(Codec.H264, 150, start=float(sys.argv[1])):
            yield packet
        print("ready", flush=True)
        await asyncio.Event().wait()

    async def main():
        node = Vigil(load_settings())
        await node.start()
        node.recording.config = dataclasses.replace(node.recording.config, idle_close=3600)
        await (await node.recording.record(StreamKey("34010000001320000001"), packets()))

    asyncio.run(main())
    """
)


def run_and_kill(settings: Settings) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("VIGIL_")}
    env |= {
        "VIGIL_DATA_DIR": str(settings.data_dir),
        "VIGIL_DATABASE_URL": settings.db_url,
        "VIGIL_ADMIN_PASSWORD": "Correct-Horse-42",
        "PYTHONPATH": str(ROOT),
    }
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(T0)], env=env, cwd=ROOT, stdout=subprocess.PIPE, text=True
    )
    try:
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "ready"
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait(10)


async def test_kill_mid_segment_loses_at_most_the_open_segment(settings: Settings) -> None:
    run_and_kill(settings)
    root = settings.data_dir / "recordings"
    on_disk = sorted(root.rglob("*.mp4"))
    assert len(on_disk) == 3

    node = Vigil(settings)
    await node.start()  # recovery runs here
    try:
        index = node.recording.index
        rows = await index.segments(KEY.channel_id, utc(T0), utc(T0 + 3600))
        assert [(r.start, r.end) for r in rows[:2]] == [
            (utc(T0), utc(T0 + 60)),
            (utc(T0 + 60), utc(T0 + 120)),
        ]
        recovered = rows[2]
        assert recovered.start == utc(T0 + 120)
        # Written up to the last fragment: only the GOP in flight (2 s) may be lost.
        assert utc(T0 + 146) <= recovered.end <= utc(T0 + 150)
        for row in rows:
            path = root / row.path
            assert row.sha256 == file_sha256(path) and row.size == path.stat().st_size
            assert ffprobe(path)["codec_name"] == "h264"

        # Recording again: the time the recorder was down is a gap with its cause.
        task = await node.recording.record(
            KEY, feed(stream(Codec.H264, 20, start=T0 + 300, pts_start=10**7))
        )
        await task
        gaps = await index.gaps(KEY.channel_id, utc(T0), utc(T0 + 3600))
        assert [(g.start, g.end, g.cause) for g in gaps] == [
            (recovered.end, utc(T0 + 300), "recorder-stopped")
        ]
    finally:
        await node.stop()
