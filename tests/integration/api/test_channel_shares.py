"""Sharing a channel with another department through the API: only under an approval decided by
another user; the department then watches it live and nothing more; revoking the share or the
approval ends it; every step audited. Runs on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from typing import Any

import httpx

from tests.integration.api.helpers import HEFEI_CHANNEL, add_user, build_tree
from tests.integration.api.test_access_matrix import approved, span
from vigil.app import Vigil
from vigil.governance.audit import AuditFilter
from vigil.governance.permissions import SYSTEM

SHARES = f"/api/v1/channels/{HEFEI_CHANNEL}/shares"
LIVE = f"/api/v1/channels/{HEFEI_CHANNEL}/live"
WHY = {"purpose": "joint traffic operation", "case": "T-2026-12"}


async def share_request(
    client: httpx.AsyncClient, asking: dict[str, str], deciding: dict[str, str]
) -> int:
    ask = {"kind": "share", "channel_id": HEFEI_CHANNEL, "purpose": WHY["purpose"]}
    return await approved(client, ask, asking, deciding)


async def other_department(client: httpx.AsyncClient, admin: dict[str, str]) -> dict[str, str]:
    """A traffic police department beside the cities, and a viewer of it."""
    body = {"id": "3499", "name": "交警总队", "parent_id": "34"}
    made = await client.post("/api/v1/organisations", headers=admin, json=body)
    assert made.status_code == 201, made.text
    return await add_user(client, admin, "traffic-viewer", "viewer", ["3499"])


async def test_a_share_lends_live_video_under_an_approval_until_revoked(
    node: Vigil, client: httpx.AsyncClient, admin: dict[str, str]
) -> None:
    await build_tree(client, admin)
    traffic = await other_department(client, admin)
    sharer = await add_user(client, admin, "city-operator", "operator", ["3401"])
    before = await client.post(LIVE, headers=traffic, json={})
    assert before.status_code == 403 and "outside your organisations" in before.json()["detail"]

    body: dict[str, Any] = {"organisation_id": "3499", **WHY}
    unapproved = await client.post(SHARES, headers=sharer, json=body)
    assert unapproved.status_code == 403 and unapproved.json()["code"] == "approval.required"
    asked = await client.post(
        "/api/v1/approvals",
        headers=sharer,
        json={"kind": "share", "channel_id": HEFEI_CHANNEL, "purpose": WHY["purpose"]},
    )
    own = await client.post(
        f"/api/v1/approvals/{asked.json()['id']}/approve", headers=sharer, json={}
    )
    assert own.status_code == 403 and own.json()["code"] == "approval.own_request"
    approval = await share_request(client, sharer, admin)

    shared = await client.post(SHARES, headers=sharer, json={**body, "approval_id": approval})
    assert shared.status_code == 201, shared.text
    share = shared.json()
    assert (share["organisation_name"], share["approver"], share["in_force"]) == (
        "交警总队",
        "admin",
        True,
    )
    assert share["until"] is not None and share["case_number"] == "T-2026-12"
    again = await client.post(SHARES, headers=sharer, json={**body, "approval_id": approval})
    assert again.status_code == 409 and again.json()["code"] == "channel_share.twice"
    home = await client.post(
        SHARES, headers=sharer, json={**body, "organisation_id": "3401", "approval_id": approval}
    )
    assert home.status_code == 409 and home.json()["code"] == "channel_share.filed_there"

    # The department sees the share and watches live; recordings and exports stay closed.
    received = (await client.get("/api/v1/shares", headers=traffic)).json()["items"]
    assert [s["id"] for s in received] == [share["id"]]
    assert (await client.post(LIVE, headers=traffic, json={})).status_code == 201
    playback = await client.post(
        f"/api/v1/channels/{HEFEI_CHANNEL}/playback", headers=traffic, json={**span(), **WHY}
    )
    assert playback.status_code == 403 and "outside your organisations" in playback.json()["detail"]
    taken = await client.post(f"/api/v1/shares/{share['id']}/revoke", headers=traffic, json={})
    assert taken.status_code == 403 and taken.json()["code"] == "channel_share.not_yours"

    revoked = await client.post(f"/api/v1/shares/{share['id']}/revoke", headers=sharer, json={})
    assert revoked.status_code == 200 and revoked.json()["in_force"] is False
    assert (await client.post(LIVE, headers=traffic, json={})).status_code == 403
    assert (await client.get("/api/v1/shares", headers=traffic)).json()["items"] == []
    ended = (await client.get("/api/v1/shares?ended=true", headers=traffic)).json()["items"]
    assert [s["revoked_by"] for s in ended] == ["city-operator"]

    # A second share ends with its approval.
    second = await share_request(client, sharer, admin)
    lent = await client.post(SHARES, headers=sharer, json={**body, "approval_id": second})
    assert lent.status_code == 201, lent.text
    assert (await client.post(LIVE, headers=traffic, json={})).status_code == 201
    withdrawn = await client.post(f"/api/v1/approvals/{second}/revoke", headers=admin, json={})
    assert withdrawn.status_code == 200, withdrawn.text
    assert (await client.post(LIVE, headers=traffic, json={})).status_code == 403

    records = await node.audit.page(SYSTEM, AuditFilter(action="video.share"), None, 10)
    made = [json.loads(r.detail) for r in records if r.outcome == "ok"]
    assert sorted((d["organisation"], d["approval"], d["approver"]) for d in made) == [
        ("3499", approval, "admin"),
        ("3499", second, "admin"),
    ]
    refused = [r for r in records if r.outcome == "forbidden"]
    assert [r.actor for r in refused] == ["city-operator"]  # the share without an approval
    revokes = await node.audit.page(SYSTEM, AuditFilter(action="share.revoke"), None, 10)
    assert [(r.actor, r.outcome) for r in revokes] == [
        ("city-operator", "ok"),
        ("traffic-viewer", "forbidden"),
    ]


async def test_a_viewer_cannot_share_and_another_department_cannot_see_the_list(
    client: httpx.AsyncClient, admin: dict[str, str]
) -> None:
    await build_tree(client, admin)
    viewer = await add_user(client, admin, "city-viewer", "viewer", ["3401"])
    body = {"organisation_id": "3402", "approval_id": 1, **WHY}
    refused = await client.post(SHARES, headers=viewer, json=body)
    assert refused.status_code == 403 and "role viewer may not share" in refused.json()["detail"]
    missing = await client.post(SHARES, headers=admin, json={**body, "organisation_id": "9999"})
    assert missing.status_code == 403  # the approval is checked before the organisation
    assert (await client.get("/api/v1/shares/1", headers=viewer)).status_code == 404
