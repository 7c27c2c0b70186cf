"""The access policy through the HTTP API of a real node: role × sensitivity × action × window.

Every role (admin, operator, viewer, auditor) asks for every action of the policy (live,
playback, export, PTZ, device download, unmask: a live view of a masked channel under an approved
unmask request; search of recorded video; share: lending the channel to another department under
an approved share request) on a public channel (sensitivity 0) and a sensitive one (2), once while
the windows of every role cover the node's local time and once while they ended an hour ago. Users
hold clearance 2 and give a purpose but no case number, so the sensitive channel refuses exactly
the actions that need one. Each answer is checked against the rules written out here, reason text
included.
"""

from __future__ import annotations

import itertools
import json
from datetime import datetime, timedelta
from typing import Any

import httpx

from tests.integration.api.helpers import HEFEI_CHANNEL, WUHU_CHANNEL, add_user, build_tree
from vigil.app import Vigil
from vigil.governance.audit import AuditFilter
from vigil.governance.permissions import SYSTEM

Headers = dict[str, str]
ROLES = ("admin", "operator", "viewer", "auditor")
PUBLIC, SENSITIVE = HEFEI_CHANNEL, WUHU_CHANNEL
ACTIONS = ("live", "playback", "export", "ptz", "download", "unmask", "search", "share")
# What each role may do, written out (the permission table, read as a person would).
MAY = {
    "admin": set(ACTIONS),
    "operator": set(ACTIONS),
    "viewer": {"live", "playback", "unmask", "search"},
    "auditor": set(),
}
VERB = {
    "live": "watch live video",
    "playback": "play back",
    "export": "export",
    "ptz": "control the camera",
    "download": "download",
    "unmask": "unmask",
    "search": "search video",
    "share": "share",
}
NEEDS_CASE = {"playback", "export", "download", "unmask", "search"}
# What an allowed request answers: a view (201), a job (202), or for PTZ the device's absence
# (nothing is registered in this node; the policy let the request through to the device layer).
ALLOWED_STATUS = {
    "live": 201,
    "playback": 201,
    "export": 202,
    "ptz": 409,
    "download": 202,
    "unmask": 201,
    "search": 200,
    "share": 201,
}
#: The department each role lends channels to (one each: a second share to one is a conflict).
SHARED_WITH = {"admin": "3403", "operator": "3404", "viewer": "3403", "auditor": "3403"}
#: A live view of a masked channel is asked for first: an unmask is refused as live is, first.
FIRST_ASKED = {"unmask": "live"}


def span() -> dict[str, str]:
    end = datetime.now().astimezone()
    return {"start": (end - timedelta(minutes=5)).isoformat(), "end": end.isoformat()}


async def approved(
    client: httpx.AsyncClient, ask: dict[str, Any], asking: dict[str, str], deciding: dict[str, str]
) -> int:
    """The ID of ``asking``'s request ``ask``, approved by ``deciding``."""
    made = await client.post("/api/v1/approvals", headers=asking, json=ask)
    assert made.status_code == 201, made.text
    approval: int = made.json()["id"]
    approved = await client.post(f"/api/v1/approvals/{approval}/approve", headers=deciding, json={})
    assert approved.status_code == 200, approved.text
    return approval


async def export_grant(
    client: httpx.AsyncClient, channel: str, asking: dict[str, str], deciding: dict[str, str]
) -> int:
    """An export request of ``asking``'s for the last and next hour of ``channel``, approved by
    ``deciding`` (an export needs one, besides the policy's leave)."""
    now = datetime.now().astimezone()
    ask = {
        "kind": "export",
        "channel_id": channel,
        "start": (now - timedelta(hours=1)).isoformat(),
        "end": (now + timedelta(hours=1)).isoformat(),
        "purpose": "access matrix",
        "case_number": "A-17",
    }
    return await approved(client, ask, asking, deciding)


