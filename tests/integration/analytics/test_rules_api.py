"""A channel's analytics rules through the API, on both engines: saved and read back, versioned,
authorised and scoped, checked with the rules' own codes, audited, announced on the bus, and
read by the live analysis through ``enabled_channels`` / ``rules_for``."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import httpx
from sqlalchemy import select

from tests.integration.api.helpers import HEFEI_CHANNEL, WUHU_CHANNEL, add_user, build_tree
from vigil.analytics.events import RulesChanged
from vigil.analytics.rules import IntrusionRule, LineCrossingRule
from vigil.app import Vigil
from vigil.bus import Event
from vigil.store.models import AuditRecord

ZONE: dict[str, Any] = {
    "kind": "intrusion",
    "id": "gate",
    "name": "Gate",
    "classes": ["person", "car"],
    "min_score": 0.5,
    "cooldown_s": 10,
    "zone": [[0.1, 0.1], [0.6, 0.1], [0.6, 0.7], [0.1, 0.7]],
}
LINE: dict[str, Any] = {
    "kind": "line_crossing",
    "id": "door",
    "name": "Door",
    "classes": ["person"],
    "line": [[0.2, 0.5], [0.8, 0.5]],
    "direction": "a_to_b",
    "enabled": False,
}


def _url(channel_id: str) -> str:
    return f"/api/v1/channels/{channel_id}/analytics/rules"


async def test_rules_round_trip_with_versions(
    node: Vigil, client: httpx.AsyncClient, admin: dict[str, str]
) -> None:
    await build_tree(client, admin)
    empty = await client.get(_url(HEFEI_CHANNEL), headers=admin)
    assert empty.status_code == 200, empty.text
    assert empty.json() == {
        "channel_id": HEFEI_CHANNEL,
        "version": 0,
        "updated_at": None,
        "updated_by": None,
        "rules": [],
    }

    saved = await client.put(
        _url(HEFEI_CHANNEL), headers=admin, json={"version": 0, "rules": [ZONE, LINE]}
    )
    assert saved.status_code == 200, saved.text
    body = saved.json()
    assert (body["version"], body["updated_by"]) == (1, "admin")
    assert body["updated_at"] is not None
    zone, line = body["rules"]
    assert zone["zone"] == ZONE["zone"] and zone["classes"] == ["person", "car"]
    assert (zone["min_score"], zone["cooldown_s"], zone["enabled"]) == (0.5, 10, True)
    assert line["line"] == LINE["line"] and line["direction"] == "a_to_b"
    assert line["enabled"] is False

    read = await client.get(_url(HEFEI_CHANNEL), headers=admin)
    assert read.json() == body
    # Another channel is untouched.
    other = await client.get(_url(WUHU_CHANNEL), headers=admin)
    assert other.json()["version"] == 0

    # The editor saved over version 1: version 2, and with no version given: version 3.
    again = await client.put(
        _url(HEFEI_CHANNEL), headers=admin, json={"version": 1, "rules": [LINE]}
    )
    assert again.json()["version"] == 2 and len(again.json()["rules"]) == 1
    forced = await client.put(
        _url(HEFEI_CHANNEL), headers=admin, json={"version": None, "rules": [ZONE]}
    )
    assert forced.json()["version"] == 3


async def test_a_stale_version_is_a_conflict(
    node: Vigil, client: httpx.AsyncClient, admin: dict[str, str]
) -> None:
    await build_tree(client, admin)
    first = await client.put(_url(HEFEI_CHANNEL), headers=admin, json={"version": 0, "rules": []})
    assert first.status_code == 200, first.text
    stale = await client.put(
        _url(HEFEI_CHANNEL), headers=admin, json={"version": 0, "rules": [ZONE]}
    )
    assert stale.status_code == 409, stale.text
    assert stale.json()["code"] == "rule.version_conflict"
    assert (await client.get(_url(HEFEI_CHANNEL), headers=admin)).json()["rules"] == []


async def test_bad_rules_are_refused_with_their_codes(
    node: Vigil, client: httpx.AsyncClient, admin: dict[str, str]
) -> None:
    await build_tree(client, admin)
    crossing = {**ZONE, "zone": [[0.1, 0.1], [0.6, 0.6], [0.6, 0.1], [0.1, 0.6]]}
    outside = {**LINE, "line": [[0.2, 0.5], [1.2, 0.5]]}
    unknown = {**ZONE, "classes": ["unicorn"]}
    many = [{**ZONE, "id": f"z{i}"} for i in range(33)]
    cases: list[tuple[list[dict[str, Any]], str]] = [
        ([ZONE, crossing], "rule.zone_self_intersecting"),
        ([outside], "rule.point_outside"),
        ([unknown], "rule.unknown_class"),
        ([{**LINE, "line": [[0.2, 0.5], [0.5, 0.5], [0.8, 0.5]]}], "rule.line_points"),
        ([{**ZONE, "kind": "loitering"}], "rule.missing_field"),
        ([ZONE, {**LINE, "id": "gate"}], "rule.duplicate_id"),
        (many, "rule.too_many"),
    ]
    for rules, code in cases:
        response = await client.put(
            _url(HEFEI_CHANNEL), headers=admin, json={"version": None, "rules": rules}
        )
        assert response.status_code == 422, (code, response.text)
        assert response.json()["code"] == code, response.text
    first_bad = await client.put(
        _url(HEFEI_CHANNEL), headers=admin, json={"version": None, "rules": [ZONE, crossing]}
    )
    assert first_bad.json()["detail"].startswith("rule 2: ")
    # The schema bounds what it can before the rules see it.
    schema = await client.put(
        _url(HEFEI_CHANNEL), headers=admin, json={"version": None, "rules": [{**ZONE, "x": 1}]}
    )
    assert (schema.status_code, schema.json()["code"]) == (422, "request.invalid")
    assert (await client.get(_url(HEFEI_CHANNEL), headers=admin)).json()["version"] == 0


async def test_rules_are_authorised_and_scoped(
    node: Vigil, client: httpx.AsyncClient, admin: dict[str, str]
) -> None:
    await build_tree(client, admin)
    body = {"version": None, "rules": [ZONE]}
    anonymous = await client.get(_url(HEFEI_CHANNEL))
    assert anonymous.status_code == 401
    assert (await client.put(_url(HEFEI_CHANNEL), json=body)).status_code == 401

    viewer = await add_user(client, admin, "hefei-viewer", "viewer", ["3401"])
    assert (await client.get(_url(HEFEI_CHANNEL), headers=viewer)).status_code == 200
    refused = await client.put(_url(HEFEI_CHANNEL), headers=viewer, json=body)
    assert refused.status_code == 403, refused.text

    operator = await add_user(client, admin, "hefei-operator", "operator", ["3401"])
    assert (await client.put(_url(HEFEI_CHANNEL), headers=operator, json=body)).status_code == 200
    elsewhere = await client.get(_url(WUHU_CHANNEL), headers=operator)
    assert (elsewhere.status_code, elsewhere.json()["code"]) == (403, "out_of_scope")
    write_elsewhere = await client.put(_url(WUHU_CHANNEL), headers=operator, json=body)
    assert write_elsewhere.status_code == 403
    missing = await client.get(_url("34010000001320000099"), headers=admin)
    assert (missing.status_code, missing.json()["code"]) == (404, "not_found")
    assert (await client.get(_url(WUHU_CHANNEL), headers=admin)).json()["version"] == 0


async def test_saves_are_audited_and_announced(
    node: Vigil, client: httpx.AsyncClient, admin: dict[str, str]
) -> None:
    await build_tree(client, admin)
    heard: list[Event] = []

    async def hear(event: Event) -> None:
        heard.append(event)

    node.bus.subscribe("analytics.rules_changed", hear)
    saved = await client.put(
        _url(HEFEI_CHANNEL), headers=admin, json={"version": 0, "rules": [ZONE]}
    )
    assert saved.status_code == 200, saved.text
    refused = await client.put(
        _url(HEFEI_CHANNEL), headers=admin, json={"version": 0, "rules": [ZONE]}
    )
    assert refused.status_code == 409
    for _ in range(100):
        if heard:
            break
        await asyncio.sleep(0.01)
    await asyncio.sleep(0.05)  # nothing more comes: the refused save announced nothing
    assert heard == [RulesChanged(channel_id=HEFEI_CHANNEL, at=heard[0].at)]
    async with node.db.session() as session:
        records = list(
            await session.scalars(
                select(AuditRecord)
                .where(AuditRecord.action == "analytics.rules.update")
                .order_by(AuditRecord.seq)
            )
        )
    assert [(r.actor, r.outcome, r.channel_id) for r in records] == [
        ("admin", "ok", HEFEI_CHANNEL),
        ("admin", "conflict", HEFEI_CHANNEL),
    ]
    assert records[0].resource == f"channel:{HEFEI_CHANNEL}"
    assert json.loads(records[0].detail)["version"] == 1


async def test_the_live_analysis_reads_enabled_channels(
    node: Vigil, client: httpx.AsyncClient, admin: dict[str, str]
) -> None:
    await build_tree(client, admin)
    service = node.analytics_rules
    assert await service.enabled_channels() == {}
    assert await service.rules_for(HEFEI_CHANNEL) == []
    for channel, rules in ((HEFEI_CHANNEL, [ZONE, LINE]), (WUHU_CHANNEL, [LINE])):
        response = await client.put(
            _url(channel), headers=admin, json={"version": None, "rules": rules}
        )
        assert response.status_code == 200, response.text
    enabled = await service.enabled_channels()
    # Wuhu's only rule is disabled: that channel has nothing to run.
    assert list(enabled) == [HEFEI_CHANNEL]
    zone, line = enabled[HEFEI_CHANNEL]
    assert isinstance(zone, IntrusionRule) and zone.zone.points[2] == (0.6, 0.7)
    assert isinstance(line, LineCrossingRule) and not line.enabled
    assert [r.id for r in await service.rules_for(WUHU_CHANNEL)] == ["door"]


async def test_two_saves_over_one_version_one_wins(
    node: Vigil, client: httpx.AsyncClient, admin: dict[str, str]
) -> None:
    await build_tree(client, admin)
    for version in (0, 1):  # over no row yet (two inserts), then over a stored one
        first, second = await asyncio.gather(
            client.put(
                _url(HEFEI_CHANNEL), headers=admin, json={"version": version, "rules": [ZONE]}
            ),
            client.put(
                _url(HEFEI_CHANNEL), headers=admin, json={"version": version, "rules": [LINE]}
            ),
        )
        assert sorted([first.status_code, second.status_code]) == [200, 409], (
            first.text,
            second.text,
        )
        winner = first if first.status_code == 200 else second
        stored = (await client.get(_url(HEFEI_CHANNEL), headers=admin)).json()
        assert stored["version"] == version + 1
        assert stored["rules"] == winner.json()["rules"]
