"""The resource tree API: levels paged by keyset with counts, server-side search, and scopes."""

from __future__ import annotations

import base64
from typing import Any

import httpx

from tests.integration.api.helpers import HEFEI_CHANNEL, WUHU_CHANNEL, add_user, build_tree

HEFEI_NVR, WUHU_NVR = "34010000001180000001", "34020000001180000001"
BUSINESS_GROUP = "34010000002150000001"
EXTRA = [f"3401000000132{n:07d}" for n in range(2, 9)]  # 7 more cameras on the Hefei NVR


async def _get(client: httpx.AsyncClient, headers: dict[str, str], path: str, **params: Any) -> Any:
    response = await client.get(f"/api/v1/tree{path}", headers=headers, params=params)
    assert response.status_code == 200, response.text
    return response.json()


async def _all(
    client: httpx.AsyncClient, headers: dict[str, str], path: str, **params: Any
) -> list[dict[str, Any]]:
    """Every row of a level, following ``next``; fails if paging never ends."""
    rows: list[dict[str, Any]] = []
    cursor = None
    for _ in range(50):
        page = await _get(client, headers, path, **params, **({"cursor": cursor} if cursor else {}))
        rows += page["items"]
        cursor = page["next"]
        if cursor is None:
            return rows
    raise AssertionError("paging did not end")


async def _bigger_tree(client: httpx.AsyncClient, admin: dict[str, str]) -> None:
    await build_tree(client, admin)
    for channel_id in EXTRA:
        body = {"id": channel_id, "device_id": HEFEI_NVR, "name": f"路口 {channel_id[-2:]}"}
        response = await client.post("/api/v1/channels", headers=admin, json=body)
        assert response.status_code == 201, response.text
    # One Hefei camera is online; a channel of the Wuhu NVR filed under Hefei hangs there alone.
    await client.patch(f"/api/v1/channels/{EXTRA[0]}", headers=admin, json={"name": "东门"})
    response = await client.post(
        "/api/v1/channels",
        headers=admin,
        json={
            "id": "34020000001320000099",
            "device_id": WUHU_NVR,
            "name": "借放",
            "organisation_id": "3401",
        },
    )
    assert response.status_code == 201, response.text
    group = {"id": BUSINESS_GROUP, "name": "重点部位"}
    assert (
        await client.post("/api/v1/virtual-groups", headers=admin, json=group)
    ).status_code == 201
    members = {"channel_ids": [HEFEI_CHANNEL, WUHU_CHANNEL]}
    response = await client.post(
        f"/api/v1/virtual-groups/{BUSINESS_GROUP}/channels", headers=admin, json=members
    )
    assert response.status_code == 204, response.text


async def _set_online(node_db: Any, channel_id: str) -> None:
    from sqlalchemy import update

    from vigil.store.models import Channel

    async with node_db.session() as session, session.begin():
        await session.execute(update(Channel).where(Channel.id == channel_id).values(status="ON"))


async def test_levels_load_on_demand_with_counts(
    client: httpx.AsyncClient, admin: dict[str, str], node: Any
) -> None:
    await _bigger_tree(client, admin)
    await _set_online(node.db, EXTRA[0])

    roots = await _all(client, admin, "/roots")
    assert [(r["kind"], r["id"]) for r in roots] == [
        ("organisation", "34"),
        ("group", BUSINESS_GROUP),
    ]
    province = roots[0]
    assert (province["channels"], province["channels_online"], province["children"]) == (10, 1, 2)
    assert roots[1]["channels"] == 2 and roots[1]["children"] == 2

    cities = await _all(client, admin, "/organisations/34/children")
    assert [(c["id"], c["channels"], c["children"]) for c in cities] == [
        ("3401", 9, 1),  # counted by where channels are filed: one is on the Wuhu NVR
        ("3402", 1, 1),
    ]
    hefei = await _all(client, admin, "/organisations/3401/children")
    assert [(r["kind"], r["id"]) for r in hefei] == [("device", HEFEI_NVR)]
    nvr = hefei[0]
    assert (nvr["channels"], nvr["channels_online"], nvr["children"], nvr["online"]) == (
        8,
        1,
        8,
        False,
    )
    wuhu_nvr = await _all(client, admin, f"/devices/{WUHU_NVR}/children")
    assert [r["id"] for r in wuhu_nvr] == [WUHU_CHANNEL, "34020000001320000099"]
    group = await _all(client, admin, f"/groups/{BUSINESS_GROUP}/children")
    assert [r["id"] for r in group] == [HEFEI_CHANNEL, WUHU_CHANNEL]

    # Counts follow every change at once: a status, a deletion.
    await _set_online(node.db, WUHU_CHANNEL)
    deleted = await client.delete(f"/api/v1/channels/{EXTRA[1]}", headers=admin)
    assert deleted.status_code == 204
    province = (await _all(client, admin, "/roots"))[0]
    assert (province["channels"], province["channels_online"]) == (9, 2)


