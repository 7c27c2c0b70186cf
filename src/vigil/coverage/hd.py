"""HD or not, per channel: what its stream showed once seen, the catalog's flag until then.

A channel is HD when the picture of its main stream is at least 1280×720 (720p; a portrait
"corridor" picture counts by its long and short sides). The media plane records the size from the
stream's parameter sets whenever the stream starts (``vigil.media.resolution``); a channel whose
stream was never seen falls back to the ``hd`` flag of its catalog entry. The HD ratio says how
many of its channels rest on each basis.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from vigil.store.models import Channel, Organisation, StreamResolution

__all__ = [
    "HD_HEIGHT",
    "HD_WIDTH",
    "HdBasis",
    "HdCount",
    "Size",
    "channel_hd",
    "count_hd",
    "is_hd_size",
    "stream_sizes_under",
]

HD_WIDTH, HD_HEIGHT = 1280, 720

Size = tuple[int, int]  # width, height in pixels


class HdBasis(enum.StrEnum):
    """What a channel's HD verdict rests on: the stream's size, or the catalog's flag."""

    stream = "stream"  # the size seen in the stream
    catalog = "catalog"  # the catalog's flag: the stream was never seen


def is_hd_size(width: int, height: int) -> bool:
    return max(width, height) >= HD_WIDTH and min(width, height) >= HD_HEIGHT


def channel_hd(channel: Channel, sizes: Mapping[str, Size]) -> tuple[bool, HdBasis]:
    """Whether the channel is HD, and on what basis."""
    size = sizes.get(channel.id)
    if size is not None:
        return is_hd_size(*size), HdBasis.stream
    return bool(channel.hd), HdBasis.catalog


@dataclass(frozen=True, slots=True)
class HdCount:
    """HD channels of ``total``, and how many were judged by their stream or by the catalog."""

    total: int = 0
    hd: int = 0
    by_stream: int = 0
    by_catalog: int = 0


def count_hd(channels: Iterable[Channel], sizes: Mapping[str, Size]) -> HdCount:
    total = hd = by_stream = 0
    for channel in channels:
        is_hd, basis = channel_hd(channel, sizes)
        total += 1
        hd += is_hd
        by_stream += basis is HdBasis.stream
    return HdCount(total, hd, by_stream, total - by_stream)


async def stream_sizes_under(session: AsyncSession, org_path: str) -> dict[str, Size]:
    """The main-stream sizes seen of the channels filed under the organisation at ``org_path``
    (those never seen are absent)."""
    rows = await session.execute(
        select(StreamResolution.channel_id, StreamResolution.width, StreamResolution.height)
        .join(Channel, Channel.id == StreamResolution.channel_id)
        .join(Organisation, Organisation.id == Channel.organisation_id)
        .where(Organisation.path.startswith(org_path, autoescape=True))
    )
    return {channel_id: (width, height) for channel_id, width, height in rows}
