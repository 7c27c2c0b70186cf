"""An organisation's subtree as the coverage service reads it: its GIS layers, its channels, which
of their devices are online, and the stream sizes seen of them (the HD basis)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from vigil.catalog.channels import channels_under
from vigil.coverage.hd import Size, stream_sizes_under
from vigil.coverage.layers import features_under
from vigil.store.database import Database
from vigil.store.models import Channel, Device, GisFeature, LayerKind

__all__ = ["COVERAGE_LAYERS", "Subtree", "load_subtree"]

#: The layers coverage reads: all but the banned places, which are no coverage target (the
#: banned-place check, ``banned_check.py``, reads them on its own).
COVERAGE_LAYERS = frozenset(LayerKind) - {LayerKind.banned_place}


@dataclass(frozen=True, slots=True)
class Subtree:
    """What coverage needs of one organisation's subtree, read in one go."""

    features: list[GisFeature]
    channels: list[Channel]
    online: set[str]  # IDs of the channels' devices that are online
    sizes: dict[str, Size]  # channel ID → main-stream size seen

    @property
    def pixels(self) -> dict[str, int]:
        """Channel ID → horizontal pixels of its stream, where seen (the footprint's reach)."""
        return {channel: width for channel, (width, _) in self.sizes.items()}


async def load_subtree(db: Database, org_path: str, industry: str | None = None) -> Subtree:
    """Everything under the organisation at ``org_path`` (only ``industry``'s channels when
    given); the caller checked the organisation against its principal."""
    async with db.session() as session:
        features = await features_under(session, org_path, COVERAGE_LAYERS)
        channels = await channels_under(session, org_path, industry)
        online = set(
            (
                await session.scalars(
                    select(Device.id).where(
                        Device.online.is_(True),
                        Device.id.in_({c.device_id for c in channels}),
                    )
                )
            ).all()
        )
        sizes = await stream_sizes_under(session, org_path)
    return Subtree(features, channels, online, sizes)