async def test_the_first_view_opens_small_levels_in_one_answer(
    client: httpx.AsyncClient, admin: dict[str, str]
) -> None:
    await _bigger_tree(client, admin)
    start = await _get(client, admin, "/start")
    paths = ["/".join(step["id"] for step in level["path"]) for level in start["levels"]]
    assert paths == [
        "",
        "34",
        BUSINESS_GROUP,
        "34/3401",
        "34/3402",
        f"34/3401/{HEFEI_NVR}",
        f"34/3402/{WUHU_NVR}",
    ]
    nvr_level = start["levels"][5]
    assert [r["id"] for r in nvr_level["items"]] == sorted([HEFEI_CHANNEL, *EXTRA])
    # A small page: the level says it has more, and its cursor reads on where it stopped.
    small = await _get(client, admin, "/start", limit=3)
    nvr_level = small["levels"][5]
    assert len(nvr_level["items"]) == 3 and nvr_level["next"]
    rest = await _get(
        client, admin, f"/devices/{HEFEI_NVR}/children", cursor=nvr_level["next"], limit=100
    )
    assert [r["id"] for r in nvr_level["items"] + rest["items"]] == sorted([HEFEI_CHANNEL, *EXTRA])


async def test_a_level_pages_by_keyset_without_gaps_or_repeats(
    client: httpx.AsyncClient, admin: dict[str, str]
) -> None:
    await _bigger_tree(client, admin)
    first = await _get(client, admin, f"/devices/{HEFEI_NVR}/children", limit=3)
    assert len(first["items"]) == 3 and first["next"]
    everything = await _all(client, admin, f"/devices/{HEFEI_NVR}/children", limit=3)
    ids = [r["id"] for r in everything]
    assert ids == sorted([HEFEI_CHANNEL, *EXTRA])
    assert [r["online"] for r in everything].count(True) == 0
    # A mixed level pages across kinds: for a user of Hefei, the Wuhu NVR's camera filed under
    # Hefei hangs there on its own (its NVR is out of sight); one row a page reaches both.
    unfiled = {"id": "34990000001180000001", "name": "未归属 NVR"}
    assert (await client.post("/api/v1/devices", headers=admin, json=unfiled)).status_code == 201
    on_unfiled = {
        "id": "34990000001320000001",
        "device_id": unfiled["id"],
        "name": "无主",
        "organisation_id": "3401",
    }
    assert (
        await client.post("/api/v1/channels", headers=admin, json=on_unfiled)
    ).status_code == 201
    hefei_viewer = await add_user(client, admin, "hefei-viewer", "viewer", ["3401"])
    mixed = await _all(client, hefei_viewer, "/organisations/3401/children", limit=1)
    assert [(r["kind"], r["id"]) for r in mixed] == [
        ("device", HEFEI_NVR),
        ("channel", "34020000001320000099"),
        ("channel", "34990000001320000001"),  # on a device filed nowhere
    ]
    city = (await _all(client, hefei_viewer, "/roots"))[0]
    assert (city["id"], city["children"], city["channels"]) == ("3401", 3, 10)
    # The admin sees the unfiled device under its own root, and no channel twice.
    roots = await _all(client, admin, "/roots")
    assert [(r["kind"], r["children"]) for r in roots][1] == ("unfiled", 1)
    assert [r["id"] for r in await _all(client, admin, "/unfiled/children")] == [unfiled["id"]]
    assert [r["kind"] for r in await _all(client, admin, "/organisations/3401/children")] == [
        "device"
    ]
    found = await _get(client, hefei_viewer, "/search", q="借放")
    assert [[s["id"] for s in h["path"]] for h in found["items"]] == [["3401"]]


