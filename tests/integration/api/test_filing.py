"""The filing registry: channels with incomplete filing data are flagged and listed, JSON or CSV."""

from __future__ import annotations

import csv
import io

import httpx
from sqlalchemy import select

from tests.integration.api.helpers import HEFEI_CHANNEL, WUHU_CHANNEL, add_user, build_tree
from vigil.app import Vigil
from vigil.store.models import Platform, PlatformDirection, SystemFiling

FILED = {
    "owner_unit": "合肥市公安局",
    "builder_unit": "某某科技有限公司",
    "maintainer_unit": "某某运维公司",
    "purpose": "治安防控",
    "legal_basis": "公共安全视频图像信息系统管理条例",
    "filing_number": "HF-2026-0001",
}
HEFEI_NVR, WUHU_NVR = "34010000001180000001", "34020000001180000001"


async def test_report_flags_incomplete_channels(
    client: httpx.AsyncClient, admin: dict[str, str]
) -> None:
    await build_tree(client, admin)
    response = await client.patch(f"/api/v1/channels/{HEFEI_CHANNEL}", headers=admin, json=FILED)
    assert response.status_code == 200
    assert response.json()["filing_missing"] == []
    partial = {"owner_unit": "芜湖市公安局", "purpose": " "}
    wuhu = await client.patch(f"/api/v1/channels/{WUHU_CHANNEL}", headers=admin, json=partial)
    missing = ["builder_unit", "maintainer_unit", "purpose", "legal_basis", "filing_number"]
    assert wuhu.json()["filing_missing"] == missing  # a blank purpose is no purpose

    report = (await client.get("/api/v1/filing/report", params={"org": "34"}, headers=admin)).json()
    assert report["channels"] == 2
    assert report["flagged"] == [
        {"id": WUHU_CHANNEL, "name": "camera 0001", "organisation_id": "3402", "missing": missing}
    ]
    hefei = await client.get("/api/v1/filing/report", params={"org": "3401"}, headers=admin)
    assert hefei.json()["flagged"] == []

    as_csv = await client.get(
        "/api/v1/filing/report", params={"org": "34", "format": "csv"}, headers=admin
    )
    assert as_csv.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(as_csv.text)))
    assert rows[0][:4] == ["kind", "id", "name", "organisation_id"]
    assert rows[1][:5] == ["channel", WUHU_CHANNEL, "camera 0001", "3402", ""]  # owner filed
    assert rows[1][5:] == ["missing"] * 5
    # Then the two NVRs, which have filed nothing.
    assert [r[:2] for r in rows[2:]] == [["device", HEFEI_NVR], ["device", WUHU_NVR]]
    assert all(r[4:] == ["missing"] * 6 for r in rows[2:])


async def test_report_is_scoped(client: httpx.AsyncClient, admin: dict[str, str]) -> None:
    await build_tree(client, admin)
    viewer = await add_user(client, admin, "wuhu-viewer", "viewer", ["3402"])
    own = await client.get("/api/v1/filing/report", params={"org": "3402"}, headers=viewer)
    assert [c["id"] for c in own.json()["flagged"]] == [WUHU_CHANNEL]
    other = await client.get("/api/v1/filing/report", params={"org": "3401"}, headers=viewer)
    assert other.status_code == 403


async def test_systems_are_filed_and_flagged(
    client: httpx.AsyncClient, admin: dict[str, str], node: Vigil
) -> None:
    await build_tree(client, admin)
    # An upper platform row, as the cascade service stores one (its links are not started here).
    async with node.db.session() as session, session.begin():
        platform = Platform(
            direction=PlatformDirection.UPPER,
            sip_id="34000000002000000001",
            domain="3400000000",
            name="省级平台",
        )
        session.add(platform)
    report = (await client.get("/api/v1/filing/report", params={"org": "34"}, headers=admin)).json()
    assert report["systems"] == 3  # two NVRs and the platform
    assert [(s["kind"], s["id"]) for s in report["flagged_systems"]] == [
        ("device", HEFEI_NVR),
        ("device", WUHU_NVR),
        ("platform", str(platform.id)),
    ]
    assert all(s["missing"] == list(FILED) for s in report["flagged_systems"])

    filed = await client.put(f"/api/v1/filing/devices/{HEFEI_NVR}", headers=admin, json=FILED)
    assert filed.status_code == 200, filed.text
    assert filed.json()["missing"] == [] and filed.json()["organisation_id"] == "3401"
    partial = {"owner_unit": "省公安厅", "filing_number": "  "}
    upper = await client.put(f"/api/v1/filing/platforms/{platform.id}", headers=admin, json=partial)
    assert upper.json()["missing"] == [f for f in FILED if f != "owner_unit"]
    # A PUT replaces the whole filing: what it leaves out is emptied.
    again = await client.put(
        f"/api/v1/filing/platforms/{platform.id}", headers=admin, json={"purpose": "级联共享"}
    )
    assert again.json()["owner_unit"] is None
    got = await client.get(f"/api/v1/filing/platforms/{platform.id}", headers=admin)
    assert got.json()["purpose"] == "级联共享"

    report = (await client.get("/api/v1/filing/report", params={"org": "34"}, headers=admin)).json()
    assert [s["id"] for s in report["flagged_systems"]] == [WUHU_NVR, str(platform.id)]
    async with node.db.session() as session:
        rows = (await session.scalars(select(SystemFiling))).all()
    assert len(rows) == 2  # one row per system, updated in place

    # Deleting the device takes its filing with it.
    assert (await client.delete(f"/api/v1/devices/{HEFEI_NVR}", headers=admin)).is_success
    async with node.db.session() as session:
        left = (await session.scalars(select(SystemFiling.device_id))).all()
    assert left == [None]


async def test_system_filing_is_scoped(
    client: httpx.AsyncClient, admin: dict[str, str], node: Vigil
) -> None:
    await build_tree(client, admin)
    async with node.db.session() as session, session.begin():
        platform = Platform(
            direction=PlatformDirection.LOWER,
            sip_id="34020000002000000009",
            domain="3402000000",
            name="芜湖下级平台",
        )
        session.add(platform)
    operator = await add_user(client, admin, "wuhu-operator", "operator", ["3402"])
    own = await client.put(f"/api/v1/filing/devices/{WUHU_NVR}", headers=operator, json=FILED)
    assert own.status_code == 200
    other = await client.put(f"/api/v1/filing/devices/{HEFEI_NVR}", headers=operator, json=FILED)
    assert other.status_code == 403
    # A platform belongs to no organisation: only a caller who sees them all files it ...
    upper = await client.put(f"/api/v1/filing/platforms/{platform.id}", headers=operator, json={})
    assert upper.status_code == 403
    # ... and only such a caller's report lists it.
    report = await client.get("/api/v1/filing/report", params={"org": "3402"}, headers=operator)
    assert (report.json()["systems"], report.json()["flagged_systems"]) == (1, [])
    viewer = await add_user(client, admin, "wuhu-viewer", "viewer", ["3402"])
    read_only = await client.put(f"/api/v1/filing/devices/{WUHU_NVR}", headers=viewer, json=FILED)
    assert read_only.status_code == 403
    assert (await client.get("/api/v1/filing/platforms/99", headers=admin)).status_code == 404
    assert (await client.get("/api/v1/filing/devices/1", headers=admin)).status_code == 404
