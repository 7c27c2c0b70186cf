"""Packets decoded with PyAV (H.264 encoded here by libx264), each picture stamped with its
packet's arrival; a decoder starts only at a keyframe."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import av
import numpy as np

from vigil.analytics.live.decoding import PacketDecoder
from vigil.analytics.live.messages import PacketIn

T0 = 1_700_000_000.0


def encoded(count: int) -> list[PacketIn]:
    encoder = av.CodecContext.create("libx264", "w")
    assert isinstance(encoder, av.VideoCodecContext)
    encoder.width, encoder.height, encoder.pix_fmt = 160, 120, "yuv420p"
    encoder.time_base = Fraction(1, 10)
    encoder.options = {"tune": "zerolatency", "bf": "0", "g": "5"}
    packets: list[Any] = []
    for k in range(count):
        picture = av.VideoFrame.from_ndarray(np.full((120, 160, 3), k * 10, np.uint8), "rgb24")
        picture.pts = k
        packets += encoder.encode(picture.reformat(format="yuv420p"))
    packets += encoder.encode(None)
    return [
        PacketIn(
            "h264", int(p.pts or 0) * 9000, p.is_keyframe, bytes(p), T0 + int(p.pts or 0) * 0.1
        )
        for p in packets
    ]


def test_every_picture_is_decoded_with_its_arrival_time() -> None:
    decoder = PacketDecoder()
    stamps = [stamp for packet in encoded(12) for stamp, _ in decoder.decode(packet)]
    assert len(stamps) >= 11  # the last may wait in the decoder for a flush
    assert stamps == [T0 + k * 0.1 for k in range(len(stamps))]
    assert decoder.errors == 0


def test_a_decoder_waits_for_a_keyframe() -> None:
    packets = encoded(12)
    decoder = PacketDecoder()
    late = packets[1:]  # joined after the first keyframe
    first_key = next(k for k, p in enumerate(late) if p.keyframe)
    stamps = [stamp for packet in late for stamp, _ in decoder.decode(packet)]
    assert stamps and stamps[0] == late[first_key].arrival
