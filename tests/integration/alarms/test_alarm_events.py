"""``alarm.raised`` reaches the console's event socket (GET /api/v1/events) of the callers whose
scope holds the alarm's channel, and no one else's; handling it is announced too."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime

import httpx
from websockets.asyncio.client import ClientConnection, connect

from tests.integration.api.helpers import HEFEI_CHANNEL, WUHU_CHANNEL, add_user, build_tree
from tests.integration.media.live_support import serve
from vigil.app import Vigil

AT = datetime(2026, 12, 7, 8, 0, tzinfo=UTC)


async def _next(socket: ClientConnection) -> dict[str, object]:
    message: dict[str, object] = json.loads(await asyncio.wait_for(socket.recv(), 5))
    return message


async def test_alarm_events_reach_sockets_in_scope(
    node: Vigil, client: httpx.AsyncClient, admin: dict[str, str]
) -> None:
    await build_tree(client, admin)
    viewer = await add_user(client, admin, "hefei-viewer", "viewer", ["3401"])
    async with serve(node) as url:
        ws = url.replace("http", "ws") + "/api/v1/events"
        async with connect(ws) as socket:
            await socket.send(json.dumps({"token": viewer["Authorization"].split()[1]}))
            assert await _next(socket) == {"subject": "ready"}
            await node.alarms.raise_analytics(
                channel_id=WUHU_CHANNEL, rule_id=1, kind="intrusion", at=AT
            )
            alarm = await node.alarms.raise_analytics(
                channel_id=HEFEI_CHANNEL,
                rule_id=2,
                kind="loitering",
                at=AT,
                label="person",
                rule_name="广场徘徊",
            )
            event = await _next(socket)  # the Wuhu alarm never comes
            assert event["subject"] == "alarm.raised" and event["alarm_id"] == alarm.id
            assert event["kind"] == "loitering" and event["channel_id"] == HEFEI_CHANNEL
            assert event["rule_name"] == "广场徘徊"  # the popup names the rule
            assert alarm.detail["rule_name"] == "广场徘徊"
            await client.post(f"/api/v1/alarms/{alarm.id}/close", headers=admin, json={})
            closed = await _next(socket)
            assert (closed["subject"], closed["alarm_id"]) == ("alarm.closed", alarm.id)
            assert closed["by"] == "admin"
