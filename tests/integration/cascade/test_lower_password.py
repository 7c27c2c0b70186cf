"""A lower platform authenticates like any device: with its own password, stored as HA1."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import text

from tests.integration.cascade.lower_rig import lower_rig
from vigil.governance.permissions import SYSTEM

PASSWORD = "Lower-Own-Pass-3"


async def test_lower_platform_registers_with_its_own_password_kept_as_ha1(
    tmp_path: Path, database_url: str
) -> None:
    async with lower_rig(tmp_path, database_url, password=PASSWORD, sip_password=None) as rig:
        (state,) = await rig.node.lower_platforms.all(SYSTEM)
        assert state.online
        async with rig.node.db.session() as session:
            rows = (await session.execute(text("SELECT * FROM gb_registrations"))).all()
        assert rows and not any(PASSWORD in str(value) for row in rows for value in row)
