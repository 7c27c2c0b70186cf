"""The intact-rate service: loads status transitions, faults and gaps, and computes the rates.

The caller needs ``catalog:read`` and the organisation in scope (through
``OrganisationService.get``); the channels counted are those filed under it, each from its filing
on and up to now (:mod:`.intact`). ``GET /intact-rate`` and the KPI (``vigil.coverage``) both come
here, so they give one figure for one organisation and period. The computation is CPU work over
every camera-day and runs in a worker thread.
"""

from __future__ import annotations

import asyncio
import enum
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import and_, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from vigil.catalog.channels import channels_under
from vigil.catalog.organisations import OrganisationService
from vigil.errors import Invalid
from vigil.governance.permissions import Principal
from vigil.health.intact import (
    KEY_AREA_TARGET,
    OTHER_TARGET,
    Day,
    DayRate,
    GroupRate,
    Span,
    days_between,
    default_period,
    intact_days,
    offline_spans,
    rate_by_group,
)
from vigil.store.database import Database
from vigil.store.models import Channel, DeviceStatusEvent, RecordingGap, VideoFault

__all__ = ["GroupBy", "IntactRateReport", "IntactRateService"]

#: The longest period one request may cover.
MAX_DAYS = 366
#: The gap cause that is not a defect: nothing was meant to be recorded.
NOT_SCHEDULED = "not-scheduled"
NO_VALUE = "none"


class GroupBy(enum.StrEnum):
    """What the intact rate can be broken down by."""

    organisation = "organisation"
    industry = "industry"
    key_area_category = "key_area_category"


@dataclass(frozen=True, slots=True)
class IntactRateReport:
    """Rates per group and for the whole organisation, over ``first``..``last`` (local days)."""

    organisation: str
    first: date
    last: date
    by: GroupBy
    groups: list[GroupRate]
    total: GroupRate


Clock = Callable[[], datetime]


def _utc_now() -> datetime:
    return datetime.now(UTC)


def _bad_period() -> Invalid:
    return Invalid(
        f"the period must run forwards and cover at most {MAX_DAYS} days",
        code="period.days",
        days=MAX_DAYS,
    )


class IntactRateService:
    """Computes intact rates for an organisation's channels over a period of local days."""

    def __init__(
        self,
        db: Database,
        organisations: OrganisationService,
        zone: ZoneInfo,
        targets: tuple[float, float] = (KEY_AREA_TARGET, OTHER_TARGET),
        clock: Clock = _utc_now,
    ) -> None:
        """``targets``: the lines for key public areas and for other sites (the KPI targets)."""
        self._db = db
        self._organisations = organisations
        self._zone = zone
        self._targets = targets
        self._clock = clock

    def default_period(self) -> tuple[date, date]:
        """The local days counted when none are asked for: the last 30, today included."""
        return default_period(self._zone, self._clock())

    async def report(
        self,
        principal: Principal,
        org_id: str,
        first: date | None,
        last: date | None,
        by: GroupBy,
    ) -> IntactRateReport:
        """Without ``first`` and ``last``, the default period; one alone is refused."""
        if first is None and last is None:
            first, last = self.default_period()
        if first is None or last is None:
            raise Invalid(
                "give both from and to, or neither for the last 30 days", code="period.both"
            )
        _check(first, last)
        org = await self._organisations.get(principal, org_id)
        days = days_between(first, last, self._zone)
        async with self._db.session() as session:
            channels = await channels_under(session, org.path)
            bad = await _bad_spans(session, channels, days[0].start, days[-1].end)
        return await asyncio.to_thread(
            _report, org_id, (first, last), by, channels, days, bad, self._clock(), self._targets
        )

    async def of_channels(self, channels: list[Channel], first: date, last: date) -> GroupRate:
        """The intact share of exactly ``channels`` over ``first``..``last``: for a caller that
        chose them and checked its principal already (the KPIs per area or industry)."""
        _check(first, last)
        days = days_between(first, last, self._zone)
        async with self._db.session() as session:
            bad = await _bad_spans(session, channels, days[0].start, days[-1].end)
        report = await asyncio.to_thread(
            _report,
            "",
            (first, last),
            GroupBy.organisation,
            channels,
            days,
            bad,
            self._clock(),
            self._targets,
        )
        return report.total


