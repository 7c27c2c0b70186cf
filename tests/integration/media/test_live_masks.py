"""Privacy masks on live video, end to end: a real uvicorn serves the node, a simulated GB
camera streams busy checks over RTP, the viewer's fMP4 is decoded with PyAV.

* A viewer sees the masked region blurred (pixel variance far below the clear half's).
* Unmasking needs an approved unmask request of the viewer's own, decided by another user, and a
  purpose; the unmasked view shows the region clear and leaves a ``video.unmask`` record.
* A permanent mask stays on even for an approved unmask; replacing masks ends open views.
* A channel whose footprint overlaps a banned place does not go live until permanent masks
  cover the place's band of the picture.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator

import httpx
import numpy as np
import pytest
import websockets

from tests.integration.api.coverage_layout import collection, lonlat
from tests.integration.media.live_support import (
    CHANNEL,
    ORG,
    VIEWER_PASSWORD,
    GbTestProvider,
    admin_headers,
    closed_within,
    decode,
    media_node,
    serve,
)
from vigil.app import Vigil
from vigil.governance.audit import AuditFilter
from vigil.governance.permissions import SYSTEM

__all__ = ["media_node"]  # the fixture, imported

pytestmark = pytest.mark.timeout(90)

LEFT_HALF = [[0, 0], [0.5, 0], [0.5, 1], [0, 1]]
RIGHT_QUARTER = [[0.75, 0], [1, 0], [1, 1], [0.75, 1]]
PURPOSE = {"purpose": "identify the driver in case 12", "case": "A-2026-12"}


@pytest.fixture
async def api(media_node: Vigil) -> AsyncIterator[tuple[str, httpx.AsyncClient]]:
    provider = GbTestProvider(media_node.media, pattern="checks")
    media_node.media.register_provider("gb28181", provider)
    media_node.views.recheck = 0.5
    async with (
        serve(media_node) as url,
        httpx.AsyncClient(base_url=url, headers=await admin_headers(url), timeout=30) as admin,
    ):
        yield url, admin


async def login(admin: httpx.AsyncClient, name: str, role: str) -> dict[str, str]:
    body = {"username": name, "password": VIEWER_PASSWORD, "role": role, "scopes": [ORG]}
    created = await admin.post("/api/v1/users", json=body)
    assert created.status_code == 201, created.text
    token = await admin.post(
        "/api/v1/auth/token", data={"username": name, "password": VIEWER_PASSWORD}, headers={}
    )
    assert token.status_code == 200, token.text
    return {"Authorization": f"Bearer {token.json()['access_token']}"}


async def set_masks(admin: httpx.AsyncClient, *masks: dict[str, object]) -> None:
    put = await admin.put(f"/api/v1/channels/{CHANNEL}/masks", json={"masks": list(masks)})
    assert put.status_code == 200, put.text


async def picture(ws_url: str) -> np.ndarray:
    """The luma of the last of a dozen frames decoded from the live fMP4."""
    async with websockets.connect(ws_url) as ws:
        parts = [await asyncio.wait_for(ws.recv(), 20) for _ in range(13)]
    frames = decode(b"".join(p for p in parts if isinstance(p, bytes)))
    assert len(frames) >= 10
    return np.asarray(frames[-1].to_ndarray(format="gray"), np.float64)


def variances(luma: np.ndarray) -> tuple[float, float]:
    """Pixel variance of the left half and of the right half (8 px kept off the border)."""
    width = luma.shape[1]
    return float(luma[:, 8 : width // 2 - 8].var()), float(luma[:, width // 2 + 8 :].var())


async def unmask_approved(
    admin: httpx.AsyncClient, asker: dict[str, str], decider: dict[str, str]
) -> int:
    asked = await admin.post(
        "/api/v1/approvals",
        headers=asker,
        json={"kind": "unmask", "channel_id": CHANNEL, "purpose": PURPOSE["purpose"]},
    )
    assert asked.status_code == 201, asked.text
    approval_id: int = asked.json()["id"]
    decided = await admin.post(f"/api/v1/approvals/{approval_id}/approve", headers=decider, json={})
    assert decided.status_code == 200, decided.text
    return approval_id


async def test_masked_for_a_viewer_clear_after_an_approved_unmask_which_is_audited(
    media_node: Vigil, api: tuple[str, httpx.AsyncClient]
) -> None:
    _, admin = api
    await set_masks(admin, {"label": "shop window", "points": LEFT_HALF})
    listed = (await admin.get(f"/api/v1/channels/{CHANNEL}/masks")).json()
    assert [m["label"] for m in listed["masks"]] == ["shop window"]
    viewer = await login(admin, "watcher", "operator")
    approver = await login(admin, "duty-chief", "admin")

    live = await admin.post(f"/api/v1/channels/{CHANNEL}/live", headers=viewer)
    assert live.status_code == 201, live.text
    assert (live.json()["masks"], live.json()["unmasked"]) == (1, False)
    masked, clear = variances(await picture(live.json()["ws_fmp4"]))
    assert clear > 2000 and masked < clear / 20, (masked, clear)

    # No approval, or someone else's: refused.
    unmask = {**PURPOSE, "unmask_approval": 999}
    refused = await admin.post(f"/api/v1/channels/{CHANNEL}/live", headers=viewer, json=unmask)
    assert refused.status_code == 403 and refused.json()["code"] == "approval.required"
    approval_id = await unmask_approved(admin, viewer, approver)
    theirs = await admin.post(
        f"/api/v1/channels/{CHANNEL}/live",
        headers=approver,
        json={**PURPOSE, "unmask_approval": approval_id},
    )
    assert theirs.status_code == 403 and theirs.json()["code"] == "approval.not_yours"

    unmask = {**PURPOSE, "unmask_approval": approval_id}
    opened = await admin.post(f"/api/v1/channels/{CHANNEL}/live", headers=viewer, json=unmask)
    assert opened.status_code == 201, opened.text
    assert (opened.json()["masks"], opened.json()["unmasked"]) == (0, True)
    left, right = variances(await picture(opened.json()["ws_fmp4"]))
    assert left > 2000 and right > 2000, (left, right)

    records = await media_node.audit.page(SYSTEM, AuditFilter(action="video.unmask"), None, 10)
    assert [(r.actor, r.channel_id, r.outcome) for r in records] == [("watcher", CHANNEL, "ok")]
    detail = json.loads(records[0].detail)
    assert (detail["approval"], detail["approver"], detail["lifted"]) == (
        approval_id,
        "duty-chief",
        1,
    )
    assert detail["purpose"] == PURPOSE["purpose"] and detail["case"] == PURPOSE["case"]
    # The two refused unmasks are recorded as refused live views, with the reason.
    lives = await media_node.audit.page(SYSTEM, AuditFilter(action="video.live"), None, 20)
    refused_views = sorted((r.actor, r.outcome) for r in lives if r.outcome != "ok")
    assert refused_views == [("duty-chief", "forbidden"), ("watcher", "forbidden")]


async def test_a_permanent_mask_stays_on_when_unmasked_and_new_masks_end_open_views(
    api: tuple[str, httpx.AsyncClient],
) -> None:
    _, admin = api
    await set_masks(
        admin,
        {"label": "window", "points": LEFT_HALF},
        {"label": "changing room", "points": RIGHT_QUARTER, "permanent": True},
    )
    viewer = await login(admin, "watcher", "operator")
    approver = await login(admin, "duty-chief", "admin")
    approval_id = await unmask_approved(admin, viewer, approver)
    unmask = {**PURPOSE, "unmask_approval": approval_id}
    opened = await admin.post(f"/api/v1/channels/{CHANNEL}/live", headers=viewer, json=unmask)
    assert opened.status_code == 201, opened.text
    assert (opened.json()["masks"], opened.json()["unmasked"]) == (1, True)
    luma = await picture(opened.json()["ws_fmp4"])
    width = luma.shape[1]
    window = float(luma[:, 8 : width // 2 - 8].var())
    room = float(luma[:, 3 * width // 4 + 8 : width - 8].var())
    assert window > 2000 and room < window / 20, (window, room)

    # The masks change while the viewer watches: the view ends at the next re-check.
    async with websockets.connect(opened.json()["ws_fmp4"]) as ws:
        await asyncio.wait_for(ws.recv(), 20)
        await set_masks(admin, {"label": "window", "points": LEFT_HALF})
        code, _ = await closed_within(ws, 10)
    assert code == 4401


async def test_mask_rules_and_rights(api: tuple[str, httpx.AsyncClient]) -> None:
    _, admin = api
    viewer = await login(admin, "watcher", "viewer")
    url = f"/api/v1/channels/{CHANNEL}/masks"
    bow_tie = {"label": "x", "points": [[0, 0], [1, 1], [1, 0], [0, 1]]}
    crossed = await admin.put(url, json={"masks": [bow_tie]})
    assert crossed.status_code == 422 and crossed.json()["code"] == "mask.invalid"
    outside = await admin.put(
        url, json={"masks": [{"label": "x", "points": [[0, 0], [2, 0], [0, 1]]}]}
    )
    assert outside.status_code == 422
    written = await admin.put(url, json={"masks": [{"label": "x", "points": LEFT_HALF}]})
    assert written.status_code == 200
    assert (await admin.put(url, headers=viewer, json={"masks": []})).status_code == 403
    # An operator may not either: removing a mask would unmask without an approval.
    operator = await login(admin, "op", "operator")
    assert (await admin.put(url, headers=operator, json={"masks": []})).status_code == 403
    assert (await admin.get(url, headers=viewer)).status_code == 200
    assert (await admin.get("/api/v1/channels/34010000001329999999/masks")).status_code == 404


async def test_a_channel_looking_at_a_banned_place_goes_live_only_once_masked(
    media_node: Vigil, api: tuple[str, httpx.AsyncClient]
) -> None:
    _, admin = api
    # The camera at (10, 10) on the test plane, facing east with a 90° view (HD: it still
    # detects a person 38.4 m out); the hotel room north-east of it takes picture columns
    # 0.25 (tan δ = −10/20) to 0.5 (on the heading).
    x, y = lonlat(10, 10)
    place = {"longitude": x, "latitude": y, "heading": 90.0, "fov": 90.0, "hd": True}
    await media_node.channels.update(SYSTEM, CHANNEL, place)
    room = [lonlat(*p) for p in ((30, 10), (40, 10), (40, 20), (30, 20), (30, 10))]
    layer = collection(("宾馆客房", {"type": "Polygon", "coordinates": [room]}, "hotel"))
    imported = await admin.post(
        "/api/v1/gis/layers/banned_place", params={"organisation_id": ORG}, json=layer
    )
    assert imported.status_code == 201, imported.text
    viewer = await login(admin, "watcher", "operator")

    async def live() -> httpx.Response:
        return await admin.post(f"/api/v1/channels/{CHANNEL}/live", headers=viewer)

    refused = await live()
    assert refused.status_code == 409, refused.text
    problem = refused.json()
    assert problem["code"] == "live.banned_place" and problem["params"]["place"] == "宾馆客房"
    assert (problem["params"]["left"], problem["params"]["right"]) == (
        pytest.approx(0.25, abs=1e-3),
        pytest.approx(0.5, abs=1e-3),
    )
    records = await media_node.audit.page(SYSTEM, AuditFilter(action="video.live"), None, 10)
    assert [(r.outcome, json.loads(r.detail).get("banned_places")) for r in records] == [
        ("conflict", ["宾馆客房"])
    ]

    band = [[0.2, 0], [0.55, 0], [0.55, 1], [0.2, 1]]
    # A mask that an unmask could lift does not count; nor does one that leaves part uncovered.
    await set_masks(admin, {"label": "room", "points": band})
    assert (await live()).status_code == 409
    short = [[0.2, 0], [0.55, 0], [0.55, 0.9], [0.2, 0.9]]
    await set_masks(admin, {"label": "room", "points": short, "permanent": True})
    assert (await live()).status_code == 409

    await set_masks(admin, {"label": "room", "points": band, "permanent": True})
    opened = await live()
    assert opened.status_code == 201, opened.text
    assert opened.json()["masks"] == 1
    masked, clear = variances(await picture(opened.json()["ws_fmp4"]))
    assert clear > 2000 and masked < clear / 2, (masked, clear)  # 0.2–0.55: most of the left
