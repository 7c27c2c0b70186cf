"""Anonymising without sockets: boxes held across pictures and grown, the blur of a box, and the
transcoder blurring what a real face detector (CenterFace) finds in a real clip, through the
pictures where the detector is made to miss."""

from __future__ import annotations

from collections.abc import Sequence

import av
import numpy as np
import pytest
from numpy.typing import NDArray

from tests import face_clip
from tests.textured_video import HEIGHT, WIDTH, textured
from vigil.analytics.faces.detector import FaceDetector
from vigil.media.masking import MaskingTranscoder
from vigil.media.masking.blur import blur_boxes
from vigil.media.masking.region_tracks import HOLD, RegionWindow
from vigil.media.masking.regions import Box, grown
from vigil.media.packet import MediaPacket


def test_a_box_grows_by_the_margin_on_every_side() -> None:
    assert grown((100, 50, 200, 250), 0.2) == (80, 10, 220, 290)


def test_a_box_is_held_hold_pictures_before_and_after_the_one_it_was_found_in() -> None:
    window: RegionWindow[int] = RegionWindow(hold=3, margin=0.0)
    released: list[tuple[int, list[Box]]] = []
    for index in range(20):
        found: list[Box] = [(1, 2, 3, 4)] if index == 10 else []
        released += window.push(index, found)
        assert len(released) == max(0, index - 2)  # each picture waits for 3 more
    released += window.drain()
    assert [index for index, _ in released] == list(range(20))
    held = [index for index, boxes in released if boxes]
    assert held == [7, 8, 9, 10, 11, 12, 13]
    assert released[10][1] == [(1, 2, 3, 4)]


def test_each_region_is_followed_on_its_own() -> None:
    window: RegionWindow[int] = RegionWindow(hold=1, margin=0.5)
    out = window.push(0, [(10, 10, 20, 20)]) + window.push(1, [(30, 30, 40, 40)])
    out += window.drain()
    # Two boxes far apart are two regions, each held one picture to the other side.
    assert out == [
        (0, [(5, 5, 25, 25), (25, 25, 45, 45)]),
        (1, [(5, 5, 25, 25), (25, 25, 45, 45)]),
    ]


def test_a_region_missed_between_two_sightings_is_interpolated_and_held_at_the_ends() -> None:
    window: RegionWindow[int] = RegionWindow(hold=2, margin=0.0)
    found: dict[int, list[Box]] = {
        2: [(0, 0, 10, 10)],
        3: [(4, 0, 14, 10)],  # moving 4 px a picture
        8: [(24, 0, 34, 10)],  # missed in 4-7
        9: [(28, 0, 38, 10)],
    }
    out = [r for i in range(12) for r in window.push(i, found.get(i, []))] + window.drain()
    assert [i for i, _ in out] == list(range(12))
    boxes = dict(out)
    assert boxes[0] == [(0, 0, 10, 10)]  # before the first sighting: held (no speed known yet)
    assert boxes[1] == [(0, 0, 10, 10), (-4, 0, 6, 10)]  # held, and moved back at its speed
    assert boxes[4] == [(4, 0, 14, 10), (8, 0, 18, 10)]  # after a sighting: held, moved on
    assert boxes[5] == [(4, 0, 14, 10), (12, 0, 22, 10)]  # (8 not found yet when 5 left)
    assert boxes[6] == [(16, 0, 26, 10)]  # interpolated between 3 and 8
    assert boxes[7] == [(20, 0, 30, 10)]
    assert boxes[11] == [(28, 0, 38, 10), (36, 0, 46, 10)]


def planes(picture: NDArray[np.uint8]) -> tuple[NDArray[np.uint8], ...]:
    yuv = av.VideoFrame.from_ndarray(picture, format="rgb24").reformat(format="yuv420p")
    flat: NDArray[np.uint8] = np.ascontiguousarray(yuv.to_ndarray(), dtype=np.uint8)
    y = flat[:HEIGHT]
    u = flat[HEIGHT : HEIGHT + HEIGHT // 4].reshape(HEIGHT // 2, WIDTH // 2)
    v = flat[HEIGHT + HEIGHT // 4 :].reshape(HEIGHT // 2, WIDTH // 2)
    return y, u, v


def test_a_blurred_box_loses_its_edges_and_nothing_outside_it_changes() -> None:
    y, u, v = planes(textured(0))
    before = [p.copy() for p in (y, u, v)]
    box = (40.5, 31.0, 161.0, 150.2)  # even edges outward: 40..162 × 30..152
    blur_boxes(y, u, v, [box, (-50, 200, 30, 400), (500, 10, 510, 20)])  # clipped; outside
    inside = y[30:152, 40:162].astype(np.float64)
    assert inside.var() < before[0][30:152, 40:162].astype(np.float64).var() / 50
    assert y[200:, 0:30].var() < before[0][200:, 0:30].astype(np.float64).var() / 50
    untouched = np.ones(y.shape, bool)
    untouched[30:152, 40:162] = untouched[200:, 0:30] = False
    assert np.array_equal(y[untouched], before[0][untouched])
    assert np.array_equal(u[:, 81:], before[1][:, 81:]) and np.array_equal(v[:15], before[2][:15])


class Missing:
    """The real detector, made to miss every face in the pictures ``blind`` (counted from 0)."""

    def __init__(self, detector: FaceDetector, blind: range) -> None:
        self.detector, self.blind, self.calls = detector, blind, 0
        self.model, self.sha256 = detector.model, detector.sha256

    def __call__(self, picture: NDArray[np.uint8]) -> Sequence[Box]:
        index, self.calls = self.calls, self.calls + 1
        return [] if index in self.blind else self.detector(picture)


def decoded(packets: list[MediaPacket]) -> list[NDArray[np.uint8]]:
    decoder = av.CodecContext.create("h264", "r")
    frames = [f for p in packets for f in decoder.decode(av.Packet(p.data))]
    frames += decoder.decode(None)
    return [np.asarray(f.to_ndarray(format="gray"), np.uint8) for f in frames]


@pytest.fixture(scope="module")
def detector() -> FaceDetector:
    return FaceDetector()


@pytest.mark.parametrize("hold", [HOLD, 0])
def test_a_face_the_detector_misses_for_a_while_stays_blurred(
    detector: FaceDetector, hold: int
) -> None:
    blind = range(12, 12 + 2 * HOLD)  # ten pictures in a row, the face moving 9 px in each
    finder = Missing(detector, blind)
    transcoder = MaskingTranscoder([], None, {"faces": finder}, hold=hold)
    lumas = decoded(list(transcoder.transcode(face_clip.camera(0.0))))
    assert len(lumas) == face_clip.FRAMES and finder.calls == face_clip.FRAMES
    found = transcoder.masker.found["faces"]
    assert (found.pictures, found.regions) == (face_clip.FRAMES - len(blind),) * 2
    source = face_clip.recorded_lumas()
    sharp = []
    for index, (luma, truth) in enumerate(zip(lumas, face_clip.face_boxes(), strict=True)):
        original = face_clip.sharpness(source[index], truth)
        assert original > 300
        if face_clip.sharpness(luma, truth) > original / 20:
            sharp.append(index)
    # Held, the boxes found around the blind pictures cover the face through them; not held,
    # the face shows in every blind picture (the test would see a window that fails).
    assert sharp == ([] if hold else list(blind))
