"""Input the fuzzer found to cause 500s: cursors beyond the key's range, times near the ends of
the calendar (which overflow once converted to the local time zone), and console paths no file
can have. Each is a 4xx problem+json now."""

from __future__ import annotations

import base64

import httpx
import pytest

from tests.integration.api.helpers import HEFEI_CHANNEL, add_user, build_tree

PROBLEM = "application/problem+json"
CHANNEL = f"/api/v1/channels/{HEFEI_CHANNEL}"


def cursor(raw: str) -> str:
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


BAD_CURSORS = {
    "int": ["int:99999999999999999999999", "int:4000000000", "int:-5"],
    "str": ["str:3401\x00", "str:\x1b[31m"],
}
INT_CURSOR_LISTS = [
    "/users",
    "/audit",
    "/work-orders",
    "/faults",
    f"/channels/{HEFEI_CHANNEL}/faults",
]
STR_CURSOR_LISTS = ["/organisations", "/devices", "/channels", "/virtual-groups"]


async def test_cursor_out_of_range_is_422(client: httpx.AsyncClient, admin: dict[str, str]) -> None:
    await build_tree(client, admin)
    auditor = await add_user(client, admin, "inspector", "auditor", [])
    lists = [(p, "int") for p in INT_CURSOR_LISTS] + [(p, "str") for p in STR_CURSOR_LISTS]
    for path, kind in lists:
        for raw in BAD_CURSORS[kind]:
            headers = auditor if path == "/audit" else admin
            response = await client.get(
                f"/api/v1{path}", headers=headers, params={"cursor": cursor(raw)}
            )
            assert response.status_code == 422, (path, raw, response.text)
            assert response.headers["content-type"] == PROBLEM
    hour = {"start": "2026-01-01T00:00:00Z", "end": "2026-01-01T01:00:00Z"}
    offset = await client.get(
        f"{CHANNEL}/device-records", headers=admin, params={**hour, "cursor": cursor("int:-5")}
    )
    assert offset.status_code == 422


# (start, end) pairs a few hours apart at the ends of the calendar, in zones either side of UTC
EDGES = [
    ("9999-12-31T22:00:00+00:00", "9999-12-31T23:59:59+00:00"),
    ("9999-12-31T20:00:00-14:00", "9999-12-31T23:59:59-14:00"),
    ("0001-01-01T00:00:00+14:00", "0001-01-01T01:00:00+14:00"),
    ("0001-01-01T00:00:00+00:00", "0001-01-01T01:00:00+00:00"),
]


def requests(start: str, end: str) -> list[tuple[str, str, dict[str, object]]]:
    span = {"start": start, "end": end}
    period = {"from": start, "to": end}
    return [
        ("GET", f"{CHANNEL}/recordings", {"params": span}),
        ("GET", f"{CHANNEL}/device-records", {"params": span}),
        ("GET", "/api/v1/kpis", {"params": {"org": "34", **period}}),
        ("GET", "/api/v1/kpis", {"params": {"org": "34", "to": end}}),
        ("GET", "/api/v1/reports/kpis", {"params": {"org": "34", "format": "csv", **period}}),
        ("GET", "/api/v1/work-orders/stats", {"params": period}),
        ("GET", "/api/v1/intact-rate", {"params": {"org": "34", **period}}),
        (
            "GET",
            "/api/v1/intact-rate",
            {"params": {"org": "34", "from": start[:10], "to": end[:10]}},
        ),
        ("POST", f"{CHANNEL}/recordings/lock", {"json": span}),
        ("POST", f"{CHANNEL}/playback", {"json": {**span, "purpose": "x"}}),
        ("POST", f"{CHANNEL}/exports", {"json": {**span, "purpose": "x"}}),
        ("POST", f"{CHANNEL}/device-playback", {"json": {**span, "purpose": "x"}}),
        ("POST", f"{CHANNEL}/device-downloads", {"json": {**span, "purpose": "x"}}),
    ]


@pytest.mark.parametrize(("start", "end"), EDGES)
async def test_times_at_the_ends_of_the_calendar_are_422(
    client: httpx.AsyncClient, admin: dict[str, str], start: str, end: str
) -> None:
    await build_tree(client, admin)
    wrong = []
    for method, url, kwargs in requests(start, end):
        response = await client.request(method, url, headers=admin, **kwargs)  # type: ignore[arg-type]
        if response.status_code != 422 or response.headers["content-type"] != PROBLEM:
            wrong.append((method, url, response.status_code))
    assert wrong == []


async def test_audit_filter_at_the_end_of_the_calendar_is_422(
    client: httpx.AsyncClient, admin: dict[str, str]
) -> None:
    auditor = await add_user(client, admin, "inspector", "auditor", [])
    for start, end in EDGES:
        response = await client.get(
            "/api/v1/audit", headers=auditor, params={"since": start, "until": end}
        )
        assert response.status_code == 422


async def test_ordinary_times_still_pass(client: httpx.AsyncClient, admin: dict[str, str]) -> None:
    await build_tree(client, admin)
    span = {"start": "1970-01-01T00:00:00Z", "end": "1970-01-02T00:00:00+08:00"}
    assert (
        await client.get(f"{CHANNEL}/recordings", headers=admin, params=span)
    ).status_code == 200
    late = {"org": "34", "from": "9998-12-01T00:00:00Z", "to": "9998-12-31T00:00:00Z"}
    assert (await client.get("/api/v1/kpis", headers=admin, params=late)).status_code == 200


@pytest.mark.parametrize(
    "path", ["/a%00b", "/map%00", "/" + "a" * 300, "/assets/" + "b" * 300 + ".js"]
)
async def test_console_path_no_file_can_have_is_404(client: httpx.AsyncClient, path: str) -> None:
    response = await client.get(path)
    assert response.status_code == 404
    assert response.headers["content-type"] == PROBLEM
