"""Channel derivation, catalog pages and recordings: deterministic, believable, bounded."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from vigil.protocols.gbid import GbId
from vigil.protocols.manscdp import CatalogQuery, CatalogResponse, RecordInfoQuery, decode, encode
from vigil.sim.catalog import DEFAULT_CENTRE, channel_id, make_channels, pages
from vigil.sim.commands import CommandAnswers
from vigil.sim.config import DeviceConfig
from vigil.sim.controls import ControlState
from vigil.sim.records import MAX_RECORDS, recordings
from vigil.sim.swarm import device_ids

DEVICE = "34010400001180000001"


def test_channels_are_stable_unique_and_near_the_centre() -> None:
    ids = device_ids("34010400001180", 50)
    channels = [c for d in ids for c in make_channels(d, 8)]
    assert len({c.channel_id for c in channels}) == 400
    assert all(GbId.parse(c.channel_id).value[10:13] == "132" for c in channels)
    assert make_channels(DEVICE, 8) == make_channels(DEVICE, 8)
    lon0, lat0 = DEFAULT_CENTRE
    assert all(abs(c.longitude - lon0) < 0.04 and abs(c.latitude - lat0) < 0.04 for c in channels)
    assert {c.heading for c in channels} == {0.0, 90.0, 180.0, 270.0}
    assert len({c.name for c in channels}) > 40
    # The demo district's first cameras are the simulator's first device's channels.
    assert channel_id(DEVICE, 0, 4) == "34010400001320000001"


def test_pages() -> None:
    assert [len(p) for p in pages(list(range(10)), 4)] == [4, 4, 2]
    assert pages([], 4) == [()]
    with pytest.raises(ValueError):
        pages([1], 0)


def answers(**overrides: object) -> CommandAnswers:
    settings: dict[str, object] = {
        "device_id": DEVICE,
        "server": ("127.0.0.1", 5060),
        "password": "x",
    }
    settings.update(overrides)
    config = DeviceConfig(**settings)  # type: ignore[arg-type]
    channels = make_channels(DEVICE, config.channels)
    return CommandAnswers(config, lambda: channels, ControlState())


def test_catalog_pages_round_trip_in_the_edition_charset() -> None:
    answer = answers(channels=7, catalog_page_size=3, gb_version="2022")
    replies = answer.answer(CatalogQuery(sn=9, device_id=DEVICE))
    assert [len(r.items) for r in replies if isinstance(r, CatalogResponse)] == [3, 3, 1]
    body = encode(replies[0], answer.config.charset)
    assert b'encoding="GB18030"' in body
    decoded = decode(body)
    assert decoded == replies[0]
    first = replies[0].items[0]  # type: ignore[attr-defined]
    assert first.name and first.civil_code == "340104" and first.parent_id == DEVICE


def test_recordings_are_clipped_gappy_and_bounded() -> None:
    now = datetime(2024, 5, 1, 12, 30)
    items = recordings("34010400001320000001", now - timedelta(hours=24), now, now=now, days=7)
    assert items[0].start_time == now - timedelta(hours=24)
    assert items[-1].end_time == now
    hours = sum(((i.end_time or now) - (i.start_time or now)).total_seconds() for i in items) / 3600
    assert 18 < hours < 23  # one hour in seven missing
    old = recordings("34010400001320000001", now - timedelta(days=30), now, now=now, days=7)
    assert (old[0].start_time or now) >= now - timedelta(days=7, hours=1)
    assert len(old) <= MAX_RECORDS


def test_record_query_for_unknown_channel_is_empty() -> None:
    replies = answers().answer(RecordInfoQuery(sn=1, device_id="34010400001329999999"))
    assert [r.sum_num for r in replies] == [0]  # type: ignore[attr-defined]