async def unmask_grant(
    client: httpx.AsyncClient, channel: str, asking: dict[str, str], deciding: dict[str, str]
) -> int:
    """An unmask request of ``asking``'s for ``channel``, approved by ``deciding``."""
    ask = {"kind": "unmask", "channel_id": channel, "purpose": "access matrix"}
    return await approved(client, ask, asking, deciding)


def request(
    action: str,
    channel: str,
    approval: int | None = None,
    unmask: int | None = None,
    lend: tuple[str, int | None] = ("3403", None),
) -> tuple[str, dict[str, Any]]:
    """The route and body of ``action`` on ``channel``, with a purpose and no case number (and
    the export request ``approval`` for an export, the unmask request ``unmask`` for an
    unmask, the department and share request ``lend`` for a share)."""
    why: dict[str, Any] = {"purpose": "access matrix"}
    if action == "export" and approval is not None:
        why["approval_id"] = approval
    routes: dict[str, tuple[str, dict[str, Any]]] = {
        "live": (f"/api/v1/channels/{channel}/live", {}),
        "playback": (f"/api/v1/channels/{channel}/playback", {**span(), **why}),
        "export": (f"/api/v1/channels/{channel}/exports", {**span(), **why}),
        "ptz": (f"/api/v1/channels/{channel}/ptz", {"action": "left", "speed": 64}),
        "download": (f"/api/v1/channels/{channel}/device-downloads", {**span(), **why}),
        "unmask": (f"/api/v1/channels/{channel}/live", {**why, "unmask_approval": unmask or 1}),
        "search": ("/api/v1/search/video", {"channel_ids": [channel], **span(), **why}),
        "share": (
            f"/api/v1/channels/{channel}/shares",
            {"organisation_id": lend[0], "approval_id": lend[1] or 1, **why},
        ),
    }
    return routes[action]


def expected(role: str, channel: str, action: str, inside: bool, hours: str) -> str | None:
    """The refusal's reason (a part of it that must appear), or None for allowed."""
    first = FIRST_ASKED.get(action)
    if first is not None and first not in MAY[role]:
        return f"role {role} may not {VERB[first]}"
    if action not in MAY[role]:
        return f"role {role} may not {VERB[action]}"
    if not inside:
        return f"outside {hours}"
    if channel == SENSITIVE and action in NEEDS_CASE:
        return f"channel {SENSITIVE} has sensitivity 2: to {VERB[action]} you must give a case"
    return None


def windows(node: Vigil, inside: bool) -> tuple[dict[str, Any], str]:
    """Windows for every role and action: covering the node's local time now, or ended an hour
    ago; and the span as a refusal names it."""
    now = datetime.now(node.settings.zone)
    start, end = (now - timedelta(hours=1), now + timedelta(hours=1))
    if not inside:
        start, end = (now - timedelta(hours=3), now - timedelta(hours=1))
    first, last = f"{start:%H:%M}", f"{end:%H:%M}"
    body = {
        "windows": [
            {"role": role, "action": action, "start": first, "end": last}
            for role in ROLES
            for action in ACTIONS
        ]
    }
    return body, f"{first}–{last}"


async def matrix_users(client: httpx.AsyncClient, admin: dict[str, str]) -> dict[str, Headers]:
    """One user of each role, scoped to the whole tree, with clearance 2."""
    users = {role: await add_user(client, admin, f"matrix-{role}", role, ["34"]) for role in ROLES}
    for user in (await client.get("/api/v1/users", headers=admin)).json()["items"]:
        if user["username"].startswith("matrix-"):
            raised = await client.put(
                f"/api/v1/users/{user['id']}/clearance", headers=admin, json={"clearance": 2}
            )
            assert raised.status_code == 200, raised.text
    return users


async def unmask_grants(
    client: httpx.AsyncClient, admin: Headers, users: dict[str, Headers]
) -> dict[tuple[str, str], int]:
    """Both channels masked; for each role that may ask, an approved unmask request for each."""
    window = {"label": "window", "points": [[0, 0], [0.5, 0], [0.5, 1]]}
    grants: dict[tuple[str, str], int] = {}
    for channel in (PUBLIC, SENSITIVE):
        masked = await client.put(
            f"/api/v1/channels/{channel}/masks", headers=admin, json={"masks": [window]}
        )
        assert masked.status_code == 200, masked.text
        for role, decider in (("admin", "operator"), ("operator", "admin"), ("viewer", "admin")):
            grants[role, channel] = await unmask_grant(client, channel, users[role], users[decider])
    return grants


