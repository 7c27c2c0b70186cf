"""The live pipeline on a node with the demo's footage camera (vtest.avi: pedestrians on a path):
rules in memory, the real detector in a worker process, the stream taken from the hub.

Measured offline on the same clip with the same analysis (5 fps, NanoDet, the tracker): people on
the path enter the zone below within the first second; the vertical line at x = 0.6 (drawn
downwards, so side A is on the screen's right) is crossed only from A to B (walking right to
left) until 34.8 s into the clip, when the first walker crosses it from B to A. Live, the
tracker may still link two walkers into one track while the worker starts and drops frames
(seen with onnxruntime 1.32: a westward alarm 10 s in), so the test checks each line alarm's
direction against its own track's path rather than against the clip's timeline.
"""

from __future__ import annotations

import dataclasses
import logging
import os
import signal
import time
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from tests.integration.analytics.demo_node import demo_node
from tests.unit.sim.footage import needs_vtest
from tests.waiting import until
from vigil.analytics.events import RulesChanged
from vigil.analytics.live import AnalyticsService, LiveConfig
from vigil.analytics.rules import (
    Direction,
    FrameSize,
    IntrusionRule,
    LineCrossingRule,
    Rule,
    Side,
    Tripwire,
    Zone,
    rule_to_dict,
)
from vigil.app import Vigil
from vigil.demo import FOOTAGE_CAMERA_ID
from vigil.governance.audited import as_caller
from vigil.governance.permissions import system_principal
from vigil.store.models import Alarm, AnalyticsTrack

pytestmark = [pytest.mark.timeout(180), needs_vtest]

CLIP_SIZE = FrameSize(768, 576)
PATH = Zone(((0.35, 0.2), (1.0, 0.2), (1.0, 0.75), (0.35, 0.75)))
LINE = Tripwire((0.6, 0.15), (0.6, 0.8))
RULES: list[Rule] = [
    IntrusionRule(id="path", name="Path", classes=("person",), zone=PATH),
    LineCrossingRule(id="east", name="East", classes=("person",), line=LINE,
                     direction=Direction.a_to_b),
    LineCrossingRule(id="west", name="West", classes=("person",), line=LINE,
                     direction=Direction.b_to_a),
]  # fmt: skip


class MemoryRules:
    """A rules source in memory (the rules store's service is another part's work)."""

    def __init__(self, rules: dict[str, list[Rule]]) -> None:
        self.rules = rules

    async def enabled_channels(self) -> dict[str, list[Rule]]:
        return {c: r for c, r in self.rules.items() if any(rule.enabled for rule in r)}

    async def rules_for(self, channel_id: str) -> list[Rule]:
        return self.rules.get(channel_id, [])


@pytest.fixture
async def footage_node(tmp_path: Path, sqlite_template: Path) -> AsyncIterator[Vigil]:
    """The demo node with its own analytics off: the test runs a service of its own."""
    async with demo_node(tmp_path, sqlite_template, analytics=False) as node:
        yield node


@pytest.fixture
async def composed_node(tmp_path: Path, sqlite_template: Path) -> AsyncIterator[Vigil]:
    """The demo node as composed: its own analytics runs the channels' stored rules."""
    async with demo_node(tmp_path, sqlite_template, analytics=True) as node:
        yield node


def side_of(box: list[float]) -> Side | None:
    """The side of ``LINE`` that a normalised box's foot point (its bottom centre) is on."""
    return LINE.side(((box[0] + box[2]) / 2, box[3]), CLIP_SIZE, 0.0)


async def rows(node: Vigil, model: type[Alarm] | type[AnalyticsTrack]) -> list[object]:
    async with node.db.session() as session:
        return list((await session.scalars(select(model))).all())


