"""An upper Vigil queries a lower Vigil's catalog: only the shared tree comes back, structured
(215 → 216 → camera, a renamed camera under the 215), in parts of items_per_message with SumNum
right, in the upper platform's edition; DeviceInfo and DeviceStatus answered; an unshared camera
does not exist for the upper platform (404 and an audit record)."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.integration.cascade.upper_nodes import (
    BUSINESS_GROUP,
    CAMERA_HIDDEN,
    CAMERA_IN_GROUP,
    LINK_PASSWORD,
    LOWER_ID,
    OUTWARD_ID,
    UPPER_DOMAIN,
    UPPER_ID,
    VIRTUAL_ORG,
    add_upper,
    eventually,
    seed_lower,
    set_online,
    share,
    standard_shares,
    start_node,
)
from vigil.app import Vigil
from vigil.governance.audit import AuditFilter
from vigil.governance.permissions import Permission, Principal
from vigil.protocols.manscdp import (
    DeviceInfoQuery,
    DeviceInfoResponse,
    DeviceStatusQuery,
    DeviceStatusResponse,
)
from vigil.store.models import Role

AUDITOR = Principal(None, "auditor", Role.auditor, frozenset({Permission.audit_read}), None)


@pytest.fixture
async def pair(tmp_path: Path) -> AsyncIterator[tuple[Vigil, Vigil]]:
    upper = await start_node(
        tmp_path,
        "upper",
        sip_id=UPPER_ID,
        sip_domain=UPPER_DOMAIN,
        sip_password=LINK_PASSWORD,
        sip_admit_unknown=True,
    )
    lower = await start_node(tmp_path, "lower", sip_id=LOWER_ID)
    try:
        yield upper, lower
    finally:
        await lower.stop()
        await upper.stop()


async def linked(upper: Vigil, lower: Vigil, **fields: object) -> int:
    await seed_lower(lower)
    platform_id = await add_upper(lower, upper.gb.port, **fields)
    await share(lower, platform_id, *standard_shares())
    await eventually(lambda: lower.upper_links.state(platform_id).registered)
    return platform_id


@pytest.mark.parametrize("edition", ["2016", "2022"])
async def test_catalog_is_the_shared_tree_in_parts_with_sumnum(
    pair: tuple[Vigil, Vigil], edition: str
) -> None:
    upper, lower = pair
    await linked(upper, lower, items_per_message=2, edition=edition)
    result = await upper.gb.sync_catalog(LOWER_ID)
    assert result.complete and result.expected == 4 == len(result.items)
    items = {item.device_id: item for item in result.items}
    assert set(items) == {BUSINESS_GROUP, VIRTUAL_ORG, CAMERA_IN_GROUP, OUTWARD_ID}
    assert items[BUSINESS_GROUP].parent_id == LOWER_ID
    assert items[VIRTUAL_ORG].parent_id == BUSINESS_GROUP
    assert items[CAMERA_IN_GROUP].parent_id == VIRTUAL_ORG
    assert items[OUTWARD_ID].parent_id == BUSINESS_GROUP
    assert items[OUTWARD_ID].status == "ON"
    for node_id in (VIRTUAL_ORG, CAMERA_IN_GROUP, OUTWARD_ID):
        item = items[node_id]
        if edition == "2016":
            assert item.business_group_id == BUSINESS_GROUP
        else:
            assert item.business_group_id is None
            assert item.info is not None and item.info.business_group_id == BUSINESS_GROUP


async def test_catalog_is_sent_again_on_every_query_and_follows_status(
    pair: tuple[Vigil, Vigil],
) -> None:
    upper, lower = pair
    await linked(upper, lower)
    first = await upper.gb.sync_catalog(LOWER_ID)
    await set_online(lower, [CAMERA_IN_GROUP], False)
    second = await upper.gb.sync_catalog(LOWER_ID)
    assert second.complete and len(second.items) == len(first.items) == 4
    status = {item.device_id: item.status for item in second.items}
    assert status[CAMERA_IN_GROUP] == "OFF" and status[OUTWARD_ID] == "ON"


async def test_device_info_and_status_of_vigil_and_of_a_shared_camera(
    pair: tuple[Vigil, Vigil],
) -> None:
    upper, lower = pair
    platform_id = await linked(upper, lower)
    info = await upper.gb.query(
        LOWER_ID, DeviceInfoQuery(sn=upper.gb.next_sn(), device_id=LOWER_ID)
    )
    assert isinstance(info, DeviceInfoResponse) and info.result == "OK"
    assert info.channel == 2
    status = await upper.gb.query(
        LOWER_ID, DeviceStatusQuery(sn=upper.gb.next_sn(), device_id=OUTWARD_ID)
    )
    assert isinstance(status, DeviceStatusResponse) and status.online == "ONLINE"
    assert lower.upper_links.counters(platform_id).requests >= 2


async def test_an_unshared_camera_does_not_exist_for_the_upper(pair: tuple[Vigil, Vigil]) -> None:
    upper, lower = pair
    platform_id = await linked(upper, lower)
    result = await upper.gb.sync_catalog(LOWER_ID)
    assert CAMERA_HIDDEN not in {item.device_id for item in result.items}
    for local_id in (CAMERA_HIDDEN, "34010200001320000002"):  # hidden; renamed under its own ID
        response = await upper.gb.request(
            LOWER_ID,
            "MESSAGE",
            body=(
                b'<?xml version="1.0"?><Query><CmdType>DeviceStatus</CmdType><SN>7</SN>'
                b"<DeviceID>" + local_id.encode() + b"</DeviceID></Query>"
            ),
            content_type="Application/MANSCDP+xml",
        )
        assert response.status == 404
    assert lower.upper_links.counters(platform_id).failures >= 2
    records = await lower.audit.page(AUDITOR, AuditFilter(actor=f"platform:{UPPER_ID}"), None, 100)
    refused = [json.loads(r.detail) for r in records if r.outcome == "404"]
    assert {CAMERA_HIDDEN, "34010200001320000002"} <= {d.get("device_id") for d in refused}
