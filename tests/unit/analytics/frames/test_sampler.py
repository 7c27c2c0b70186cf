"""Sampled decoding on a clip made here (20 frames at 10 fps, a keyframe every 5): N fps, chosen
frame numbers, keyframes only; every frame is decoded, only the sampled ones are kept."""

from __future__ import annotations

from pathlib import Path

import av
import numpy as np
import pytest

from vigil.analytics.frames.sampler import FrameSampler


@pytest.fixture(scope="module")
def clip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("clip") / "clip.mp4"
    with av.open(str(path), "w") as container:
        stream = container.add_stream("libx264", rate=10, options={"g": "5", "bf": "0"})
        stream.width, stream.height, stream.pix_fmt = 64, 48, "yuv420p"
        for k in range(20):
            image = np.full((48, 64, 3), k * 12, np.uint8)  # brightness tells the frame apart
            for packet in stream.encode(av.VideoFrame.from_ndarray(image, format="rgb24")):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)
    return path


def test_five_fps_of_ten_takes_every_other_frame(clip: Path) -> None:
    sampler = FrameSampler(clip, fps=5)
    frames = list(sampler)
    assert [f.index for f in frames] == list(range(0, 20, 2))
    assert (sampler.decoded, sampler.sampled) == (20, 10)
    assert frames[3].time == pytest.approx(0.6)
    assert frames[3].image.shape == (48, 64, 3)
    assert abs(int(frames[3].image.mean()) - 6 * 12) <= 4


def test_chosen_frames_only_and_decoding_stops_after_the_last(clip: Path) -> None:
    sampler = FrameSampler(clip, frames=frozenset({3, 7}))
    assert [f.index for f in sampler] == [3, 7]
    assert sampler.decoded == 8


def test_keyframes_only(clip: Path) -> None:
    sampler = FrameSampler(clip, fps=None, keyframes_only=True)
    assert [f.index for f in sampler] == [0, 5, 10, 15]


def test_from_a_start_time(clip: Path) -> None:
    assert [f.index for f in FrameSampler(clip, fps=5, start=1.0)] == [10, 12, 14, 16, 18]
