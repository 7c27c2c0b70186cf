"""/api/v1/upper-platforms: create, read (state, never the password), change, delete, shares;
admin-only changes, GB ID rules, audit records of every change."""

from __future__ import annotations

import httpx

from tests.integration.api.helpers import HEFEI_CHANNEL, WUHU_CHANNEL, add_user, build_tree
from vigil.app import Vigil
from vigil.governance.audit import AuditFilter
from vigil.governance.permissions import Permission, Principal
from vigil.store.models import Role

AUDITOR = Principal(None, "auditor", Role.auditor, frozenset({Permission.audit_read}), None)

BASE = "/api/v1/upper-platforms"
BODY = {
    "sip_id": "34000000002000000001",
    "domain": "3400000000",
    "host": "127.0.0.1",
    "port": 5090,
    "transport": "udp",
    "password": "Upper-Secret-1",
    "share_all": False,
}


async def test_create_read_update_delete(
    client: httpx.AsyncClient, admin: dict[str, str], node: Vigil
) -> None:
    created = await client.post(BASE, headers=admin, json={**BODY, "edition": "2022"})
    assert created.status_code == 201, created.text
    platform_id = created.json()["id"]

    one = (await client.get(f"{BASE}/{platform_id}", headers=admin)).json()
    assert one["sip_id"] == BODY["sip_id"] and one["edition"] == "2022"
    assert one["registered"] is False and one["last_error"] is None
    assert one["counters"] == {
        "requests": 0,
        "streams": 0,
        "failures": 0,
        "registrations": 0,
        "register_failures": 0,
        "keepalives": 0,
    }
    assert "password" not in one and "Upper-Secret-1" not in str(one)
    listed = (await client.get(BASE, headers=admin)).json()
    assert [p["id"] for p in listed] == [platform_id]

    changed = await client.patch(
        f"{BASE}/{platform_id}", headers=admin, json={"keepalive_interval": 30, "name": "市平台"}
    )
    assert changed.status_code == 200, changed.text
    assert changed.json()["keepalive_interval"] == 30 and changed.json()["name"] == "市平台"

    cleared = await client.patch(f"{BASE}/{platform_id}", headers=admin, json={"sip_id": None})
    assert cleared.status_code == 422, cleared.text
    duplicate = await client.post(BASE, headers=admin, json=BODY)
    assert duplicate.status_code == 409

    assert (await client.delete(f"{BASE}/{platform_id}", headers=admin)).status_code == 204
    assert (await client.get(f"{BASE}/{platform_id}", headers=admin)).status_code == 404

    records = await node.audit.page(AUDITOR, AuditFilter(actor="admin"), None, 500)
    paths = [(r.action, r.resource) for r in records]
    assert ("http.post", BASE) in paths
    assert ("http.delete", f"{BASE}/{platform_id}") in paths


async def test_ids_are_checked_by_the_gb_rules(
    client: httpx.AsyncClient, admin: dict[str, str]
) -> None:
    for field, value in [
        ("sip_id", "3400000000200000001"),  # 19 digits
        ("sip_id", "34000000002160000001"),  # type code 216 is not a device or platform
        ("domain", "34000"),
        ("transport", "sctp"),
        ("local_sip_id", "abc"),
    ]:
        response = await client.post(BASE, headers=admin, json={**BODY, field: value})
        assert response.status_code == 422, (field, value, response.text)


async def test_only_an_admin_changes_upper_platforms(
    client: httpx.AsyncClient, admin: dict[str, str]
) -> None:
    await build_tree(client, admin)
    operator = await add_user(client, admin, "operator1", "operator", [])
    assert (await client.post(BASE, headers=operator, json=BODY)).status_code == 403
    platform_id = (await client.post(BASE, headers=admin, json=BODY)).json()["id"]
    assert (await client.get(f"{BASE}/{platform_id}", headers=operator)).status_code == 200
    denied = await client.put(
        f"{BASE}/{platform_id}/shares", headers=operator, json={"entries": []}
    )
    assert denied.status_code == 403
    assert (await client.delete(f"{BASE}/{platform_id}", headers=operator)).status_code == 403


async def test_share_entries_round_trip_and_are_validated(
    client: httpx.AsyncClient, admin: dict[str, str]
) -> None:
    await build_tree(client, admin)
    group = {"id": "34000000002150000001", "name": "治安", "parent_id": None}
    assert (
        await client.post("/api/v1/virtual-groups", headers=admin, json=group)
    ).status_code == 201
    platform_id = (await client.post(BASE, headers=admin, json=BODY)).json()["id"]
    entries = [
        {
            "kind": "channel",
            "target_id": HEFEI_CHANNEL,
            "outward_id": "34000000001320000077",
            "parent_group_id": group["id"],
        },
        {"kind": "organisation", "target_id": "3402", "outward_id": None, "parent_group_id": None},
    ]
    put = await client.put(f"{BASE}/{platform_id}/shares", headers=admin, json={"entries": entries})
    assert put.status_code == 204, put.text
    got = (await client.get(f"{BASE}/{platform_id}/shares", headers=admin)).json()
    assert got["entries"] == entries

    for bad in [
        {"kind": "channel", "target_id": "34010000001320009999"},  # not on file
        {"kind": "channel", "target_id": "3401"},  # not a channel ID
        {"kind": "channel", "target_id": WUHU_CHANNEL, "outward_id": "34000000002150000001"},
        {"kind": "virtual_group", "target_id": "34000000002160000404"},
        {"kind": "channel", "target_id": WUHU_CHANNEL, "parent_group_id": "34000000002150000404"},
    ]:
        response = await client.put(
            f"{BASE}/{platform_id}/shares", headers=admin, json={"entries": [bad]}
        )
        assert response.status_code == 422, (bad, response.text)
    unchanged = (await client.get(f"{BASE}/{platform_id}/shares", headers=admin)).json()
    assert unchanged["entries"] == entries
