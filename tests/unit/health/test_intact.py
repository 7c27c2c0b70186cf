from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from vigil.health.intact import (
    GroupRate,
    days_between,
    default_period,
    intact_days,
    offline_spans,
    rate_by_group,
)

ZONE = ZoneInfo("Asia/Shanghai")
LONG_AGO = datetime(2000, 1, 1, tzinfo=UTC)
LATER = datetime(2100, 1, 1, tzinfo=UTC)


def t(hour: int) -> datetime:
    return datetime(2026, 11, 1, hour, tzinfo=UTC)


def test_offline_spans_follow_transitions_and_default_to_offline() -> None:
    assert offline_spans([], t(0), t(10)) == [(t(0), t(10))]
    events = [(t(0), True), (t(3), False), (t(5), True), (t(9), False)]
    assert offline_spans(events, t(1), t(10)) == [(t(3), t(5)), (t(9), t(10))]
    # the state before the period carries in; events after its end are ignored
    assert offline_spans([(t(0), False), (t(2), True), (t(11), False)], t(1), t(10)) == [
        (t(1), t(2))
    ]


def test_days_are_local_and_a_span_touching_a_day_spoils_it() -> None:
    days = days_between(date(2026, 11, 1), date(2026, 11, 2), ZoneInfo("Asia/Shanghai"))
    assert [d.start for d in days] == [
        datetime(2026, 10, 31, 16, tzinfo=UTC),
        datetime(2026, 11, 1, 16, tzinfo=UTC),
    ]
    bad = [(datetime(2026, 11, 1, 15, 59, tzinfo=UTC), datetime(2026, 11, 1, 16, tzinfo=UTC))]
    assert intact_days(days, bad, LONG_AGO, LATER) == {
        date(2026, 11, 1): False,
        date(2026, 11, 2): True,
    }


def local(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=ZONE)


def test_days_count_from_the_filing_and_up_to_now() -> None:
    days = days_between(date(2026, 11, 1), date(2026, 11, 4), ZONE)
    filed, now = local(2, 10), local(3, 9)
    # Offline on the 2nd from 08:00 to 09:00: before the channel was filed at 10:00.
    early = [(local(2, 8), local(2, 9))]
    # The 1st was before the filing day, the 4th has not begun: neither is a camera-day.
    assert intact_days(days, early, filed, now) == {
        date(2026, 11, 2): True,
        date(2026, 11, 3): True,
    }
    # Offline from 09:30 on the 2nd: after the filing, so the filing day is spoilt.
    assert (
        intact_days(days, [(local(2, 9, 30), local(2, 10, 30))], filed, now)[date(2026, 11, 2)]
        is False
    )
    # Today counts as far as it has gone: a fault opened at 08:59 spoils it, one at 09:00 not yet.
    assert (
        intact_days(days, [(local(3, 8, 59), local(5, 0))], filed, now)[date(2026, 11, 3)] is False
    )
    assert intact_days(days, [(local(3, 9), local(5, 0))], filed, now)[date(2026, 11, 3)] is True
    # Filed after now (or after the period): no camera-day at all.
    assert intact_days(days, [], local(3, 10), now) == {}


def test_groups_count_each_channel_from_its_own_filing() -> None:
    days = [date(2026, 11, d) for d in (1, 2, 3)]
    per_channel = {
        "a": {days[0]: True, days[1]: False, days[2]: True},
        "b": {days[1]: True, days[2]: True},  # filed on the 2nd
        "c": {},  # filed after the period
    }
    [total] = rate_by_group(per_channel, dict.fromkeys(per_channel, "all"), {"a", "b"}, days)
    assert (total.channels, total.camera_days, total.intact) == (2, 5, 4)
    assert total.target == 0.98  # every channel counted watches a key area
    assert [(d.camera_days, d.intact, d.rate) for d in total.daily] == [
        (1, 1, 1.0),
        (2, 1, 0.5),
        (2, 2, 1.0),
    ]
    # A group whose channels have no camera-day is not listed.
    assert rate_by_group({"c": {}}, {"c": "all"}, set(), days) == []


def test_no_camera_day_has_no_rate() -> None:
    [group] = rate_by_group(
        {"a": {date(2026, 11, 2): True}}, {"a": "g"}, set(), [date(2026, 11, 1), date(2026, 11, 2)]
    )
    assert [d.rate for d in group.daily] == [None, 1.0]
    assert GroupRate("g", 0, 0, 0, 0.95).rate is None
    assert not GroupRate("g", 0, 0, 0, 0.95).met


def test_the_default_period_is_the_last_thirty_days_with_today() -> None:
    now = datetime(2026, 12, 2, 17, tzinfo=UTC)  # 01:00 on 3 December in Shanghai
    assert default_period(ZONE, now) == (date(2026, 11, 4), date(2026, 12, 3))
