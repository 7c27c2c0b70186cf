"""Tracking: detections across frames joined into tracks with stable IDs, one tracker per channel.

:mod:`~vigil.analytics.track.tracker` holds the ByteTrack-style tracker (sans-I/O: detections in,
tracks and start/end events out), :mod:`~vigil.analytics.track.kalman` its motion model,
:mod:`~vigil.analytics.track.matching` the IoU assignment it shares with
:mod:`~vigil.analytics.track.evaluate`, which scores a tracker's output against hand labels
(CLEAR-MOT: MOTA, MOTP, ID switches; and per-class detection precision and recall).
"""

from vigil.analytics.track.events import (
    TrackedObject,
    TrackEnded,
    TrackEvent,
    TrackStarted,
    TrackUpdate,
)
from vigil.analytics.track.tracker import ByteTracker, TrackerConfig

__all__ = [
    "ByteTracker",
    "TrackEnded",
    "TrackEvent",
    "TrackStarted",
    "TrackUpdate",
    "TrackedObject",
    "TrackerConfig",
]
