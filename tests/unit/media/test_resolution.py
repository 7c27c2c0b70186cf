"""The picture size read from a keyframe's parameter sets, for both codecs cameras send."""

from __future__ import annotations

import pytest

from vigil.media.packet import Codec
from vigil.media.resolution import probe_size
from vigil.sim.video import VideoSpec, encode_loop


@pytest.mark.parametrize(
    ("codec", "name", "width", "height"),
    [("h264", Codec.H264, 640, 360), ("h265", Codec.HEVC, 1280, 720)],
)
def test_a_keyframe_tells_its_size(codec: str, name: Codec, width: int, height: int) -> None:
    spec = VideoSpec(codec=codec, width=width, height=height, fps=5, loop_seconds=1)  # type: ignore[arg-type]
    loop = encode_loop(spec)
    keyframe = loop.frames[0]
    assert keyframe.keyframe
    assert probe_size(name, keyframe.data) == (width, height)


def test_bytes_without_parameter_sets_tell_nothing() -> None:
    assert probe_size(Codec.H264, b"\x00\x00\x00\x01\x09\xf0") is None
    assert probe_size(Codec.H264, b"") is None
