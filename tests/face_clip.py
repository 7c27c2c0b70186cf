"""A clip with a real face moving across a real photo, for the anonymised-export tests.

The astronaut's head (scikit-image's ``astronaut.png``: Eileen Collins, NASA, public domain) is
cut out, scaled to 90 × 114 and moved from left to right, bobbing, over scikit-image's
``coffee.png`` in :data:`FRAMES` pictures of 384 × 288 at :data:`FPS` (3 s), encoded by PyAV's
libx264 with a keyframe every :data:`GOP` pictures. Where the face is in each picture is known:
:func:`face_boxes` (the face hand-labelled in the photo, moved and scaled with the head).
"""

from __future__ import annotations

import functools
import math
from fractions import Fraction
from typing import Any

import av
import cv2
import numpy as np
import skimage.data
from numpy.typing import NDArray

from vigil.media.packet import Codec, MediaPacket

WIDTH, HEIGHT, FPS, FRAMES, GOP = 384, 288, 10, 30, 10

PHOTO_FACE = (180.0, 60.0, 272.0, 182.0)
"""The astronaut's face (brow to chin, cheek to cheek) in the 512 × 512 photo, labelled by hand."""
_HEAD = (150, 20, 300, 210)  # x1, y1, x2, y2 of the head cut out of the photo
_SCALE = 0.6
CLEAR = (0, 200, WIDTH, HEIGHT)
"""A region the head never reaches (the rows below its path): the coffee photo only."""

Box = tuple[float, float, float, float]
Picture = NDArray[np.uint8]


def photo(name: str) -> Picture:
    """One of scikit-image's sample photos (``astronaut``, ``coffee``…), RGB."""
    return np.asarray(getattr(skimage.data, name)(), np.uint8)  # its functions are untyped


@functools.cache
def _head() -> Picture:
    x1, y1, x2, y2 = _HEAD
    cut = photo("astronaut")[y1:y2, x1:x2]
    size = (round((x2 - x1) * _SCALE), round((y2 - y1) * _SCALE))
    return np.asarray(cv2.resize(cut, size, interpolation=cv2.INTER_AREA), np.uint8)


def _place(index: int) -> tuple[int, int]:
    """Where the head's top left corner is in picture ``index``."""
    width = _head().shape[1]
    x = 20 + round(index * (WIDTH - width - 40) / (FRAMES - 1))
    return x, 20 + round(10 * math.sin(index / 5))


@functools.cache
def pictures() -> tuple[Picture, ...]:
    """The clip's pictures (RGB), before encoding."""
    background = cv2.resize(photo("coffee"), (WIDTH, HEIGHT), interpolation=cv2.INTER_AREA)
    head = _head()
    out = []
    for index in range(FRAMES):
        picture = np.array(background, np.uint8)
        x, y = _place(index)
        picture[y : y + head.shape[0], x : x + head.shape[1]] = head
        out.append(picture)
    return tuple(out)


def face_boxes() -> list[Box]:
    """Where the face is in each picture: the labelled face moved and scaled with the head."""
    x1, y1, x2, y2 = PHOTO_FACE
    left, top = _HEAD[:2]
    boxes = []
    for index in range(FRAMES):
        x, y = _place(index)
        boxes.append(
            (
                x + (x1 - left) * _SCALE,
                y + (y1 - top) * _SCALE,
                x + (x2 - left) * _SCALE,
                y + (y2 - top) * _SCALE,
            )
        )
    return boxes


Coded = tuple[tuple[bytes, int, int, bool], ...]


def encode(clip: tuple[Picture, ...] | list[Picture]) -> Coded:
    """``clip`` (RGB pictures of WIDTH × HEIGHT) as H.264 at FPS, a keyframe every GOP pictures:
    (data, pts, dts, keyframe) per packet."""
    encoder = av.CodecContext.create("libx264", "w")
    assert isinstance(encoder, av.VideoCodecContext)
    encoder.width, encoder.height, encoder.pix_fmt = WIDTH, HEIGHT, "yuv420p"
    encoder.time_base, encoder.framerate = Fraction(1, 90_000), Fraction(FPS)
    encoder.gop_size, encoder.max_b_frames = GOP, 0
    encoder.options = {"preset": "ultrafast", "tune": "zerolatency"}
    coded: list[av.Packet[Any]] = []
    for index, picture in enumerate(clip):
        frame = av.VideoFrame.from_ndarray(picture, format="rgb24").reformat(format="yuv420p")
        frame.pts, frame.time_base = index * 90_000 // FPS, encoder.time_base
        coded += encoder.encode(frame)
    coded += encoder.encode(None)
    out = []
    for packet in coded:
        assert packet.pts is not None and packet.dts is not None
        out.append((bytes(packet), packet.pts, packet.dts, bool(packet.is_keyframe)))
    return tuple(out)


def as_camera(coded: Coded, start: float) -> list[MediaPacket]:
    """Coded pictures as a camera's H.264 stream arriving from ``start`` (epoch seconds)."""
    return [
        MediaPacket(Codec.H264, pts, dts, key, data, start + pts / 90_000)
        for data, pts, dts, key in coded
    ]


@functools.cache
def _coded() -> Coded:
    return encode(pictures())


def camera(start: float) -> list[MediaPacket]:
    """The clip as a camera's H.264 stream arriving from ``start`` (epoch seconds)."""
    return as_camera(_coded(), start)


@functools.cache
def recorded_lumas() -> tuple[Picture, ...]:
    """The clip's pictures as a decoder gives them back (their Y planes): what an export reads."""
    decoder = av.CodecContext.create("h264", "r")
    frames = [f for data, *_ in _coded() for f in decoder.decode(av.Packet(data))]
    frames += decoder.decode(None)
    return tuple(np.asarray(f.to_ndarray(format="gray"), np.uint8) for f in frames)


def mp4_lumas(path: str) -> list[Picture]:
    """The Y planes of an MP4's pictures, decoded by PyAV."""
    with av.open(path) as container:
        return [
            np.asarray(f.to_ndarray(format="gray"), np.uint8) for f in container.decode(video=0)
        ]


def sharpness(grey: Picture, box: Box) -> float:
    """The variance of the Laplacian inside ``box`` (clipped to the picture): edges, which a
    face has and a blur has not."""
    x1, y1, x2, y2 = box
    rows, cols = grey.shape
    top, bottom = max(0, math.floor(y1)), min(rows, math.ceil(y2))
    left, right = max(0, math.floor(x1)), min(cols, math.ceil(x2))
    region = grey[top:bottom, left:right].astype(np.float64)
    return float(cv2.Laplacian(region, cv2.CV_64F).var())