async def test_search_finds_by_name_and_id_with_the_path_to_reveal(
    client: httpx.AsyncClient, admin: dict[str, str]
) -> None:
    await _bigger_tree(client, admin)
    by_name = await _get(client, admin, "/search", q="东门")
    assert [h["id"] for h in by_name["items"]] == [EXTRA[0]]
    assert [(s["kind"], s["id"]) for s in by_name["items"][0]["path"]] == [
        ("organisation", "34"),
        ("organisation", "3401"),
        ("device", HEFEI_NVR),
    ]
    by_id = await _get(client, admin, "/search", q="3402000000132000000")
    assert [h["id"] for h in by_id["items"]] == [WUHU_CHANNEL]
    cities = await _get(client, admin, "/search", q="市")
    assert [(h["kind"], h["id"], [s["id"] for s in h["path"]]) for h in cities["items"]] == [
        ("organisation", "3401", ["34"]),
        ("organisation", "3402", ["34"]),
    ]
    # Paged: two at a time through the eight Hefei cameras whose ID has "13200000".
    found = await _all(client, admin, "/search", q="3401000000132", limit=2)
    assert [h["id"] for h in found] == sorted([HEFEI_CHANNEL, *EXTRA])
    wildcard = await _get(client, admin, "/search", q="%")
    assert wildcard["items"] == []


async def test_a_scoped_user_sees_and_searches_only_inside_its_organisations(
    client: httpx.AsyncClient, admin: dict[str, str]
) -> None:
    await _bigger_tree(client, admin)
    viewer = await add_user(client, admin, "wuhu-viewer", "viewer", ["3402"])
    roots = await _all(client, viewer, "/roots")
    assert [(r["kind"], r["id"]) for r in roots] == [
        ("organisation", "3402"),
        ("group", BUSINESS_GROUP),
    ]
    assert roots[0]["channels"] == 1
    group = await _all(client, viewer, f"/groups/{BUSINESS_GROUP}/children")
    assert [r["id"] for r in group] == [WUHU_CHANNEL]

    for path in (
        "/organisations/3401/children",
        "/organisations/34/children",
        f"/devices/{HEFEI_NVR}/children",
        "/unfiled/children",
    ):
        refused = await client.get(f"/api/v1/tree{path}", headers=viewer)
        assert refused.status_code == 403, path
        assert refused.json()["code"] == "out_of_scope"
    # The Wuhu NVR is visible; its channel filed under Hefei is not.
    own = await _all(client, viewer, f"/devices/{WUHU_NVR}/children")
    assert [r["id"] for r in own] == [WUHU_CHANNEL]

    assert (await _get(client, viewer, "/search", q="路口"))["items"] == []
    assert (await _get(client, viewer, "/search", q="34010000"))["items"] == []
    found = await _get(client, viewer, "/search", q="camera")
    assert [(h["id"], [s["id"] for s in h["path"]]) for h in found["items"]] == [
        (WUHU_CHANNEL, ["3402", WUHU_NVR])
    ]


async def test_missing_nodes_and_bad_cursors_are_problems_not_errors(
    client: httpx.AsyncClient, admin: dict[str, str]
) -> None:
    await _bigger_tree(client, admin)
    for path in (
        "/organisations/99/children",
        "/devices/34990000001180000001/children",
        "/groups/34990000002150000001/children",
    ):
        missing = await client.get(f"/api/v1/tree{path}", headers=admin)
        assert missing.status_code == 404, path
        assert missing.json()["code"] == "not_found"
    bad = [
        "not-a-cursor",
        base64.urlsafe_b64encode(b"str:x:1").decode().rstrip("="),
        base64.urlsafe_b64encode(b"str:1:12ab").decode().rstrip("="),
        base64.urlsafe_b64encode(b"int:5").decode().rstrip("="),
    ]
    for cursor in bad:
        response = await client.get(
            "/api/v1/tree/organisations/34/children", headers=admin, params={"cursor": cursor}
        )
        assert response.status_code == 422, (cursor, response.text)
        assert response.json()["code"] == "cursor.malformed"
    assert (await client.get("/api/v1/tree/roots")).status_code == 401
    too_long = await client.get("/api/v1/tree/search", headers=admin, params={"q": "x" * 65})
    assert too_long.status_code == 422
