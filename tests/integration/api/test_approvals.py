"""The approval workflow (审批) through the HTTP API: a request, the inbox of those who may
decide it with counts by state, no deciding one's own request, approve, reject, revoke, scope,
and an audit record for every step. Runs on SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

import httpx

from tests.integration.api.helpers import HEFEI_CHANNEL, WUHU_CHANNEL, add_user, build_tree
from vigil.app import Vigil
from vigil.governance.audit import AuditFilter
from vigil.governance.permissions import SYSTEM

API = "/api/v1/approvals"


def export_request(channel: str = HEFEI_CHANNEL, **changes: Any) -> dict[str, Any]:
    body = {
        "kind": "export",
        "channel_id": channel,
        "start": "2025-06-01T08:00:00+08:00",
        "end": "2025-06-01T09:00:00+08:00",
        "purpose": "theft at the north gate",
        "case_number": "合公(刑)字[2025]118号",
    }
    return body | changes


async def test_request_decide_and_revoke_with_every_step_audited(
    node: Vigil, client: httpx.AsyncClient, admin: dict[str, str]
) -> None:
    await build_tree(client, admin)
    alice = await add_user(client, admin, "alice", "operator", ["3401"])
    bob = await add_user(client, admin, "bob", "operator", ["3401"])
    outsider = await add_user(client, admin, "wuhu", "operator", ["3402"])
    viewer = await add_user(client, admin, "viewer", "viewer", ["3401"])

    asked = await client.post(API, headers=alice, json=export_request())
    assert asked.status_code == 201, asked.text
    request = asked.json()
    assert (request["state"], request["requester"], request["expires_at"]) == (
        "pending",
        "alice",
        None,
    )
    assert request["case_number"] == "合公(刑)字[2025]118号"
    url = f"{API}/{request['id']}"

    # The requester cannot approve their own request, whatever their rights.
    own = await client.post(f"{url}/approve", headers=alice, json={})
    assert own.status_code == 403
    assert own.json()["code"] == "approval.own_request"
    assert "alice requested approval" in own.json()["detail"]
    # Neither may a viewer (no approvals:decide) nor an operator of another region.
    assert (await client.post(f"{url}/approve", headers=viewer, json={})).status_code == 403
    assert (await client.post(f"{url}/approve", headers=outsider, json={})).status_code == 403

    # Bob's inbox holds it; Alice's inbox does not (her own), her "mine" list does.
    inbox = (await client.get(API, headers=bob)).json()
    assert [i["id"] for i in inbox["items"]] == [request["id"]]
    assert inbox["counts"] == {"pending": 1}
    assert (await client.get(API, headers=alice)).json()["items"] == []
    mine = (await client.get(API, headers=alice, params={"mine": "true"})).json()
    assert [i["id"] for i in mine["items"]] == [request["id"]]
    assert (await client.get(API, headers=outsider)).json() == {
        "items": [],
        "next": None,
        "counts": {},
    }
    assert (await client.get(url, headers=outsider)).status_code == 403
    assert (await client.get(url, headers=viewer)).status_code == 403

    approved = await client.post(f"{url}/approve", headers=bob, json={"note": "ok for court"})
    assert approved.status_code == 200, approved.text
    grant = approved.json()
    assert (grant["state"], grant["decided_by"], grant["decision_note"]) == (
        "approved",
        "bob",
        "ok for court",
    )
    assert grant["expires_at"] is not None
    again = await client.post(f"{url}/reject", headers=bob, json={})
    assert again.status_code == 409 and again.json()["code"] == "approval.state"

    # A second request is rejected; the inbox counts both by state and filters by state.
    second = (await client.post(API, headers=alice, json=export_request(purpose="b"))).json()
    rejected = await client.post(f"{API}/{second['id']}/reject", headers=bob, json={"note": "no"})
    assert rejected.json()["state"] == "rejected"
    inbox = (await client.get(API, headers=bob, params={"state": "approved"})).json()
    assert [i["id"] for i in inbox["items"]] == [request["id"]]
    assert inbox["counts"] == {"approved": 1, "rejected": 1}

    # The requester may not revoke; the approver may.
    assert (await client.post(f"{url}/revoke", headers=alice, json={})).status_code == 403
    revoked = await client.post(f"{url}/revoke", headers=bob, json={"note": "case closed"})
    assert (revoked.json()["state"], revoked.json()["revoked_by"]) == ("revoked", "bob")

    records = await node.audit.page(SYSTEM, AuditFilter(), None, 200)
    steps = [
        (r.actor, r.action, r.resource, r.outcome)
        for r in reversed(records)
        if r.action.startswith("approval.")
    ]
    first, other = f"approval:{request['id']}", f"approval:{second['id']}"
    assert steps == [
        ("alice", "approval.request", first, "ok"),
        ("alice", "approval.approve", first, "forbidden"),
        ("viewer", "approval.approve", first, "forbidden"),
        ("wuhu", "approval.approve", first, "forbidden"),
        ("bob", "approval.approve", first, "ok"),
        ("bob", "approval.reject", first, "conflict"),
        ("alice", "approval.request", other, "ok"),
        ("bob", "approval.reject", other, "ok"),
        ("alice", "approval.revoke", first, "forbidden"),
        ("bob", "approval.revoke", first, "ok"),
    ]
    assert all(r.channel_id == HEFEI_CHANNEL for r in records if r.action.startswith("approval."))


async def test_an_admin_revokes_and_bad_requests_are_refused_with_the_reason(
    client: httpx.AsyncClient, admin: dict[str, str]
) -> None:
    await build_tree(client, admin)
    alice = await add_user(client, admin, "alice", "operator", ["3401"])
    carol = await add_user(client, admin, "carol", "operator", ["34"])
    request = (await client.post(API, headers=alice, json=export_request())).json()
    await client.post(f"{API}/{request['id']}/approve", headers=carol, json={})
    revoked = await client.post(f"{API}/{request['id']}/revoke", headers=admin, json={})
    assert (revoked.json()["state"], revoked.json()["revoked_by"]) == ("revoked", "admin")

    no_range = export_request(start=None, end=None)
    refused = await client.post(API, headers=alice, json=no_range)
    assert (refused.status_code, refused.json()["code"]) == (422, "approval.range_missing")
    reserved = await client.post(API, headers=alice, json=export_request(kind="biometric_search"))
    assert (reserved.status_code, reserved.json()["code"]) == (409, "approval.kind_reserved")
    elsewhere = await client.post(API, headers=alice, json=export_request(WUHU_CHANNEL))
    assert elsewhere.status_code == 403
    missing = await client.post(API, headers=alice, json=export_request("34010000001329999999"))
    assert missing.status_code == 404
    backwards = export_request(start="2025-06-01T09:00:00+08:00", end="2025-06-01T08:00:00+08:00")
    assert (await client.post(API, headers=alice, json=backwards)).status_code == 422
    # An unmask request needs no range; a viewer may ask for one but not for an export.
    viewer = await add_user(client, admin, "viewer", "viewer", ["3401"])
    unmask = {"kind": "unmask", "channel_id": HEFEI_CHANNEL, "purpose": "identify the car"}
    assert (await client.post(API, headers=viewer, json=unmask)).status_code == 201
    assert (await client.post(API, headers=viewer, json=export_request())).status_code == 403
    assert (await client.get(f"{API}/999999", headers=admin)).status_code == 404