# Judged by wall time (the footage plays in real time: the alarms must come within 30 s of the
# service's start): on a loaded machine it ran late, so it runs alone.
@pytest.mark.alone
async def test_people_on_the_path_raise_alarms_and_leave_tracks(footage_node: Vigil) -> None:
    node = footage_node
    data_dir = node.settings.data_dir
    rules = MemoryRules({FOOTAGE_CAMERA_ID: RULES})
    service = AnalyticsService(
        node.media.hub, rules, node.alarms, node.db, node.bus,
        LiveConfig(enabled=True, fps=5.0), data_dir,
    )  # fmt: skip
    started = time.monotonic()
    await service.start()
    try:

        async def seen() -> bool:
            alarms = [a for a in await rows(node, Alarm) if isinstance(a, Alarm)]
            kinds = {(a.kind, a.detail["rule_id"]) for a in alarms}
            tracks = [t for t in await rows(node, AnalyticsTrack) if isinstance(t, AnalyticsTrack)]
            ended = [t for t in tracks if t.ended_at is not None]
            return (
                ("intrusion", "path") in kinds
                and ("line_crossing", "east") in kinds
                and bool(ended)
            )

        await until(seen, "an intrusion, an eastward crossing and an ended track", 60, 1.0)
        elapsed = time.monotonic() - started
        status = service.status()["channels"][FOOTAGE_CAMERA_ID]
    finally:
        await service.stop()
    stopped_in = time.monotonic() - started - elapsed
    assert stopped_in < 15  # bounded stop: the worker ends its tracks and exits

    alarms = [a for a in await rows(node, Alarm) if isinstance(a, Alarm)]
    intrusion = next(a for a in alarms if a.kind == "intrusion")
    assert intrusion.source == "analytics" and intrusion.channel_id == FOOTAGE_CAMERA_ID
    assert intrusion.detail["label"] == "person" and intrusion.snapshot_path is not None
    assert intrusion.detail["rule_name"] == "Path"  # the rule's name, for the popup
    assert all(0 <= v <= 1 for v in intrusion.detail["box"])  # normalised, as tracks' boxes
    snapshot = data_dir / intrusion.snapshot_path
    assert snapshot.read_bytes()[:2] == b"\xff\xd8"  # a JPEG
    assert elapsed < 30  # the intrusion, the crossing and an ended track, in the clip's first 30 s

    tracks = [t for t in await rows(node, AnalyticsTrack) if isinstance(t, AnalyticsTrack)]
    # Each line alarm goes the way of its rule, by its track's own path: from where the track was
    # first seen to where it crossed.
    first_seen = {t.track_id: t.first_box for t in tracks}
    for alarm in alarms:
        if alarm.kind == "line_crossing":
            came_from, went_to = (
                (Side.A, Side.B) if alarm.detail["rule_id"] == "east" else (Side.B, Side.A)
            )
            assert side_of(first_seen[alarm.detail["track_id"]]) is came_from, alarm.detail
            assert side_of(alarm.detail["box"]) is went_to, alarm.detail
    ended = [t for t in tracks if t.ended_at is not None]
    assert all(t.label == "person" and t.channel_id == FOOTAGE_CAMERA_ID for t in ended)
    assert all(t.frames > 0 and 0 <= t.first_box[0] <= 1 for t in ended)
    crops = [data_dir / t.crop_path for t in ended if t.crop_path is not None]
    assert crops and all(c.read_bytes()[:2] == b"\xff\xd8" for c in crops)
    # Each crop's attributes came back from the worker with it and are stored: a person's clothes.
    worn = [t for t in ended if t.crop_path is not None]
    assert all(t.attributes is not None and set(t.attributes) == {"upper", "lower"} for t in worn)
    # After stop every track is closed.
    assert all(t.ended_at is not None for t in tracks)

    assert status["analysed"] > 0 and status["packets"] > 0
    logging.getLogger(__name__).info("live pipeline counters: %s", status)


async def test_a_rules_change_starts_and_stops_a_channel(footage_node: Vigil) -> None:
    node = footage_node
    rules = MemoryRules({})
    service = AnalyticsService(
        node.media.hub, rules, node.alarms, node.db, node.bus,
        LiveConfig(enabled=True, fps=5.0), node.settings.data_dir,
    )  # fmt: skip
    await service.start()
    try:
        assert service.status()["channels"] == {}
        rules.rules[FOOTAGE_CAMERA_ID] = RULES[:1]
        await node.bus.publish(RulesChanged(channel_id=FOOTAGE_CAMERA_ID))
        await until(lambda: FOOTAGE_CAMERA_ID in service.status()["channels"], "started", 10, 0.1)
        await until(
            lambda: service.status()["channels"][FOOTAGE_CAMERA_ID]["analysed"] > 0,
            "frames analysed",
            60,
            0.5,
        )
        # A worker that dies is replaced; the tracks it had open are closed then.
        old = service.status()["channels"][FOOTAGE_CAMERA_ID]["worker_pid"]
        os.kill(old, signal.SIGKILL)
        killed_at = datetime.now(UTC)

        def replaced() -> bool:
            status = service.status()["channels"][FOOTAGE_CAMERA_ID]
            return bool(status["restarts"] == 1 and status["running"])

        await until(replaced, "a new worker", 30, 0.2)
        assert service.status()["channels"][FOOTAGE_CAMERA_ID]["worker_pid"] != old
        before = [t for t in await rows(node, AnalyticsTrack) if isinstance(t, AnalyticsTrack)]
        assert all(t.ended_at is not None for t in before if t.started_at < killed_at)

        rules.rules[FOOTAGE_CAMERA_ID] = [dataclasses.replace(RULES[0], enabled=False)]
        await node.bus.publish(RulesChanged(channel_id=FOOTAGE_CAMERA_ID))
        await until(lambda: service.status()["channels"] == {}, "stopped", 20, 0.1)
    finally:
        await service.stop()


async def test_rules_saved_in_the_store_reach_the_nodes_own_pipeline(composed_node: Vigil) -> None:
    """End to end on the node as composed: the demo's seeded rules start its own pipeline on the
    footage camera; rules saved through the rules store reach it by the bus, and the new rule
    raises its alarm."""
    node = composed_node
    await until(lambda: FOOTAGE_CAMERA_ID in node.analytics.status()["channels"], "started", 10)
    admin = as_caller(system_principal("test"))
    await node.analytics_rules.put(FOOTAGE_CAMERA_ID, [rule_to_dict(RULES[0])], admin, None)

    async def intruded() -> bool:
        alarms = [a for a in await rows(node, Alarm) if isinstance(a, Alarm)]
        return any(a.kind == "intrusion" and a.detail["rule_id"] == "path" for a in alarms)

    await until(intruded, "an intrusion alarm of the saved rule from the node's pipeline", 60, 1.0)
    status = node.analytics.status()["channels"][FOOTAGE_CAMERA_ID]
    assert status["running"] and status["restarts"] == 0  # updated in place, not restarted
