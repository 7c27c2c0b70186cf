"""The intact rate as a KPI: issue 7's camera-days (``vigil.health``) over the KPI's channels.

The KPI's period is instants (``from``/``to``, ``to`` exclusive); camera-days are local calendar
days, so the period is widened to the local days it touches. Without a period the KPI covers the
last ``DEFAULT_DAYS`` whole days before today. A period before any status history of the
channels' devices has no value: the platform was not watching them, and counting those days as
offline would report the platform's absence as the cameras' failure.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from vigil.coverage.kpis import Kpi
from vigil.coverage.targets import Targets
from vigil.errors import Invalid
from vigil.health.intact import days_between
from vigil.health.intact_rate import MAX_DAYS, IntactRateService
from vigil.store.database import Database
from vigil.store.models import Channel, DeviceStatusEvent

__all__ = ["DEFAULT_DAYS", "intact_kpi", "local_days"]

DEFAULT_DAYS = 30
EARLIEST, LATEST = date(1970, 1, 1), date(9998, 12, 31)


def local_days(
    start: datetime | None, end: datetime | None, zone: ZoneInfo, now: datetime
) -> tuple[date, date]:
    """The first and last local day of [start, end); by default the ``DEFAULT_DAYS`` before
    today, and a missing end is now, a missing start ``DEFAULT_DAYS`` before the end.
    ``Invalid`` for a period outside the years 1970-9998 (no history is older; days at the end
    of the calendar have no next midnight)."""
    if start is None and end is None:
        today = now.astimezone(zone).date()
        return today - timedelta(days=DEFAULT_DAYS), today - timedelta(days=1)
    try:
        end = end or now
        start = start or end - timedelta(days=DEFAULT_DAYS)
        last_instant = max(end - timedelta(microseconds=1), start)
        first, last = start.astimezone(zone).date(), last_instant.astimezone(zone).date()
    except OverflowError:
        first = last = date.min
    if not (first >= EARLIEST and last <= LATEST):
        raise Invalid(
            f"the period must lie between {EARLIEST} and {LATEST}",
            code="period.bounds",
            first=EARLIEST.isoformat(),
            last=LATEST.isoformat(),
        )
    return first, last


async def intact_kpi(
    service: IntactRateService,
    db: Database,
    channels: list[Channel],
    days: tuple[date, date],
    zone: ZoneInfo,
    targets: Targets,
    where: str = "under this organisation",
) -> Kpi:
    """Intact camera-days over camera-days of ``channels`` in ``days`` (inclusive)."""
    target = targets.intact(bool(channels) and all(c.key_area_category for c in channels))
    if not channels:
        return Kpi(None, target, f"no channel on file {where}", reason_code="kpi.no_channels")
    first, last = days
    if last < first or (last - first).days >= MAX_DAYS:
        raise Invalid(
            f"the period must run forwards and cover at most {MAX_DAYS} days",
            code="period.days",
            days=MAX_DAYS,
        )
    end = days_between(last, last, zone)[0].end
    async with db.session() as session:
        seen = await session.scalar(
            select(DeviceStatusEvent.id)
            .where(
                DeviceStatusEvent.device_id.in_({c.device_id for c in channels}),
                DeviceStatusEvent.at < end,
            )
            .limit(1)
        )
    if seen is None:
        return Kpi(
            None,
            target,
            f"no online/offline history up to {last.isoformat()}",
            reason_code="kpi.no_history",
            reason_params={"date": last.isoformat()},
        )
    rate = await service.of_channels(channels, first, last)
    return Kpi(rate.intact / rate.camera_days, target)
