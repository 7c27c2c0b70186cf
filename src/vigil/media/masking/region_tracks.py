"""Boxes followed from picture to picture, so that a region the finder misses is still blurred.

A detector misses a face now and then (turned away, blurred by motion, half out of the picture).
:class:`RegionWindow` therefore holds the pictures back :data:`HOLD` pictures and links the boxes
found in successive pictures into tracks: a new box joins the track whose box, moved on at the
track's last speed, it overlaps most (IoU at least :data:`LINK_IOU`), across up to 2 × HOLD
pictures without a sighting. A picture is let go with the box of every track there:

- the box found in it, if the track was seen there;
- between two sightings, the box interpolated between them (the track has moved on);
- up to HOLD pictures after its last sighting or before its first, both the box held where it
  was seen and the box moved on at the track's speed (a face turning away slows down as often
  as it walks on);

each grown by :data:`~vigil.media.masking.regions.MARGIN` of its size on every side. A face is
thereby covered through a gap of up to 2 × HOLD pictures in its detections, from HOLD pictures
before it was first found (while it came in) to HOLD after it was last found. Over-blurring a
little around a face costs the picture less than one unblurred face costs a bystander.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from vigil.media.masking.regions import MARGIN, Box, grown, overlap

__all__ = ["HOLD", "LINK_IOU", "RegionWindow"]

HOLD = 5
"""Pictures a track is held before its first and after its last sighting (0.2 s at 25 fps)."""
LINK_IOU = 0.2
"""Overlap of a new box with a track's predicted box from which it joins the track."""

T = TypeVar("T")


def _moved(box: Box, speed: Box, pictures: float) -> Box:
    return (
        box[0] + speed[0] * pictures,
        box[1] + speed[1] * pictures,
        box[2] + speed[2] * pictures,
        box[3] + speed[3] * pictures,
    )


def _speed(earlier: tuple[int, Box], later: tuple[int, Box]) -> Box:
    """How each edge moved per picture from one sighting to the other."""
    steps = later[0] - earlier[0]
    a, b = earlier[1], later[1]
    return (
        (b[0] - a[0]) / steps,
        (b[1] - a[1]) / steps,
        (b[2] - a[2]) / steps,
        (b[3] - a[3]) / steps,
    )


@dataclass
class _Track:
    """One region's sightings: (picture index, box), in order."""

    seen: list[tuple[int, Box]] = field(default_factory=list)

    def speed(self, end: int) -> Box:
        """The speed between the last two sightings (``end`` -1) or the first two (0)."""
        if len(self.seen) < 2:
            return (0.0, 0.0, 0.0, 0.0)
        pair = self.seen[-2:] if end < 0 else self.seen[:2]
        return _speed(pair[0], pair[1])

    def predicted(self, index: int) -> Box:
        """Where the track's box would be in picture ``index``, moving as it last did."""
        last, box = self.seen[-1]
        return _moved(box, self.speed(-1), index - last)

    def boxes_at(self, index: int, hold: int) -> list[Box]:
        """The track's boxes in picture ``index`` (none beyond ``hold`` of its sightings)."""
        first, last = self.seen[0][0], self.seen[-1][0]
        if index < first - hold or index > last + hold:
            return []
        if index > last:
            box = self.seen[-1][1]
            return [box, _moved(box, self.speed(-1), index - last)]
        if index < first:
            box = self.seen[0][1]
            return [box, _moved(box, self.speed(0), index - first)]
        before = max((s for s in self.seen if s[0] <= index), key=lambda s: s[0])
        if before[0] == index:
            return [before[1]]
        after = min((s for s in self.seen if s[0] > index), key=lambda s: s[0])
        return [_moved(before[1], _speed(before, after), index - before[0])]


class RegionWindow(Generic[T]):
    """Pictures (any item standing for one) held back ``hold`` pictures, each let go with the
    grown boxes of the tracks there."""

    def __init__(self, hold: int = HOLD, margin: float = MARGIN) -> None:
        self.hold = hold
        self.margin = margin
        self._waiting: deque[tuple[int, T]] = deque()
        self._tracks: list[_Track] = []
        self._count = 0

    def push(self, item: T, boxes: Sequence[Box]) -> list[tuple[T, list[Box]]]:
        """Take the next picture and the boxes found in it; the pictures now ready to blur."""
        index = self._count
        self._count += 1
        self._waiting.append((index, item))
        self._link(index, boxes)
        ready = []
        while self._waiting and self._waiting[0][0] + self.hold <= index:
            ready.append(self._release())
        return ready

    def drain(self) -> list[tuple[T, list[Box]]]:
        """The end of the pictures: every one still held, with the boxes there are."""
        return [self._release() for _ in range(len(self._waiting))]

    def _link(self, index: int, boxes: Sequence[Box]) -> None:
        """Add each box to the track it continues best, or start a track with it."""
        # A track last seen 2 × hold + 1 pictures ago may continue: the pictures between (the
        # last hold of them still waiting) are then interpolated.
        live = [t for t in self._tracks if t.seen[-1][0] >= index - 2 * self.hold - 1]
        pairs = sorted(
            (
                (overlap(track.predicted(index), box), t, b)
                for t, track in enumerate(live)
                for b, box in enumerate(boxes)
            ),
            reverse=True,
        )
        taken_tracks: set[int] = set()
        taken_boxes: set[int] = set()
        for iou, t, b in pairs:
            if iou < LINK_IOU:
                break
            if t not in taken_tracks and b not in taken_boxes:
                live[t].seen.append((index, boxes[b]))
                taken_tracks.add(t)
                taken_boxes.add(b)
        new = [_Track([(index, box)]) for b, box in enumerate(boxes) if b not in taken_boxes]
        self._tracks = live + new

    def _release(self) -> tuple[T, list[Box]]:
        index, item = self._waiting.popleft()
        boxes = [
            grown(box, self.margin)
            for track in self._tracks
            for box in dict.fromkeys(track.boxes_at(index, self.hold))  # held = moved when still
        ]
        for track in self._tracks:  # what later pictures need: from the last sighting up to here
            while len(track.seen) > 2 and track.seen[1][0] <= index:
                del track.seen[0]
        return item, boxes
