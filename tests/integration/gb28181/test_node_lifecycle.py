"""One lifecycle: a node starts its services in order, shows each one's state in
``/api/v1/health``, and a service that cannot start is shown failed with the rest stopped."""

from __future__ import annotations

import socket
from pathlib import Path

import httpx
import pytest

from tests.integration.gb28181.conftest import NodeFactory, free_sip_port, gb_settings
from vigil.api.server import create_api
from vigil.app import Vigil
from vigil.errors import Unavailable
from vigil.lifecycle import State

START_ORDER = [
    "alarms",
    "audit_tree_heads",
    "sip",
    "media",
    "recording",
    "planned_recordings",
    "on_demand_recordings",
    "diagnosis",
    "diagnosis_schedule",
    "analytics",
    "upper_links",
    "cascade_notifier",
    "cascade_responder",
    "playback",
    "device_downloads",
    "device_playback",
    "cascade_records",
    "cascade_media",
]
SERVING_ONLY = {
    "sip",
    "planned_recordings",
    "diagnosis_schedule",
    "analytics",
    "upper_links",
    "cascade_notifier",
}


async def health_of(node: Vigil) -> dict[str, object]:
    transport = httpx.ASGITransport(app=create_api(node), client=("127.0.0.9", 40000))
    async with httpx.AsyncClient(transport=transport, base_url="http://vigil.test") as http:
        response = await http.get("/api/v1/health")
    assert response.status_code == 200, response.text
    body: dict[str, object] = response.json()
    return body


async def test_a_serving_node_shows_every_service_running(gb_factory: NodeFactory) -> None:
    node = await gb_factory()
    body = await health_of(node)
    assert body["status"] == "ok"
    assert body["services"] == dict.fromkeys(START_ORDER, "running")
    # SIP is really up: the endpoint answers on its port.
    assert node.gb.port > 0


async def test_a_node_inside_a_test_leaves_the_serving_services_stopped(node: Vigil) -> None:
    body = await health_of(node)
    assert body["status"] == "ok"
    services = body["services"]
    assert isinstance(services, dict) and list(services) == START_ORDER
    assert {name for name, state in services.items() if state == "stopped"} == SERVING_ONLY
    assert {state for name, state in services.items() if name not in SERVING_ONLY} == {"running"}


async def test_stop_leaves_every_service_stopped(tmp_path: Path, database_url: str) -> None:
    node = Vigil(gb_settings(tmp_path, database_url))
    await node.start(serving=True)
    assert node.states()["sip"] is State.running
    await node.stop()
    assert set(node.states().values()) == {State.stopped}


async def test_a_busy_sip_port_fails_the_start_and_shows_which_service(
    tmp_path: Path, database_url: str
) -> None:
    port = free_sip_port()
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as busy:
        busy.bind(("127.0.0.1", port))
        node = Vigil(gb_settings(tmp_path, database_url, sip_port=port))
        with pytest.raises(Unavailable, match=f"cannot listen for SIP on 127.0.0.1:{port}"):
            await node.start(serving=True)
    states = node.states()
    assert states["sip"] is State.failed
    assert {state for name, state in states.items() if name != "sip"} == {State.stopped}
