"""A footage loop: its spec follows the clip (whole GOPs), it is encoded once and read from the
cache after, its pictures are the clip's, its seam decodes, and what cannot be had says why."""

from __future__ import annotations

from pathlib import Path

import av
import numpy as np
import pytest

import vigil.sim.footage as footage_module
from tests.unit.sim.footage import (
    MIN_PSNR,
    VTEST,
    make_clip,
    needs_vtest,
    psnr,
    source_frames,
)
from vigil.sim import Footage, FootageError
from vigil.sim.video import GopLoop, VideoSpec, encode_loop


def decode(loop: GopLoop, numbers: list[int]) -> list[np.ndarray]:
    """Decode loop frames ``numbers`` in that order with one decoder, as a viewer would."""
    context = av.CodecContext.create("h264", "r")
    pictures: list[av.VideoFrame] = []
    for n in numbers:
        pictures += context.decode(av.Packet(loop.frame(n).data))
    pictures += context.decode(None)
    return [p.to_ndarray(format="rgb24") for p in pictures]


def test_the_spec_is_the_clips_size_rate_and_whole_gops(tmp_path: Path) -> None:
    clip = make_clip(tmp_path / "clip.avi", 47, fps=10, size=(162, 120))
    spec = VideoSpec.of_footage(Footage(clip, tmp_path / "cache"))
    assert (spec.width, spec.height, spec.fps) == (162, 120, 10)
    assert (spec.gop_frames, spec.loop_frames) == (10, 40)  # 47 frames: four whole GOPs
    excerpt = VideoSpec.of_footage(Footage(clip, tmp_path / "cache", seconds=2.5))
    assert excerpt.loop_frames == 20
    assert excerpt != spec  # equal specs share a loop; these must not


@needs_vtest
def test_vtest_plays_as_79_seconds_of_d1_sized_video(tmp_path: Path) -> None:
    spec = VideoSpec.of_footage(Footage(VTEST, tmp_path))
    assert (spec.width, spec.height, spec.fps, spec.loop_frames) == (768, 576, 10, 790)
    assert not (tmp_path / "footage").exists()  # reading the header encodes nothing


def test_encoded_once_then_read_from_the_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    clip = make_clip(tmp_path / "clip.avi", 30)
    spec = VideoSpec.of_footage(Footage(clip, tmp_path / "cache"), bitrate=300_000)
    first = encode_loop(spec)
    [cached] = (tmp_path / "cache").iterdir()
    assert cached.suffix == ".h264" and cached.stat().st_size == sum(
        len(f.data) for f in first.frames
    )
    assert [i for i, f in enumerate(first.frames) if f.keyframe] == [0, 10, 20]

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("encoded again")

    monkeypatch.setattr(footage_module, "_encode", refuse)
    assert encode_loop(spec).frames == first.frames


def test_a_broken_cache_is_encoded_again(tmp_path: Path) -> None:
    clip = make_clip(tmp_path / "clip.avi", 20)
    spec = VideoSpec.of_footage(Footage(clip, tmp_path / "cache"), bitrate=300_000)
    first = encode_loop(spec)
    [cached] = (tmp_path / "cache").iterdir()
    cached.write_bytes(cached.read_bytes()[: cached.stat().st_size // 3])  # cut short
    assert encode_loop(spec).frames == first.frames
    assert cached.stat().st_size == sum(len(f.data) for f in first.frames)


def test_the_pictures_are_the_clips_and_the_seam_decodes(tmp_path: Path) -> None:
    clip = make_clip(tmp_path / "clip.avi", 20)
    loop = encode_loop(VideoSpec.of_footage(Footage(clip, tmp_path / "cache"), bitrate=400_000))
    sources = source_frames(clip, 20)
    # The last GOP, then the loop again from its first frame: one decoder, no break.
    pictures = decode(loop, list(range(10, 20)) + list(range(0, 10)))
    assert len(pictures) == 20
    for picture, n in zip(pictures, list(range(10, 20)) + list(range(10)), strict=True):
        assert psnr(picture, sources[n]) > MIN_PSNR, n


@needs_vtest
def test_vtest_frames_come_back_as_they_were(tmp_path: Path) -> None:
    loop = encode_loop(VideoSpec.of_footage(Footage(VTEST, tmp_path, seconds=3.0)))
    sources = source_frames(VTEST, 30)
    pictures = decode(loop, list(range(30)))
    for n in (0, 9, 10, 29):
        assert psnr(pictures[n], sources[n]) > MIN_PSNR, n
    # The bar is not met by any picture of this moving scene: a frame from half a second
    # away scores lower against the source.
    assert psnr(pictures[25], sources[20]) < MIN_PSNR


def test_frozen_footage_repeats_its_first_keyframe(tmp_path: Path) -> None:
    clip = make_clip(tmp_path / "clip.avi", 20)
    spec = VideoSpec.of_footage(Footage(clip, tmp_path / "cache"), bitrate=300_000)
    frozen = encode_loop(spec, "frozen")
    assert set(frozen.frames) == {encode_loop(spec).frames[0]}
    assert len(encode_loop(spec, "black").frames) == spec.loop_frames


def test_what_cannot_be_had_says_why(tmp_path: Path) -> None:
    with pytest.raises(FootageError, match=r"nothing\.avi"):
        VideoSpec.of_footage(Footage(tmp_path / "nothing.avi", tmp_path))
    (tmp_path / "text.avi").write_text("not a video")
    with pytest.raises(FootageError, match=r"text\.avi"):
        VideoSpec.of_footage(Footage(tmp_path / "text.avi", tmp_path))
    clip = make_clip(tmp_path / "clip.avi", 12)
    with pytest.raises(FootageError, match="not one GOP"):
        VideoSpec.of_footage(Footage(clip, tmp_path, seconds=0.5))
    with pytest.raises(ValueError, match="h264"):
        VideoSpec(codec="h265", footage=Footage(clip, tmp_path))
