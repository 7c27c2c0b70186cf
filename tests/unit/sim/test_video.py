"""The GOP loop: frame count, keyframes where seeks land, bitrate near the request, and a
streamer that paces it in real time with growing timestamps."""

from __future__ import annotations

import asyncio
import itertools

import av
import numpy as np
import pytest

from tests.waiting import until
from vigil.protocols.ps import PsFromRtp
from vigil.sim import DeviceConfig
from vigil.sim.streamer import Streamer
from vigil.sim.video import GopLoop, VideoSpec, encode_loop, shared_loop

SPEC = VideoSpec(width=320, height=180, bitrate=400_000, loop_seconds=2.0, gop_seconds=0.4)


@pytest.fixture(scope="module")
def gop() -> GopLoop:
    return encode_loop(SPEC)


def test_loop_shape(gop: GopLoop) -> None:
    assert len(gop.frames) == 50
    assert [i for i, f in enumerate(gop.frames) if f.keyframe] == [0, 10, 20, 30, 40]
    assert all(f.data.startswith((b"\x00\x00\x00\x01", b"\x00\x00\x01")) for f in gop.frames)
    assert 0.5 * SPEC.bitrate < gop.bitrate < 2 * SPEC.bitrate
    assert gop.frame_ticks == 3600


def test_seek_lands_on_a_keyframe(gop: GopLoop) -> None:
    for n in range(0, 200, 7):
        start = gop.keyframe_at_or_before(n)
        assert start <= n and gop.frame(start).keyframe
        assert n - start < SPEC.gop_frames


def test_spec_rejects_nonsense() -> None:
    with pytest.raises(ValueError):
        VideoSpec(codec="vp9")  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        VideoSpec(width=321)
    with pytest.raises(ValueError):
        VideoSpec(loop_seconds=2.0, gop_seconds=0.76)


async def test_shared_loop_encodes_once() -> None:
    spec = VideoSpec(width=160, height=96, bitrate=200_000)
    first, second = await asyncio.gather(shared_loop(spec), shared_loop(spec))
    assert first is second
    assert await shared_loop(spec) is first


class ListSink:
    def __init__(self) -> None:
        self.frames: list[tuple[float, list[bytes]]] = []
        self.closed = False

    def send(self, packets: list[bytes]) -> None:
        self.frames.append((asyncio.get_running_loop().time(), packets))

    async def drain(self) -> None:
        return None

    def close(self) -> None:
        self.closed = True


async def test_streamer_paces_and_ends(gop: GopLoop) -> None:
    sink = ListSink()
    ended: list[bool] = []
    streamer = Streamer(
        gop, sink, ssrc=7, pts_base=1000, duration=1.2, speed=2.0, on_end=ended.append
    )
    began = asyncio.get_running_loop().time()
    streamer.start()
    async with asyncio.timeout(3):
        while not ended:
            await asyncio.sleep(0.01)
    took = asyncio.get_running_loop().time() - began
    assert ended == [True]
    assert len(sink.frames) == 30  # 1.2 s at 25 fps
    assert 0.5 < took < 0.9  # at twice real time
    depacketizer = PsFromRtp()
    units = [u for _, packets in sink.frames for p in packets for u in depacketizer.push(p)]
    units += depacketizer.flush()
    assert [u.pts for u in units] == [1000 + 3600 * i for i in range(30)]
    assert [u.data for u in units] == [gop.frame(i).data for i in range(30)]
    await streamer.stop()
    assert sink.closed


async def test_streamer_pause_and_seek(gop: GopLoop) -> None:
    sink = ListSink()
    streamer = Streamer(gop, sink, ssrc=7)
    streamer.start()
    await until(lambda: len(sink.frames) >= 5, "frames flowing")
    streamer.pause()
    await asyncio.sleep(0.05)
    count = len(sink.frames)
    await asyncio.sleep(0.3)
    assert len(sink.frames) == count and streamer.paused
    streamer.play(position=1.3)  # frame 32/33: restarts at the keyframe 30
    assert streamer.position == 30 / SPEC.fps
    sent = len(sink.frames)
    await until(lambda: len(sink.frames) > sent, "frames again after play", 5)
    await streamer.stop()


def _decoded(loop: GopLoop) -> list[np.ndarray]:
    decoder = av.CodecContext.create("h264", "r")
    return [
        f.to_ndarray(format="gray").astype(np.int16)
        for frame in loop.frames
        for f in decoder.decode(av.Packet(frame.data))
    ]


def _change(pictures: list[np.ndarray]) -> float:
    """Mean absolute change between consecutive pictures, the worst pair."""
    return max(float(np.abs(b - a).mean()) for a, b in itertools.pairwise(pictures))


def test_frozen_and_black_pictures_decode_as_such(gop: GopLoop) -> None:
    frozen, black = encode_loop(SPEC, "frozen"), encode_loop(SPEC, "black")
    assert len(frozen.frames) == len(black.frames) == SPEC.loop_frames
    assert frozen.frames[0].keyframe and black.frames[0].keyframe
    assert max(int(p.max()) for p in _decoded(black)) < 40
    # the normal loop's noise changes every frame; the frozen one's picture does not
    assert _change(_decoded(gop)) > 4.0
    assert _change(_decoded(frozen)) == 0.0


async def test_streamer_switches_picture_at_the_next_keyframe(gop: GopLoop) -> None:
    black = encode_loop(SPEC, "black")
    sink = ListSink()
    ended: list[bool] = []
    streamer = Streamer(gop, sink, ssrc=7, duration=1.0, speed=4.0, on_end=ended.append)
    streamer.start()
    while len(sink.frames) < 3:
        await asyncio.sleep(0.005)
    streamer.switch(black)
    async with asyncio.timeout(3):
        while not ended:
            await asyncio.sleep(0.01)
    depacketizer = PsFromRtp()
    units = [u for _, packets in sink.frames for p in packets for u in depacketizer.push(p)]
    units += depacketizer.flush()
    switched = next(i for i, u in enumerate(units) if u.data == black.frame(i).data)
    assert switched % SPEC.gop_frames == 0 and switched > 0
    assert [u.data for u in units[:switched]] == [gop.frame(i).data for i in range(switched)]
    assert [u.data for u in units[switched:]] == [
        black.frame(i).data for i in range(switched, len(units))
    ]
    with pytest.raises(ValueError):
        streamer.switch(encode_loop(VideoSpec(width=160, height=96)))
    await streamer.stop()


def test_a_channel_may_send_other_video_than_its_device() -> None:
    d1 = VideoSpec(width=704, height=576, bitrate=600_000)
    config = DeviceConfig(
        device_id="34010400001180000001",
        server=("127.0.0.1", 5060),
        password="x",
        channel_video={"34010400001320000008": d1},
    )
    assert config.video_of("34010400001320000008") is d1
    assert config.video_of("34010400001320000001") == config.video == VideoSpec()
