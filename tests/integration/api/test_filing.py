"""The filing registry: channels with incomplete filing data are flagged and listed, JSON or CSV."""

from __future__ import annotations

import csv
import io

import httpx

from tests.integration.api.helpers import HEFEI_CHANNEL, WUHU_CHANNEL, add_user, build_tree

FILED = {
    "owner_unit": "合肥市公安局",
    "builder_unit": "某某科技有限公司",
    "maintainer_unit": "某某运维公司",
    "purpose": "治安防控",
    "legal_basis": "公共安全视频图像信息系统管理条例",
    "filing_number": "HF-2026-0001",
}


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
    assert rows[0][:3] == ["channel_id", "name", "organisation_id"]
    assert rows[1][:4] == [WUHU_CHANNEL, "camera 0001", "3402", ""]  # owner filed
    assert rows[1][4:] == ["missing"] * 5
    assert len(rows) == 2


async def test_report_is_scoped(client: httpx.AsyncClient, admin: dict[str, str]) -> None:
    await build_tree(client, admin)
    viewer = await add_user(client, admin, "wuhu-viewer", "viewer", ["3402"])
    own = await client.get("/api/v1/filing/report", params={"org": "3402"}, headers=viewer)
    assert [c["id"] for c in own.json()["flagged"]] == [WUHU_CHANNEL]
    other = await client.get("/api/v1/filing/report", params={"org": "3401"}, headers=viewer)
    assert other.status_code == 403
