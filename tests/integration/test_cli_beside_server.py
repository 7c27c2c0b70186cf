"""Admin commands beside a running server: they touch the database and nothing else (its open
recording segments above all), a second server on the same data dir is refused, and an admin
command where there is no database refuses and creates nothing."""

from __future__ import annotations

import asyncio
import itertools
import subprocess
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import pytest
from sqlalchemy.engine import make_url

from tests.conftest import scratch_pg_database
from tests.integration.live import VIGIL, LiveServer, free_port, live_vigil, vigil_env
from vigil.demo import CAMERAS

pytestmark = pytest.mark.timeout(240)


def vigil(data_dir: Path, *args: str, **settings: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*VIGIL, *args],
        env=vigil_env(data_dir, **settings),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def wait_for(what: str, check: Any, seconds: float) -> Any:
    deadline = time.monotonic() + seconds
    while not (found := check()):
        assert time.monotonic() < deadline, f"no {what} within {seconds} s"
        time.sleep(0.5)
    return found


def spans(segment: dict[str, Any], start: datetime, end: datetime) -> bool:
    return (
        datetime.fromisoformat(segment["start"])
        <= start
        < end
        <= datetime.fromisoformat(segment["end"])
    )


def spanned(index: dict[str, Any], start: datetime, end: datetime) -> dict[str, Any] | None:
    """``index`` when one of its closed segments spans ``start`` to ``end`` (the open one, being
    written, is listed too)."""
    closed = [s for s in index["segments"] if not s["open"]]
    return {**index, "segments": closed} if any(spans(s, start, end) for s in closed) else None


def recordings(server: LiveServer, headers: dict[str, str], channel: str) -> dict[str, Any]:
    now = datetime.now(UTC)
    params = {"start": (now - timedelta(hours=1)).isoformat(), "end": now.isoformat()}
    response = httpx.get(
        f"{server.url}/api/v1/channels/{channel}/recordings", headers=headers, params=params
    )
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def approved_export(
    server: LiveServer, headers: dict[str, str], channel: str, start: str, end: str
) -> int:
    """The ID of an export request of ``headers``' user, approved by a second admin it makes."""
    body = {"kind": "export", "channel_id": channel, "start": start, "end": end, "purpose": "x"}
    asked = httpx.post(f"{server.url}/api/v1/approvals", headers=headers, json=body)
    assert asked.status_code == 201, asked.text
    user = {"username": "approver", "password": "Approver-Pass-123", "role": "admin", "scopes": []}
    made = httpx.post(f"{server.url}/api/v1/users", headers=headers, json=user)
    assert made.status_code == 201, made.text
    token = httpx.post(f"{server.url}/api/v1/auth/token", data=user).json()["access_token"]
    approval: int = asked.json()["id"]
    decided = httpx.post(
        f"{server.url}/api/v1/approvals/{approval}/approve",
        headers={"Authorization": f"Bearer {token}"},
        json={},
    )
    assert decided.status_code == 200, decided.text
    return approval


