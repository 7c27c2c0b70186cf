"""GET /api/v1/events: token as the first message, scope-checked catalog events, clean close."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import ClientConnection, connect

from tests.integration.live import LiveServer, live_vigil

ADMIN_PASSWORD = "Events-Test-Pass-1"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    data_dir: Path = tmp_path_factory.mktemp("events")
    with live_vigil("serve", data_dir, admin_password=ADMIN_PASSWORD) as live:
        yield live


def token(server: LiveServer, username: str, password: str) -> str:
    response = httpx.post(
        f"{server.url}/api/v1/auth/token", data={"username": username, "password": password}
    )
    assert response.status_code == 200, response.text
    access: str = response.json()["access_token"]
    return access


@contextmanager
def events(server: LiveServer, access: str) -> Iterator[ClientConnection]:
    with connect(server.url.replace("http", "ws") + "/api/v1/events", open_timeout=5) as socket:
        socket.send(json.dumps({"token": access}))
        assert json.loads(socket.recv(timeout=5)) == {"subject": "ready"}
        yield socket


def next_event(socket: ClientConnection) -> dict[str, object]:
    message: dict[str, object] = json.loads(socket.recv(timeout=5))
    return message


def test_bad_token_closes_with_4401(server: LiveServer) -> None:
    with connect(server.url.replace("http", "ws") + "/api/v1/events") as socket:
        socket.send(json.dumps({"token": "not-a-token"}))
        with pytest.raises(ConnectionClosed) as closed:
            socket.recv(timeout=5)
    assert closed.value.rcvd is not None and closed.value.rcvd.code == 4401


def test_catalog_change_reaches_admin(server: LiveServer) -> None:
    admin = token(server, "admin", ADMIN_PASSWORD)
    with events(server, admin) as socket:
        created = httpx.post(
            f"{server.url}/api/v1/organisations",
            json={"id": "11", "name": "北京市"},
            headers={"Authorization": f"Bearer {admin}"},
        )
        assert created.status_code == 201, created.text
        event = next_event(socket)
    assert event["subject"] == "catalog.organisation.created"
    assert event["id"] == "11" and event["op"] == "created"
    assert isinstance(event["at"], str)


def test_scoped_user_sees_only_its_organisations(server: LiveServer) -> None:
    admin = token(server, "admin", ADMIN_PASSWORD)
    headers = {"Authorization": f"Bearer {admin}"}
    for org in ("31", "32"):
        response = httpx.post(
            f"{server.url}/api/v1/organisations", json={"id": org, "name": org}, headers=headers
        )
        assert response.status_code == 201, response.text
    user = {"username": "viewer32", "password": "Viewer-32-Pass!", "role": "viewer"}
    response = httpx.post(
        f"{server.url}/api/v1/users", json={**user, "scopes": ["32"]}, headers=headers
    )
    assert response.status_code == 201, response.text
    viewer = token(server, user["username"], user["password"])
    with events(server, viewer) as socket:
        for org, name in (("31", "上海市"), ("32", "江苏省")):
            response = httpx.patch(
                f"{server.url}/api/v1/organisations/{org}", json={"name": name}, headers=headers
            )
            assert response.status_code == 200, response.text
        event = next_event(socket)
        assert (event["subject"], event["id"]) == ("catalog.organisation.updated", "32")
        with pytest.raises(TimeoutError):
            socket.recv(timeout=0.5)  # the update of 31 never came


def test_logout_ends_the_socket(server: LiveServer) -> None:
    admin = token(server, "admin", ADMIN_PASSWORD)
    with events(server, admin) as socket:
        response = httpx.post(
            f"{server.url}/api/v1/auth/logout", headers={"Authorization": f"Bearer {admin}"}
        )
        assert response.status_code == 204
        socket.send("keep-alive")  # any message makes the server check the token again
        with pytest.raises(ConnectionClosed) as closed:
            socket.recv(timeout=5)
    assert closed.value.rcvd is not None and closed.value.rcvd.code == 4401


def test_binary_first_message_closes_with_4401(server: LiveServer) -> None:
    with connect(server.url.replace("http", "ws") + "/api/v1/events") as socket:
        socket.send(b'{"token": "x"}')
        with pytest.raises(ConnectionClosed) as closed:
            socket.recv(timeout=5)
    assert closed.value.rcvd is not None and closed.value.rcvd.code == 4401


def test_binary_keepalive_keeps_the_socket_serving(server: LiveServer) -> None:
    admin = token(server, "admin", ADMIN_PASSWORD)
    with events(server, admin) as socket:
        socket.send(b"\x00\xffping")
        created = httpx.post(
            f"{server.url}/api/v1/organisations",
            json={"id": "15", "name": "内蒙古自治区"},
            headers={"Authorization": f"Bearer {admin}"},
        )
        assert created.status_code == 201, created.text
        assert next_event(socket)["id"] == "15"
