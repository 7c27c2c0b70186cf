"""The ``vigil`` command as an operator uses it, in real processes."""

from __future__ import annotations

import getpass
import json
import sqlite3
import subprocess
from pathlib import Path

import httpx

from tests.integration.live import VIGIL, live_vigil, vigil_env


def vigil(data_dir: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*VIGIL, *args],
        env=vigil_env(data_dir),
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_version(tmp_path: Path) -> None:
    result = vigil(tmp_path, "--version")
    assert result.returncode == 0
    assert result.stdout.startswith("vigil 0.")


def test_invalid_setting_stops_with_one_line(tmp_path: Path) -> None:
    result = subprocess.run(
        [*VIGIL, "db", "upgrade"],
        env=vigil_env(tmp_path, sip_id="1234"),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "vigil: invalid setting VIGIL_SIP_ID: ID must be 20 digits, got 4 characters: '1234'"
    ]


def test_users_add_list_passwd(tmp_path: Path) -> None:
    first = vigil(tmp_path, "db", "upgrade")
    assert first.returncode == 0, first.stderr
    added = vigil(
        tmp_path, "users", "add", "zhang.wei", "--role", "viewer", stdin="Long-Enough-Pw1\n"
    )
    assert added.returncode == 0, added.stderr
    assert "created user admin with password" in added.stdout  # first start, shown once
    listed = vigil(tmp_path, "users", "list")
    assert "zhang.wei" in listed.stdout and "viewer" in listed.stdout
    assert "created user admin" not in listed.stdout
    weak = vigil(tmp_path, "users", "passwd", "zhang.wei", stdin="short\n")
    assert weak.returncode == 1
    assert "at least 10 characters" in weak.stderr
    generated = vigil(tmp_path, "users", "passwd", "zhang.wei", "--generate")
    assert generated.returncode == 0
    assert generated.stdout.startswith("new password for zhang.wei: ")


def test_users_add_without_org_says_what_the_user_will_see(tmp_path: Path) -> None:
    assert vigil(tmp_path, "db", "upgrade").returncode == 0
    password = "Long-Enough-Pw1\n"
    viewer = vigil(tmp_path, "users", "add", "wang.fang", "--role", "viewer", stdin=password)
    assert viewer.returncode == 0, viewer.stderr
    assert viewer.stderr.splitlines() == [
        "vigil: warning: no --org: viewer wang.fang will see nothing "
        "(an operator or viewer sees only its organisations)"
    ]
    auditor = vigil(tmp_path, "users", "add", "zhao.lei", "--role", "auditor", stdin=password)
    assert auditor.returncode == 0, auditor.stderr
    assert auditor.stderr.splitlines() == [
        "vigil: warning: no --org: auditor zhao.lei will see every organisation "
        "(an admin or auditor without a scope sees all)"
    ]
    scoped = vigil(
        tmp_path, "users", "add", "sun.li", "--role", "operator", "--org", "3401", stdin=password
    )
    # A scope was given: no warning (this one is refused, as the organisation is not on file).
    assert scoped.stderr.splitlines() == ["vigil: unknown organisation(s) in scopes: 3401"]
    listed = vigil(tmp_path, "users", "list").stdout
    assert "wang.fang" in listed and "zhao.lei" in listed  # a warning, not a refusal


def test_account_changes_by_the_cli_are_audited(tmp_path: Path) -> None:
    assert vigil(tmp_path, "db", "upgrade").returncode == 0
    added = vigil(tmp_path, "users", "add", "li.na", "--role", "viewer", stdin="Long-Enough-Pw1\n")
    assert added.returncode == 0, added.stderr
    assert vigil(tmp_path, "users", "passwd", "li.na", stdin="Another-Long-Pw2\n").returncode == 0
    assert vigil(tmp_path, "users", "passwd", "li.na", "--generate").returncode == 0
    with sqlite3.connect(tmp_path / "vigil.db") as db:
        rows = db.execute(
            "SELECT actor, action, resource, outcome, detail FROM audit_records ORDER BY seq"
        ).fetchall()
    actor = f"cli:{getpass.getuser()}"
    assert [(r[0], r[1], r[2], r[3], json.loads(r[4]).get("how")) for r in rows] == [
        (actor, "user.create", "user/li.na", "ok", None),
        (actor, "user.password", "user/li.na", "ok", "set"),
        (actor, "user.password", "user/li.na", "ok", "reset"),
    ]
    assert json.loads(rows[0][4])["role"] == "viewer"
    assert not any("Long-Enough-Pw1" in r[4] or "Another-Long-Pw2" in r[4] for r in rows)
    assert "audit chain intact: 3 records" in vigil(tmp_path, "audit", "verify").stdout


def test_audit_verify_names_the_record_with_one_changed_byte(tmp_path: Path) -> None:
    with live_vigil("serve", tmp_path, admin_password="Audit-Test-Pass-1") as server:
        token = httpx.post(
            f"{server.url}/api/v1/auth/token",
            data={"username": "admin", "password": "Audit-Test-Pass-1"},
        ).json()["access_token"]
        headers = {"Authorization": f"Bearer {token}"}
        for code in ("11", "12", "13"):
            response = httpx.post(
                f"{server.url}/api/v1/organisations",
                headers=headers,
                json={"id": code, "name": code},
            )
            assert response.status_code == 201
    intact = vigil(tmp_path, "audit", "verify")
    assert intact.returncode == 0, intact.stdout
    assert "audit chain intact: 4 records" in intact.stdout

    with sqlite3.connect(tmp_path / "vigil.db") as db:
        resource = db.execute("SELECT resource FROM audit_records WHERE seq = 3").fetchone()[0]
        db.execute(
            "UPDATE audit_records SET resource = ? WHERE seq = 3",
            (resource.replace("/v1/", "/v2/"),),
        )
    broken = vigil(tmp_path, "audit", "verify")
    assert broken.returncode == 1
    assert "audit chain BROKEN at record 3: record 3 was edited" in broken.stdout


def test_demo_prints_url_and_working_credentials(tmp_path: Path) -> None:
    with live_vigil("demo", tmp_path, banner_lines=2) as server:
        url_line, credentials = server.first_lines
        assert url_line == f"Vigil demo on {server.url}/"
        user, password = credentials.removeprefix("  log in as: ").split(" / ")
        token = httpx.post(
            f"{server.url}/api/v1/auth/token", data={"username": user, "password": password}
        )
        assert token.status_code == 200
        headers = {"Authorization": f"Bearer {token.json()['access_token']}"}
        channels = httpx.get(f"{server.url}/api/v1/channels", headers=headers).json()["items"]
        assert len(channels) >= 4
        assert all(c["longitude"] and c["latitude"] for c in channels)