def _check(first: date, last: date) -> None:
    if last < first or (last - first).days >= MAX_DAYS:
        raise _bad_period()


def _report(
    org_id: str,
    period: tuple[date, date],
    by: GroupBy,
    channels: list[Channel],
    days: list[Day],
    bad: dict[str, list[Span]],
    now: datetime,
    targets: tuple[float, float],
) -> IntactRateReport:
    per_channel = {c.id: intact_days(days, bad[c.id], c.created_at, now) for c in channels}
    key_area = {c.id for c in channels if c.key_area_category}
    group_of = {c.id: _group(c, by) for c in channels}
    dates = [d.day for d in days]
    groups = rate_by_group(per_channel, group_of, key_area, dates, targets)
    whole = dict.fromkeys(per_channel, org_id)
    total = rate_by_group(per_channel, whole, key_area, dates, targets)
    empty = GroupRate(org_id, 0, 0, 0, targets[1], tuple(DayRate(d, 0, 0) for d in dates))
    return IntactRateReport(org_id, *period, by, groups, total[0] if total else empty)


def _group(channel: Channel, by: GroupBy) -> str:
    value = channel.organisation_id if by is GroupBy.organisation else getattr(channel, by.value)
    return str(value) if value else NO_VALUE


async def _bad_spans(
    session: AsyncSession, channels: list[Channel], start: datetime, end: datetime
) -> dict[str, list[Span]]:
    """Per channel: when its device was offline, a fault was open or the recording had a gap."""
    ids = [c.id for c in channels]
    bad: dict[str, list[Span]] = {c: [] for c in ids}
    if not ids:
        return bad
    devices = {c.device_id for c in channels}
    transitions = await _transitions(session, devices, start, end)
    for channel in channels:
        bad[channel.id] += offline_spans(transitions.get(channel.device_id, []), start, end)
    faults = await session.execute(
        select(VideoFault.channel_id, VideoFault.opened_at, VideoFault.closed_at).where(
            VideoFault.channel_id.in_(ids),
            VideoFault.opened_at < end,
            or_(VideoFault.closed_at.is_(None), VideoFault.closed_at > start),
        )
    )
    for channel_id, opened, closed in faults:
        bad[channel_id].append((opened, closed or end))
    gaps = await session.execute(
        select(RecordingGap.channel_id, RecordingGap.start, RecordingGap.end).where(
            RecordingGap.channel_id.in_(ids),
            RecordingGap.cause != NOT_SCHEDULED,
            RecordingGap.start < end,
            RecordingGap.end > start,
        )
    )
    for channel_id, gap_start, gap_end in gaps:
        bad[channel_id].append((gap_start, gap_end))
    return bad


async def _transitions(
    session: AsyncSession, devices: set[str], start: datetime, end: datetime
) -> dict[str, list[tuple[datetime, bool]]]:
    """Each device's transitions in [start, end), led by its last one before ``start`` (events
    are appended as they happen, so the highest ID before ``start`` is the latest)."""
    last_before = (
        select(DeviceStatusEvent.device_id, func.max(DeviceStatusEvent.id).label("id"))
        .where(DeviceStatusEvent.device_id.in_(devices), DeviceStatusEvent.at < start)
        .group_by(DeviceStatusEvent.device_id)
        .subquery()
    )
    rows = await session.execute(
        select(DeviceStatusEvent.device_id, DeviceStatusEvent.at, DeviceStatusEvent.online)
        .where(
            or_(
                DeviceStatusEvent.id.in_(select(last_before.c.id)),
                and_(
                    DeviceStatusEvent.device_id.in_(devices),
                    DeviceStatusEvent.at >= start,
                    DeviceStatusEvent.at < end,
                ),
            )
        )
        .order_by(DeviceStatusEvent.at, DeviceStatusEvent.id)
    )
    out: dict[str, list[tuple[datetime, bool]]] = {}
    for device_id, at, online in rows:
        out.setdefault(device_id, []).append((at, online))
    return out