def test_admin_commands_beside_a_recording_server_leave_its_recording_intact(
    tmp_path: Path,
) -> None:
    data = tmp_path / "data"
    with live_vigil("demo", data, banner_lines=2) as server:
        password = server.first_lines[1].rpartition(" / ")[2]
        login = httpx.post(
            f"{server.url}/api/v1/auth/token", data={"username": "admin", "password": password}
        )
        headers = {"Authorization": f"Bearer {login.json()['access_token']}"}
        # Every demo camera is recording into an open segment, a couple of seconds of it written.
        for camera in CAMERAS:
            wait_for(
                f"open segment of {camera.id}",
                lambda c=camera.id: [
                    p for p in (data / "recordings" / c).rglob("*.mp4") if p.stat().st_size > 50_000
                ],
                30,
            )

        before = datetime.now(UTC)
        listed = vigil(data, "users", "list")
        assert listed.returncode == 0, listed.stderr
        assert "admin" in listed.stdout
        verified = vigil(data, "audit", "verify")
        assert verified.returncode == 0, verified.stderr
        assert "audit chain intact" in verified.stdout
        after = datetime.now(UTC)

        # The segment that was open meanwhile closes as the server cut it: whole, in one piece.
        covering: dict[str, dict[str, Any]] = {}
        for camera in CAMERAS:
            index = wait_for(
                f"closed segment of {camera.id} spanning the commands",
                lambda c=camera.id: spanned(recordings(server, headers, c), before, after),
                100,
            )
            assert index["gaps"] == [], index["gaps"]
            segments = index["segments"]
            for earlier, later in itertools.pairwise(segments):
                # no overlap, no twin
                assert datetime.fromisoformat(later["start"]) >= datetime.fromisoformat(
                    earlier["end"]
                ), (earlier, later)
            covering[camera.id] = next(s for s in segments if spans(s, before, after))

        # An export of that minute verifies: the files are what was hashed when they closed.
        channel, segment = CAMERAS[0].id, covering[CAMERAS[0].id]
        approval = approved_export(server, headers, channel, segment["start"], segment["end"])
        body = {"start": segment["start"], "end": segment["end"], "purpose": "issue 13"}
        export = httpx.post(
            f"{server.url}/api/v1/channels/{channel}/exports",
            headers=headers,
            json=body | {"approval_id": approval},
        )
        assert export.status_code == 202, export.text
        job = export.json()["id"]
        done = wait_for(
            "finished export",
            lambda: (
                status
                if (
                    status := httpx.get(f"{server.url}/api/v1/exports/{job}", headers=headers)
                ).json()["state"]
                != "running"
                else None
            ),
            60,
        )
        assert done.json()["state"] == "done", done.text
        verify = httpx.get(f"{server.url}/api/v1/exports/{job}/verify", headers=headers)
        assert verify.json() == {"ok": True, "problems": []}

        # What the recorder wrote is its owner's alone.
        written = list((data / "recordings").rglob("*.mp4"))
        assert written and all(p.stat().st_mode & 0o077 == 0 for p in written)


def test_a_second_server_on_the_same_data_dir_is_refused(tmp_path: Path) -> None:
    data = tmp_path / "data"
    with live_vigil("serve", data, admin_password="Second-Server-Pass-1") as server:
        ports = {"http_port": str(free_port()), "sip_port": str(free_port())}
        for command in ("serve", "demo"):
            second = vigil(data, command, **ports)
            assert second.returncode != 0
            assert second.stderr.splitlines() == [
                f"vigil: the data dir {data} is in use by another vigil "
                f"(pid {server.process.pid}); one serving process per data dir"
            ]
            assert second.stdout == ""
        assert server.process.poll() is None  # the first one serves on
        assert httpx.get(f"{server.url}/api/v1/health").status_code == 200


@pytest.mark.parametrize("args", [["audit", "verify"], ["users", "list"]])
def test_an_admin_command_without_a_database_refuses_and_creates_nothing(
    tmp_path: Path, args: list[str]
) -> None:
    mistyped = tmp_path / "mistyped"
    result = vigil(mistyped, *args)
    assert result.returncode != 0
    assert result.stderr.splitlines() == [f"vigil: no database at {mistyped / 'vigil.db'}"]
    assert result.stdout == ""
    assert not mistyped.exists()

    empty = tmp_path / "empty"  # the dir is there, the database is not
    empty.mkdir()
    result = vigil(empty, *args)
    assert result.returncode != 0
    assert result.stderr.splitlines() == [f"vigil: no database at {empty / 'vigil.db'}"]
    assert list(empty.iterdir()) == []


def test_an_admin_command_on_a_postgresql_database_without_the_schema_refuses(
    tmp_path: Path,
) -> None:
    with scratch_pg_database() as url:
        result = vigil(tmp_path / "data", "audit", "verify", database_url=url)
        shown = make_url(url).render_as_string(hide_password=True)
        assert result.returncode != 0
        assert result.stderr.splitlines() == [
            f"vigil: no database at {shown} (no Vigil schema there)"
        ]
        assert not (tmp_path / "data").exists()

        async def tables() -> list[str]:
            dsn = make_url(url).set(drivername="postgresql")
            connection = await asyncpg.connect(dsn.render_as_string(hide_password=False))
            try:
                rows = await connection.fetch(
                    "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
                )
            finally:
                await connection.close()
            return [row["tablename"] for row in rows]

        assert asyncio.run(tables()) == []
