"""The ``wall`` linkage action publishes ``alarm.wall``, which the console's event socket (GET
/api/v1/events) carries to the callers whose scope holds the alarm's channel and no one else's;
each request is audited as ``alarm.wall`` by the alarm centre. (The browser side, a live wall
putting the channel into a cell, is tests/e2e/test_alarm_wall.py.)"""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime

import httpx
from websockets.asyncio.client import ClientConnection, connect

from tests.integration.api.helpers import HEFEI_CHANNEL, WUHU_CHANNEL, add_user, build_tree
from tests.integration.media.live_support import serve
from vigil.app import Vigil
from vigil.governance.audit import AuditFilter
from vigil.governance.permissions import SYSTEM

AT = datetime(2026, 12, 7, 8, 0, tzinfo=UTC)


async def _next_wall(socket: ClientConnection) -> dict[str, object]:
    """The next ``alarm.wall`` message (``alarm.raised`` ones come first)."""
    while True:
        message: dict[str, object] = json.loads(await asyncio.wait_for(socket.recv(), 5))
        if message["subject"] == "alarm.wall":
            return message


async def test_wall_requests_reach_sockets_in_scope(
    node: Vigil, client: httpx.AsyncClient, admin: dict[str, str]
) -> None:
    await build_tree(client, admin)
    rules = {
        "rules": [
            {"name": "to the wall", "kind": "intrusion", "actions": [{"type": "wall"}]},
            {"name": "duty", "kind": "crowding", "actions": [{"type": "wall", "wall": "值班"}]},
        ]
    }
    saved = await client.put("/api/v1/alarms/linkage", headers=admin, json=rules)
    assert saved.status_code == 200, saved.text
    bad = {"rules": [{"name": "x", "actions": [{"type": "wall", "wall": ""}]}]}
    refused = await client.put("/api/v1/alarms/linkage", headers=admin, json=bad)
    assert refused.status_code == 422, refused.text
    viewer = await add_user(client, admin, "hefei-wall", "viewer", ["3401"])
    async with serve(node) as url:
        ws = url.replace("http", "ws") + "/api/v1/events"
        async with connect(ws) as socket:
            await socket.send(json.dumps({"token": viewer["Authorization"].split()[1]}))
            assert json.loads(await socket.recv()) == {"subject": "ready"}
            await node.alarms.raise_analytics(
                channel_id=WUHU_CHANNEL, rule_id=1, kind="intrusion", at=AT
            )
            await node.alarms.linkage.idle()
            alarm = await node.alarms.raise_analytics(
                channel_id=HEFEI_CHANNEL, rule_id=2, kind="intrusion", at=AT
            )
            event = await _next_wall(socket)  # the Wuhu one never comes
            assert event["alarm_id"] == alarm.id and event["channel_id"] == HEFEI_CHANNEL
            assert (event["wall"], event["kind"], event["level"]) == (None, "intrusion", 2)
            crowd = await node.alarms.raise_analytics(
                channel_id=HEFEI_CHANNEL, rule_id=3, kind="crowding", at=AT
            )
            named = await _next_wall(socket)
            assert (named["alarm_id"], named["wall"]) == (crowd.id, "值班")
    await node.alarms.linkage.idle()
    assert node.alarms.linkage.counts["wall.ok"] == 3
    records = await node.audit.page(SYSTEM, AuditFilter(action="alarm.wall"), None, 10)
    assert {(r.actor, r.channel_id) for r in records} == {
        ("alarm-centre", WUHU_CHANNEL),
        ("alarm-centre", HEFEI_CHANNEL),
    }