async def share_grants(
    client: httpx.AsyncClient, admin: Headers, users: dict[str, Headers]
) -> dict[tuple[str, str], int]:
    """Two more departments to lend to; for each role that may ask, an approved share request
    for each channel."""
    for org_id, name in (("3403", "交警支队"), ("3404", "城管局")):
        body = {"id": org_id, "name": name, "parent_id": "34"}
        made = await client.post("/api/v1/organisations", headers=admin, json=body)
        assert made.status_code == 201, made.text
    grants: dict[tuple[str, str], int] = {}
    for channel in (PUBLIC, SENSITIVE):
        for role, decider in (("admin", "operator"), ("operator", "admin")):
            ask = {"kind": "share", "channel_id": channel, "purpose": "access matrix"}
            grants[role, channel] = await approved(client, ask, users[role], users[decider])
    return grants


def misjudged(action: str, reason: str | None, answer: httpx.Response) -> str | None:
    """What is wrong with ``answer`` to ``action`` when the rules say ``reason`` (None:
    allowed); None when it is right."""
    if reason is None and answer.status_code != ALLOWED_STATUS[action]:
        return f"expected allowed, got {answer.text}"
    if reason is None and action == "unmask" and not answer.json()["unmasked"]:
        return f"allowed but still masked: {answer.text}"
    if reason is not None and (answer.status_code != 403 or reason not in answer.json()["detail"]):
        return f"expected 403 '{reason}', got {answer.text}"
    return None


async def test_every_role_sensitivity_action_and_window(
    node: Vigil, client: httpx.AsyncClient, admin: dict[str, str]
) -> None:
    await build_tree(client, admin)
    marked = await client.put(
        f"/api/v1/channels/{SENSITIVE}/sensitivity", headers=admin, json={"sensitivity": 2}
    )
    assert marked.status_code == 200, marked.text
    listed = (await client.get("/api/v1/users", headers=admin)).json()["items"]
    assert all(user["username"] == "admin" for user in listed)
    users = await matrix_users(client, admin)
    grants = {
        "admin": await export_grant(client, PUBLIC, users["admin"], users["operator"]),
        "operator": await export_grant(client, PUBLIC, users["operator"], users["admin"]),
    }
    unmasks = await unmask_grants(client, admin, users)
    shares = await share_grants(client, admin, users)
    wrong: list[str] = []
    asked = 0
    for inside in (True, False):
        body, hours = windows(node, inside)
        replaced = await client.put("/api/v1/access-windows", headers=admin, json=body)
        assert replaced.status_code == 200, replaced.text
        for role, channel, action in itertools.product(ROLES, (PUBLIC, SENSITIVE), ACTIONS):
            asked += 1
            unmask = unmasks.get((role, channel))
            lend = (SHARED_WITH[role], shares.get((role, channel)))
            url, payload = request(action, channel, grants.get(role), unmask, lend)
            answer = await client.post(url, headers=users[role], json=payload)
            problem = misjudged(action, expected(role, channel, action, inside, hours), answer)
            if problem is not None:
                level = 2 if channel == SENSITIVE else 0
                where = "inside" if inside else "outside"
                wrong.append(
                    f"{role} {action} on sensitivity {level} {where} the window: {problem}"
                )
    assert asked == 128
    assert wrong == [], "\n".join(wrong)


