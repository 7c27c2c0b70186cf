"""What a rule remembers between frames: per-track state that is forgotten once a track has not
been seen for a while (so memory stays bounded on a busy channel), and the rule's cool-down."""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

__all__ = ["Cooldown", "TrackTable"]

S = TypeVar("S")


class TrackTable(Generic[S]):
    """State per track id, made on first sight by ``factory`` and dropped ``forget_after``
    seconds after the track was last seen."""

    def __init__(self, factory: Callable[[], S], forget_after: float) -> None:
        self._factory = factory
        self._forget_after = forget_after
        self._states: dict[int, S] = {}
        self._seen: dict[int, float] = {}

    def get(self, track_id: int, at: float) -> S:
        """The track's state, seen at ``at``."""
        self._seen[track_id] = at
        state = self._states.get(track_id)
        if state is None:
            state = self._states[track_id] = self._factory()
        return state

    def prune(self, at: float) -> None:
        """Forget the tracks not seen for longer than ``forget_after`` before ``at``."""
        stale = [t for t, seen in self._seen.items() if at - seen > self._forget_after]
        for track_id in stale:
            del self._seen[track_id], self._states[track_id]

    def __len__(self) -> int:
        return len(self._states)


class Cooldown:
    """At most one event per ``seconds``: ``ready`` until ``start``, then again ``seconds``
    later."""

    def __init__(self, seconds: float) -> None:
        self._seconds = seconds
        self._last: float | None = None

    def ready(self, at: float) -> bool:
        return self._last is None or at - self._last >= self._seconds

    def start(self, at: float) -> None:
        self._last = at
