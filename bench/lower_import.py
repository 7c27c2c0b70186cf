"""Lower-platform catalog import: what keeping the tree costs beside a flat device catalog.

Run as ``.venv/bin/python bench/lower_import.py``. A simulated lower platform's tree
(:func:`vigil.sim.platform_tree.make_tree`: business groups, nested virtual organisations, NVRs,
cameras in groups) of a city district's size is written into a fresh SQLite database by
:class:`vigil.gb28181.lower.lower_import.LowerImport` (groups with parent links, devices behind the
platform, channels with their device and group membership) — first import, then the same catalog
again (every row an update, what each re-registration costs), then one NOTIFY ADD of a camera.

The reference is the device catalog path a flat NVR takes (:class:`CatalogWriter.upsert`) with the
same channels on one device in the same database engine; the ratio says what the tree adds.
Wall-clock seconds (SQLite commits on this disk are part of the cost).

The last line printed is one JSON object with every figure.
"""

from __future__ import annotations

import asyncio
import json
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from vigil.gb28181.devices.catalog_writer import CatalogWriter
from vigil.gb28181.lower.lower_import import LowerImport, PlatformRef
from vigil.protocols.manscdp import CatalogItem
from vigil.sim.platform_tree import make_tree
from vigil.store.database import Database
from vigil.store.migrate import upgrade
from vigil.store.models import Device, Platform, PlatformDirection

PLATFORM_ID = "34010400002000000001"
FLAT_NVR = "34010500001180000001"
BUSINESS_GROUPS = 20
NVRS = 100
CHANNELS_PER_NVR = 50


async def _database(root: Path) -> Database:
    db = Database(f"sqlite+aiosqlite:///{root / 'bench.db'}")
    await upgrade(db.engine)
    return db


async def _platform(db: Database) -> PlatformRef:
    async with db.session() as session, session.begin():
        platform = Platform(
            direction=PlatformDirection.LOWER, sip_id=PLATFORM_ID, domain="3401040000", name="p"
        )
        session.add(platform)
        await session.flush()
        session.add(Device(id=PLATFORM_ID, name="platform", platform_id=platform.id))
        session.add(Device(id=FLAT_NVR, name="flat NVR"))
        return PlatformRef(platform.id, PLATFORM_ID, None)


def _flat(items: list[CatalogItem]) -> list[CatalogItem]:
    """The tree's cameras as one NVR lists them: other IDs, parent the NVR."""
    return [
        replace(i, device_id=f"3401050000{i.device_id[10:]}", parent_id=FLAT_NVR)
        for i in items
        if i.device_id[10:13] == "132"
    ]


async def main() -> dict[str, float | int]:
    tree = make_tree(
        PLATFORM_ID,
        business_groups=BUSINESS_GROUPS,
        devices=NVRS,
        channels_per_device=CHANNELS_PER_NVR,
    )
    items = tree.items()
    with tempfile.TemporaryDirectory() as tmp:
        db = await _database(Path(tmp))
        try:
            ref = await _platform(db)
            importer = LowerImport(db)
            began = time.perf_counter()
            changes, plan = await importer.replace(ref, items, complete=True)
            first = time.perf_counter() - began
            began = time.perf_counter()
            again, _ = await importer.replace(ref, items, complete=True)
            second = time.perf_counter() - began
            new = replace(items[-1], device_id=f"{PLATFORM_ID[:10]}1320900001", event="ADD")
            began = time.perf_counter()
            await importer.apply(ref, [new])
            notify = time.perf_counter() - began

            flat = _flat(items)
            writer = CatalogWriter(db)
            began = time.perf_counter()
            await writer.upsert(FLAT_NVR, flat, complete=True)
            flat_first = time.perf_counter() - began
            began = time.perf_counter()
            await writer.upsert(FLAT_NVR, flat, complete=True)
            flat_second = time.perf_counter() - began
        finally:
            await db.dispose()
    return {
        "items": len(items),
        "groups": len(plan.groups),
        "devices": len(plan.devices),
        "channels": len(changes.added),
        "updated_again": len(again.updated),
        "tree_first_s": round(first, 3),
        "tree_again_s": round(second, 3),
        "notify_add_ms": round(notify * 1000, 1),
        "flat_first_s": round(flat_first, 3),
        "flat_again_s": round(flat_second, 3),
        "ratio_first": round(first / flat_first, 2),
        "ratio_again": round(second / flat_second, 2),
        "tree_items_per_s": round(len(items) / first),
    }


if __name__ == "__main__":
    figures = asyncio.run(main())
    print(f"{'case':<34}{'seconds':>10}")
    print(f"{'tree import, first':<34}{figures['tree_first_s']:>10}")
    print(f"{'tree import, same again':<34}{figures['tree_again_s']:>10}")
    print(f"{'flat NVR catalog, first':<34}{figures['flat_first_s']:>10}")
    print(f"{'flat NVR catalog, same again':<34}{figures['flat_again_s']:>10}")
    print(f"{'NOTIFY ADD of one camera (ms)':<34}{figures['notify_add_ms']:>10}")
    print(
        f"{figures['items']} items: {figures['groups']} groups, {figures['devices']} NVRs, "
        f"{figures['channels']} channels; tree/flat {figures['ratio_first']}× first, "
        f"{figures['ratio_again']}× again"
    )
    print(
        "reference (flat): CatalogWriter.upsert of the same channels on one device; it writes no "
        "business groups or virtual organisations, no parent links, no devices behind a "
        "platform and no group membership."
    )
    print(json.dumps(figures))
