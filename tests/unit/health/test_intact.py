from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from vigil.health.intact import days_between, intact_days, offline_spans


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
    assert intact_days(days, bad) == {date(2026, 11, 1): False, date(2026, 11, 2): True}
