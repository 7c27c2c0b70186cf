"""Privacy masking without sockets: the blur of a region, and the transcoder that decodes a
camera's H.264/H.265, blurs the masked regions and encodes H.264 again (real PyAV/libx264)."""

from __future__ import annotations

import av
import numpy as np
import pytest
from numpy.typing import NDArray

from tests.textured_video import GOP, HEIGHT, LEFT_HALF, WIDTH, camera, textured
from vigil.media.masking import Masker, MaskingTranscoder, masked_frames
from vigil.media.masking.blur import mask_region
from vigil.media.packet import Codec, MediaPacket


def decoded_luma(packets: list[MediaPacket]) -> list[NDArray[np.uint8]]:
    decoder = av.CodecContext.create("h264", "r")
    frames = [f for p in packets for f in decoder.decode(av.Packet(p.data))]
    frames += decoder.decode(None)
    return [np.asarray(f.to_ndarray(format="gray"), np.uint8) for f in frames]


def test_region_covers_the_polygon_in_pixels() -> None:
    region = mask_region(WIDTH, HEIGHT, [LEFT_HALF])
    assert region[:, : WIDTH // 2 - 1].all()
    assert not region[:, WIDTH // 2 + 1 :].any()
    assert not mask_region(WIDTH, HEIGHT, []).any()


def test_masker_blurs_inside_and_leaves_outside_bit_exact() -> None:
    frame = av.VideoFrame.from_ndarray(textured(0), format="rgb24").reformat(format="yuv420p")
    before = frame.to_ndarray()
    after = Masker([LEFT_HALF]).apply(frame).to_ndarray()
    inside, outside = slice(8, WIDTH // 2 - 8), slice(WIDTH // 2 + 8, WIDTH)
    assert np.array_equal(after[:HEIGHT, outside], before[:HEIGHT, outside])
    original = float(before[:HEIGHT, inside].astype(np.float64).var())
    blurred = float(after[:HEIGHT, inside].astype(np.float64).var())
    assert original > 1000 and blurred < original / 50, (original, blurred)


@pytest.mark.parametrize("codec", [Codec.H264, Codec.HEVC])
def test_transcoder_masks_and_keeps_timing_and_keyframes(codec: Codec) -> None:
    source = camera(codec, 15)
    transcoder = MaskingTranscoder([LEFT_HALF])
    out = [masked for packet in source for masked in transcoder.feed(packet)]
    assert len(out) == len(source) and all(p.codec is Codec.H264 for p in out)
    assert [p.pts for p in out] == [p.pts for p in source]
    # Every keyframe of the camera's stream is one of the masked stream (joiners start there).
    assert {p.pts for p in source if p.keyframe} <= {p.pts for p in out if p.keyframe}
    assert out[0].keyframe and b"\x00\x00\x00\x01\x67" in out[0].data  # SPS in band
    lumas = decoded_luma(out)
    assert len(lumas) == len(source)
    for luma in lumas:
        masked = float(luma[:, 8 : WIDTH // 2 - 8].astype(np.float64).var())
        clear = float(luma[:, WIDTH // 2 + 8 :].astype(np.float64).var())
        assert clear > 1000 and masked < clear / 20, (masked, clear)


def test_audio_passes_through_and_garbage_is_skipped() -> None:
    transcoder = MaskingTranscoder([LEFT_HALF])
    audio = MediaPacket(Codec.AAC, 0, 0, True, b"\xff\xf1adts", 0.0)
    assert transcoder.feed(audio) == [audio]
    junk = MediaPacket(Codec.H264, 0, 0, False, b"\x00\x00\x00\x01\x41" + b"\x13" * 40, 0.0)
    assert transcoder.feed(junk) == []
    # The decoder still starts at the next keyframe.
    source = camera(Codec.H264, GOP)
    assert next(p for packet in source for p in transcoder.feed(packet)).keyframe


def test_masked_frames_flushes_the_last_pictures() -> None:
    source = camera(Codec.H264, 12)
    out = list(masked_frames(source, [LEFT_HALF]))
    assert len(decoded_luma(out)) == len(source)
