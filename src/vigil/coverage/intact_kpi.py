"""The intact rate as a KPI: the availability service's camera-days over the KPI's channels.

One definition with ``GET /intact-rate`` (``vigil.health.intact``): camera-days count from each
channel's filing and up to now, so for the same organisation and days both give the same figure.
The KPI's period is instants (``from``/``to``, ``to`` exclusive); camera-days are local calendar
days, so the period is widened to the local days it touches. Without a period the KPI covers the
last ``DEFAULT_DAYS`` local days, today (so far) included, as ``/intact-rate`` does. The value is
null when the channels have no camera-day in the period (none was on file yet).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from vigil.coverage.kpis import Kpi
from vigil.coverage.targets import Targets
from vigil.errors import Invalid
from vigil.health.intact import DEFAULT_DAYS, default_period
from vigil.health.intact_rate import IntactRateService
from vigil.store.models import Channel

__all__ = ["DEFAULT_DAYS", "intact_kpi", "local_days"]

EARLIEST, LATEST = date(1970, 1, 1), date(9998, 12, 31)


def local_days(
    start: datetime | None, end: datetime | None, zone: ZoneInfo, now: datetime
) -> tuple[date, date]:
    """The first and last local day of [start, end); by default the ``DEFAULT_DAYS`` that end
    with today, and a missing end is now, a missing start ``DEFAULT_DAYS`` before the end.
    ``Invalid`` for a period outside the years 1970-9998 (no history is older; days at the end
    of the calendar have no next midnight)."""
    if start is None and end is None:
        return default_period(zone, now)
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
    channels: list[Channel],
    days: tuple[date, date],
    targets: Targets,
    where: str = "under this organisation",
) -> Kpi:
    """Intact camera-days over camera-days of ``channels`` in ``days`` (inclusive)."""
    target = targets.intact(bool(channels) and all(c.key_area_category for c in channels))
    if not channels:
        return Kpi(None, target, f"no channel on file {where}", reason_code="kpi.no_channels")
    first, last = days
    rate = await service.of_channels(channels, first, last)
    if rate.rate is None:
        return Kpi(
            None,
            target,
            f"no camera-day from {first} to {last}: no channel on file yet",
            reason_code="kpi.no_camera_days",
            reason_params={"from": first.isoformat(), "to": last.isoformat()},
        )
    return Kpi(rate.rate, rate.target)
