"""When a fault is raised and cleared: N consecutive bad rounds raise it, M good ones clear it.

One :class:`FaultState` per channel and fault kind, a small state machine::

    ok ──bad──► suspect(1) ──bad──► … suspect(N-1) ──bad──► raised
     ▲            │ good                                   │ good
     └────────────┘                                  recovering(1) … ──good (M-th)──► ok
                                               bad ◄──────┘  (back to raised)

A good round while suspected resets the count; a bad round while recovering returns to raised.
Only the two transitions that matter to the outside are reported: ``raise`` and ``clear``.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

__all__ = ["Debounce", "FaultState", "Phase", "Transition"]


class Phase(enum.StrEnum):
    """Where a channel's fault kind stands: clear, suspected, raised, or clearing."""

    ok = "ok"
    suspect = "suspect"
    raised = "raised"
    recovering = "recovering"


class Transition(enum.StrEnum):
    """What a round's verdict did to a fault: raised it, or cleared it."""

    raised = "raised"
    cleared = "cleared"


@dataclass(frozen=True, slots=True)
class Debounce:
    """``raise_after`` consecutive bad rounds raise a fault; ``clear_after`` good ones clear it."""

    raise_after: int = 2
    clear_after: int = 2

    def __post_init__(self) -> None:
        if self.raise_after < 1 or self.clear_after < 1:
            raise ValueError("raise_after and clear_after must be at least 1")


@dataclass
class FaultState:
    """Where one fault of one channel stands; ``count`` counts the current run of rounds."""

    phase: Phase = Phase.ok
    count: int = 0

    @property
    def active(self) -> bool:
        """True while the fault is raised (including while it is recovering)."""
        return self.phase in (Phase.raised, Phase.recovering)

    def observe(self, bad: bool, policy: Debounce) -> Transition | None:
        """Feed one round's verdict; returns the transition it caused, if any."""
        phase, count = self.phase, self.count + 1
        if phase in (Phase.ok, Phase.suspect):
            if not bad:
                self.phase, self.count = Phase.ok, 0
                return None
            if count >= policy.raise_after:
                self.phase, self.count = Phase.raised, 0
                return Transition.raised
            self.phase, self.count = Phase.suspect, count
            return None
        if bad:
            self.phase, self.count = Phase.raised, 0
            return None
        if count >= policy.clear_after:
            self.phase, self.count = Phase.ok, 0
            return Transition.cleared
        self.phase, self.count = Phase.recovering, count
        return None
