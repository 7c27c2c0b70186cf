"""The console's files at / with SPA fallback, a plain page when it was not built, and the CSP."""

from __future__ import annotations

from pathlib import Path

import httpx
from fastapi import FastAPI

from tests.conftest import ADMIN_PASSWORD, login
from vigil.api.web import content_policy, mount_web


def console_app(dist: Path) -> httpx.AsyncClient:
    app = FastAPI()
    mount_web(app, None, dist)
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://vigil.test")


async def test_spa_fallback_serves_index_for_console_paths(tmp_path: Path) -> None:
    (tmp_path / "assets").mkdir()
    (tmp_path / "index.html").write_text("<!doctype html><title>console</title>")
    (tmp_path / "assets" / "app-1234.js").write_text("console.log(1)")
    (tmp_path.parent / "secret.txt").write_text("not for the web")
    async with console_app(tmp_path) as client:
        page = await client.get("/map")
        asset = await client.get("/assets/app-1234.js")
        escape = await client.get("/..%2fsecret.txt")
        api = await client.get("/api/v1/nothing")
        post = await client.post("/map")
    assert page.status_code == 200 and "console" in page.text
    assert "default-src 'self'" in page.headers["content-security-policy"]
    assert asset.text == "console.log(1)"
    assert "immutable" in asset.headers["cache-control"]
    assert "not for the web" not in escape.text
    assert api.status_code == 404
    assert api.headers["content-type"] == "application/problem+json"
    assert post.status_code == 405


async def test_missing_build_says_so(tmp_path: Path) -> None:
    async with console_app(tmp_path / "dist") as client:
        root = await client.get("/")
    assert root.status_code == 200
    assert "console was not built" in root.text


async def test_console_settings_carry_the_tile_url(client: httpx.AsyncClient) -> None:
    headers = await login(client, "admin", ADMIN_PASSWORD)
    response = await client.get("/api/v1/console/settings", headers=headers)
    assert response.json() == {"map_tiles": None}


def test_policy_admits_only_the_configured_tile_server() -> None:
    policy = content_policy("https://tiles.example.cn/{z}/{x}/{y}.png")
    assert "img-src 'self' data: blob: https://tiles.example.cn;" in policy
    assert "tiles.example.cn" not in content_policy(None)
