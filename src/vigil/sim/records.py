"""Synthetic recordings: what a simulated NVR answers to RecordInfo.

Each channel "recorded" in one-hour files over the last ``days`` days, with a deterministic gap
pattern (one hour in seven is missing for each channel, at a different hour per channel) so a
platform's timeline and intact-rate code see both recorded and missing spans. Times are naive local
time, as GB/T 28181 carries them; the caller converts at the edge.
"""

from __future__ import annotations

import zlib
from datetime import datetime, timedelta

from vigil.protocols.manscdp import RecordItem

__all__ = ["MAX_RECORDS", "recordings"]

#: A query over a year must not produce 8,760 MESSAGEs: answer the newest this many.
MAX_RECORDS = 200
_HOUR = timedelta(hours=1)
_GAP_EVERY = 7
# Bytes per second of a file at the simulator's default 2 Mbit/s.
_BYTES_PER_SECOND = 250_000


def _recorded(channel_id: str, hour: datetime) -> bool:
    offset = zlib.crc32(channel_id.encode()) % _GAP_EVERY
    return (hour.toordinal() * 24 + hour.hour + offset) % _GAP_EVERY != 0


def recordings(
    channel_id: str, start: datetime, end: datetime, *, now: datetime, days: int
) -> list[RecordItem]:
    """Files of ``channel_id`` overlapping ``[start, end)``, clipped to it, oldest first."""
    earliest = (now - timedelta(days=days)).replace(minute=0, second=0, microsecond=0)
    start, end = max(start, earliest), min(end, now)
    items: list[RecordItem] = []
    hour = start.replace(minute=0, second=0, microsecond=0)
    while hour < end:
        if _recorded(channel_id, hour):
            begin, finish = max(hour, start), min(hour + _HOUR, end)
            seconds = int((finish - begin).total_seconds())
            if seconds > 0:
                items.append(
                    RecordItem(
                        device_id=channel_id,
                        name=f"{channel_id}_{begin:%Y%m%d%H%M%S}",
                        file_path=f"/record/{channel_id}/{begin:%Y%m%d/%H%M%S}.ps",
                        address="SIM-NVR",
                        start_time=begin,
                        end_time=finish,
                        secrecy=0,
                        type="time",
                        file_size=seconds * _BYTES_PER_SECOND,
                    )
                )
        hour += _HOUR
    return items[-MAX_RECORDS:]
