"""The lower-platform API: live state, counts, counters and tree; the imported groups in the
virtual-groups API; scope; DELETE removing the platform and its tree, audited."""

from __future__ import annotations

from contextlib import asynccontextmanager
from pathlib import Path

from sqlalchemy import select

from tests.integration.api.helpers import add_user
from tests.integration.cascade.lower_rig import PLATFORM_ID, lower_rig, wait_for
from tests.integration.gb28181.simulated import admin_api
from vigil.store.models import AuditRecord, Channel, Device, VirtualGroup


async def test_state_tree_groups_scope_and_delete(tmp_path: Path, database_url: str) -> None:
    async with lower_rig(tmp_path, database_url) as rig:
        stored = await rig.stored()
        async with asynccontextmanager(admin_api)(rig.node) as http:
            listed = (await http.get("/api/v1/lower-platforms")).json()
            assert [p["sip_id"] for p in listed] == [PLATFORM_ID]
            (platform,) = listed
            assert platform["id"] == stored.platform.id and platform["online"] is True
            assert platform["port"] == rig.sim.address[1] and platform["transport"] == "udp"
            assert platform["registered_at"] is not None and platform["expires_at"] is not None
            assert (platform["devices"], platform["groups"]) == (2, 8)
            assert platform["channels"] == platform["channels_online"] == len(stored.channels)
            counters = platform["counters"]
            assert counters["requests"] >= 3 and counters["failures"] == 0  # info, catalog, sub

            url = f"/api/v1/lower-platforms/{platform['id']}"

            async def heard() -> bool:
                return (await http.get(url)).json()["last_keepalive"] is not None

            await wait_for(heard)  # the keepalive (every second) is on the device row

            # One channel goes OFF: the online count follows.
            channel = next(iter(stored.channels))
            await rig.sim.notify("OFF", [channel])

            async def one_offline() -> bool:
                body = (await http.get(url)).json()
                return bool(body["channels_online"] == body["channels"] - 1)

            await wait_for(one_offline)
            detail = (await http.get(url)).json()
            groups = {g["id"]: g["parent_id"] for g in detail["tree_groups"]}
            assert groups == {g: row.parent_id for g, row in stored.groups.items()}
            assert {d["id"] for d in detail["tree_devices"]} == set(stored.devices) - {PLATFORM_ID}
            tree_channels = {c["id"]: c for c in detail["tree_channels"]}
            assert {c: set(v["group_ids"]) for c, v in tree_channels.items()} == stored.members
            assert tree_channels[channel]["status"] == "offline"

            # The imported groups are in the virtual-groups API, members listed there too.
            page = (await http.get("/api/v1/virtual-groups", params={"limit": 500})).json()
            imported = {g["id"]: g["platform_id"] for g in page["items"]}
            assert {g: imported[g] for g in stored.groups} == dict.fromkeys(
                stored.groups, platform["id"]
            )
            grouped = next(c for c, members in stored.members.items() if members)
            (group,) = stored.members[grouped]
            members = (await http.get(f"/api/v1/virtual-groups/{group}/channels")).json()
            assert grouped in {c["id"] for c in members["items"]}

            # Scoped users: a viewer sees no platform (its device is filed nowhere they see) and
            # may not delete; an operator of another scope gets the same 404 as for no platform.
            admin = {"Authorization": http.headers["Authorization"]}
            viewer = await add_user(http, admin, "unit-viewer", "viewer", ["340104"])
            assert (await http.get("/api/v1/lower-platforms", headers=viewer)).json() == []
            assert (await http.get(url, headers=viewer)).status_code == 404
            assert (await http.delete(url, headers=viewer)).status_code == 403
            operator = await add_user(http, admin, "unit-operator", "operator", ["340104"])
            assert (await http.delete(url, headers=operator)).status_code == 404
            assert (await http.get("/api/v1/lower-platforms/999")).status_code == 404

            assert (await http.delete(url)).status_code == 204
            assert (await http.get(url)).status_code == 404
            assert (await http.get("/api/v1/lower-platforms")).json() == []
        async with rig.node.db.session() as session:
            assert not (await session.scalars(select(VirtualGroup.id))).all()
            ids = list(stored.channels)
            assert not (await session.scalars(select(Channel.id).where(Channel.id.in_(ids)))).all()
            assert not (
                await session.scalars(select(Device.id).where(Device.id.in_(stored.devices)))
            ).all()
            records = (
                await session.scalars(
                    select(AuditRecord).where(AuditRecord.action == "lower_platform.delete")
                )
            ).all()
        assert [(r.actor, r.outcome) for r in records] == [
            ("unit-viewer", "forbidden"),
            ("unit-operator", "not-found"),
            ("admin", "ok"),
        ]
        assert rig.node.gb.lower.route(next(iter(set(stored.devices) - {PLATFORM_ID}))) != (
            PLATFORM_ID
        )
