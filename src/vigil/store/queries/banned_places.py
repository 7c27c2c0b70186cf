"""The banned-place check's statements: one channel as a camera, and the layer features that can
bear on it wherever they are filed (the law forbids filming a banned place whoever files it, and a
building hides what is behind it whoever files it)."""

from __future__ import annotations

from sqlalchemy import select

from vigil.store.database import Database
from vigil.store.models import Channel, GisFeature, LayerKind, StreamResolution

__all__ = ["channel_and_width", "features_of_kinds"]


async def channel_and_width(db: Database, channel_id: str) -> tuple[Channel, int | None] | None:
    """The channel and the width (pixels) of its main stream where seen; None when the channel
    is not on file."""
    query = (
        select(Channel, StreamResolution.width)
        .outerjoin(StreamResolution, StreamResolution.channel_id == Channel.id)
        .where(Channel.id == channel_id)
    )
    async with db.session() as session:
        row = (await session.execute(query)).first()
    if row is None:
        return None
    channel, width = row
    return channel, width


async def features_of_kinds(db: Database, kinds: frozenset[LayerKind]) -> list[GisFeature]:
    """Every feature of these layers, under any organisation or none, by ID."""
    query = select(GisFeature).where(GisFeature.kind.in_(kinds)).order_by(GisFeature.id)
    async with db.session() as session:
        return list(await session.scalars(query))
