"""What diagnosis keeps per channel in the database, so a restart does not forget it.

A restarted node would otherwise judge every camera by the fixed priors again until a few rounds
had rebuilt its baseline, take a new reference view from whatever the camera shows first, and
raise again (as a second open fault) a fault that is still open. So: the baseline after each
round that learnt, the reference of each preset when it is taken, the threshold overrides and
the current preset when they change; and the open faults' kinds are read back as raised.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

import numpy as np
from sqlalchemy import select

from vigil.store.database import Database
from vigil.store.models import ChannelDiagnosis, ChannelReference, VideoFault
from vigil.store.types import utcnow

__all__ = ["DiagnosisStore", "StoredDiagnosis"]


@dataclass
class StoredDiagnosis:
    """A channel's stored diagnosis: baseline, thresholds, preset, references, open faults."""

    baseline: dict[str, list[float]] = field(default_factory=dict)
    thresholds: dict[str, float] = field(default_factory=dict)
    preset: int | None = None
    references: dict[int, np.ndarray] = field(default_factory=dict)
    open_kinds: set[str] = field(default_factory=set)


class DiagnosisStore:
    """Loads and saves what diagnosis learnt about each channel, so a restart keeps it."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def load(self, channel_id: str) -> StoredDiagnosis:
        stored = StoredDiagnosis()
        async with self._db.session() as session:
            row = await session.get(ChannelDiagnosis, channel_id)
            references = await session.scalars(
                select(ChannelReference).where(ChannelReference.channel_id == channel_id)
            )
            kinds = await session.scalars(
                select(VideoFault.kind).where(
                    VideoFault.channel_id == channel_id, VideoFault.closed_at.is_(None)
                )
            )
            stored.open_kinds = set(kinds)
            for ref in references:
                picture = np.frombuffer(ref.picture, dtype=np.float32)
                stored.references[ref.preset] = picture.reshape(ref.height, ref.width).copy()
        if row is not None:
            stored.baseline = json.loads(row.baseline)
            stored.thresholds = json.loads(row.thresholds)
            stored.preset = row.preset
        return stored

    async def _update(self, channel_id: str, **values: object) -> None:
        async with self._db.session() as session, session.begin():
            row = await session.get(ChannelDiagnosis, channel_id)
            if row is None:
                row = ChannelDiagnosis(channel_id=channel_id, baseline="{}", thresholds="{}")
                session.add(row)
            for name, value in values.items():
                setattr(row, name, value)
            row.updated_at = utcnow()

    async def save_baseline(self, channel_id: str, baseline: dict[str, list[float]]) -> None:
        await self._update(channel_id, baseline=json.dumps(baseline))

    async def save_thresholds(self, channel_id: str, overrides: dict[str, float]) -> None:
        await self._update(channel_id, thresholds=json.dumps(overrides, sort_keys=True))

    async def save_preset(self, channel_id: str, preset: int | None) -> None:
        await self._update(channel_id, preset=preset)

    async def save_reference(self, channel_id: str, preset: int, picture: np.ndarray) -> None:
        data = np.ascontiguousarray(picture, dtype=np.float32)
        async with self._db.session() as session, session.begin():
            row = await session.get(ChannelReference, (channel_id, preset))
            if row is None:
                row = ChannelReference(channel_id=channel_id, preset=preset)
                session.add(row)
            row.height, row.width = data.shape
            row.picture = data.tobytes()
            row.taken_at = utcnow()
