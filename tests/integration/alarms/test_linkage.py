"""Linkage delivers a raised alarm to a real MQTT subscriber (Mosquitto on 127.0.0.1:1883) and to a
real local HTTP server; a failing action is counted and loses nothing; rules are edited through
the API, checked and audited."""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime

import aiomqtt
import httpx
import pytest
from sqlalchemy import select

from tests.integration.alarms.webhooks import Received, receiving_webhooks
from tests.integration.api.helpers import HEFEI_CHANNEL, build_tree
from vigil.app import Vigil
from vigil.governance.permissions import SYSTEM
from vigil.store.models import AuditRecord

AT = datetime(2026, 12, 7, 8, 0, tzinfo=UTC)


@pytest.fixture
def webhook() -> Iterator[tuple[str, Received]]:
    """A real HTTP server on 127.0.0.1: its URL and the (path, JSON) bodies it received."""
    with receiving_webhooks() as (url, received):
        yield url, received


async def test_alarm_reaches_mqtt_and_webhook(
    node: Vigil,
    client: httpx.AsyncClient,
    admin: dict[str, str],
    webhook: tuple[str, Received],
) -> None:
    await build_tree(client, admin)
    url, received = webhook
    prefix = f"vigil-test/{uuid.uuid4().hex}"
    rules = {
        "rules": [
            {
                "name": "intrusions out",
                "source": "analytics",
                "kind": "intrusion",
                "actions": [
                    {"type": "mqtt", "topic": prefix + "/{source}/{kind}/{channel}"},
                    {"type": "webhook", "url": url},
                ],
            },
            {"name": "nowhere", "kind": "rule:99", "actions": [{"type": "webhook", "url": url}]},
        ]
    }
    saved = await client.put("/api/v1/alarms/linkage", headers=admin, json=rules)
    assert saved.status_code == 200, saved.text
    assert [
        r["name"] for r in (await client.get("/api/v1/alarms/linkage", headers=admin)).json()
    ] == [
        "intrusions out",
        "nowhere",
    ]
    async with aiomqtt.Client("127.0.0.1", 1883) as subscriber:
        await subscriber.subscribe(f"{prefix}/#", qos=1)
        alarm = await node.alarms.raise_analytics(
            channel_id=HEFEI_CHANNEL, rule_id=7, kind="intrusion", at=AT, label="person"
        )
        other = await node.alarms.raise_analytics(
            channel_id=HEFEI_CHANNEL, rule_id=8, kind="loitering", at=AT
        )
        message = await asyncio.wait_for(anext(aiter(subscriber.messages)), 10)
    assert str(message.topic) == f"{prefix}/analytics/intrusion/{HEFEI_CHANNEL}"
    assert isinstance(message.payload, bytes)
    published = json.loads(message.payload)
    assert published["id"] == alarm.id and published["detail"]["label"] == "person"
    await node.alarms.linkage.idle()
    assert [(path, body["id"]) for path, body in received] == [("/hooks/alarm", alarm.id)]
    assert received[0][1]["clip_start"] == alarm.clip_start.isoformat()  # type: ignore[union-attr]
    assert other.id not in [body["id"] for _, body in received]
    counts = node.alarms.linkage.counts
    assert counts["mqtt.ok"] == 1 and counts["webhook.ok"] == 1 and not counts["webhook.failed"]


async def test_failed_actions_are_counted_and_the_alarm_kept(
    node: Vigil, client: httpx.AsyncClient, admin: dict[str, str]
) -> None:
    await build_tree(client, admin)
    dead = "http://127.0.0.1:9/nothing-listens"  # discard port: refused at once
    rules = {
        "rules": [
            {
                "name": "broken",
                "actions": [
                    {"type": "webhook", "url": dead, "timeout": 2},
                    {"type": "mqtt", "port": 9},
                    {"type": "evidence_lock"},
                ],
            }
        ]
    }
    assert (
        await client.put("/api/v1/alarms/linkage", headers=admin, json=rules)
    ).status_code == 200
    alarm = await node.alarms.raise_analytics(
        channel_id=HEFEI_CHANNEL, rule_id=1, kind="crowding", at=AT
    )
    await asyncio.wait_for(node.alarms.linkage.idle(), 20)
    counts = node.alarms.linkage.counts
    assert counts["webhook.failed"] == 1 and counts["mqtt.failed"] == 1
    assert counts["evidence_lock.skipped"] == 1  # the channel is not recording
    stored = await client.get(f"/api/v1/alarms/{alarm.id}", headers=admin)
    assert stored.status_code == 200 and stored.json()["state"] == "new"


async def test_linkage_rules_are_checked_and_audited(
    node: Vigil, client: httpx.AsyncClient, admin: dict[str, str]
) -> None:
    bad = {"rules": [{"name": "x", "actions": [{"type": "webhook", "url": "ftp://host/x"}]}]}
    assert (await client.put("/api/v1/alarms/linkage", headers=admin, json=bad)).status_code == 422
    for action in (
        {"type": "webhook", "url": "http://["},  # no host to be had (found by the fuzz test)
        {"type": "mqtt", "topic": "vigil/#"},
        {"type": "mqtt", "topic": "vigil/{"},
    ):
        refused = await client.put(
            "/api/v1/alarms/linkage",
            headers=admin,
            json={"rules": [{"name": "x", "actions": [action]}]},
        )
        assert refused.status_code == 422, action
        assert refused.json()["code"] == "alarms.linkage.action"
    unknown = {"rules": [{"name": "x", "actions": [{"type": "siren"}]}]}
    assert (
        await client.put("/api/v1/alarms/linkage", headers=admin, json=unknown)
    ).status_code == 422
    good = {"rules": [{"name": "lock", "actions": [{"type": "evidence_lock"}]}]}
    assert (await client.put("/api/v1/alarms/linkage", headers=admin, json=good)).status_code == 200
    async with node.db.session() as session:
        records = await session.scalars(
            select(AuditRecord)
            .where(AuditRecord.action == "alarm.linkage")
            .order_by(AuditRecord.seq)
        )
        outcomes = [(r.actor, r.outcome) for r in records]
    # The schema refuses an unknown type before the service; the service's refusals are audited.
    assert outcomes == [("admin", "invalid")] * 3 + [("admin", "ok")]
    rules = await node.alarms.linkages(SYSTEM)
    assert [r.name for r in rules] == ["lock"]