async def test_clearance_and_case_number(
    node: Vigil, client: httpx.AsyncClient, admin: dict[str, str]
) -> None:
    """Below the channel's sensitivity nothing passes; with clearance, a case number opens the
    actions that need one, and the refusal and the access are both audited with their reasons."""
    await build_tree(client, admin)
    await client.put(
        f"/api/v1/channels/{SENSITIVE}/sensitivity", headers=admin, json={"sensitivity": 2}
    )
    operator = await add_user(client, admin, "cleared-operator", "operator", ["34"])
    live_url, _ = request("live", SENSITIVE)
    refused = await client.post(live_url, headers=operator, json={})
    assert refused.status_code == 403
    assert f"channel {SENSITIVE} needs clearance 2" in refused.json()["detail"]
    assert refused.json()["code"] == "access.clearance"

    users = (await client.get("/api/v1/users", headers=admin)).json()["items"]
    user_id = next(u["id"] for u in users if u["username"] == "cleared-operator")
    own = await client.put(
        f"/api/v1/users/{user_id}/clearance", headers=operator, json={"clearance": 3}
    )
    assert own.status_code == 403  # only users:manage grants clearance
    granted = await client.put(
        f"/api/v1/users/{user_id}/clearance", headers=admin, json={"clearance": 2}
    )
    assert granted.json() == {"clearance": 2}
    assert (await client.post(live_url, headers=operator, json={})).status_code == 201

    approver = await add_user(client, admin, "cleared-approver", "operator", ["34"])
    approver_id = next(
        u["id"]
        for u in (await client.get("/api/v1/users", headers=admin)).json()["items"]
        if u["username"] == "cleared-approver"
    )
    await client.put(f"/api/v1/users/{approver_id}/clearance", headers=admin, json={"clearance": 2})
    grant = await export_grant(client, SENSITIVE, operator, approver)
    export_url, body = request("export", SENSITIVE, grant)
    no_case = await client.post(export_url, headers=operator, json=body)
    assert no_case.json()["code"] == "access.case", no_case.text
    with_case = await client.post(export_url, headers=operator, json={**body, "case": "A-17"})
    assert with_case.status_code == 202, with_case.text

    records = await node.audit.page(SYSTEM, AuditFilter(action="video.export"), None, 10)
    details = [(r.outcome, json.loads(r.detail)) for r in records]
    outcomes = sorted((outcome, d.get("case"), "reason" in d) for outcome, d in details)
    assert outcomes == [("forbidden", None, True), ("ok", "A-17", False)]
    changes = await node.audit.page(SYSTEM, AuditFilter(action="user.clearance"), None, 10)
    # The operator's and the approver's clearance, each raised from 0 to 2.
    raised = [json.loads(r.detail)["clearance"] for r in changes if r.outcome == "ok"]
    assert raised == [[0, 2], [0, 2]]


async def test_only_administrators_set_sensitivity_and_windows(
    client: httpx.AsyncClient, admin: dict[str, str]
) -> None:
    await build_tree(client, admin)
    operator = await add_user(client, admin, "plain-operator", "operator", ["34"])
    lowered = await client.put(
        f"/api/v1/channels/{SENSITIVE}/sensitivity", headers=operator, json={"sensitivity": 0}
    )
    assert lowered.status_code == 403
    assert (await client.get("/api/v1/access-windows", headers=operator)).status_code == 403
    window = {"role": "viewer", "action": "live", "start": "08:00", "end": "20:00", "days": [1, 2]}
    put = await client.put("/api/v1/access-windows", headers=admin, json={"windows": [window]})
    assert put.status_code == 200, put.text
    listed = (await client.get("/api/v1/access-windows", headers=admin)).json()["windows"]
    assert listed == [{**window, "start": "08:00:00", "end": "20:00:00", "user_id": None}]
    both = {**window, "user_id": 1}
    assert (
        await client.put("/api/v1/access-windows", headers=admin, json={"windows": [both]})
    ).status_code == 422
    missing_user = {**window, "role": None, "user_id": 999}
    answer = await client.put(
        "/api/v1/access-windows", headers=admin, json={"windows": [missing_user]}
    )
    assert answer.status_code == 422, answer.text
    channel = (await client.get(f"/api/v1/channels/{SENSITIVE}", headers=admin)).json()
    assert channel["sensitivity"] == 0
