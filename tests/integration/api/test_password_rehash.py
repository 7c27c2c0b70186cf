"""A changed password-hash cost reaches each account at its next login."""

from __future__ import annotations

import httpx
from sqlalchemy import select

from tests.conftest import ADMIN_PASSWORD
from vigil.api.server import create_api
from vigil.app import Vigil
from vigil.config import Settings
from vigil.store.models import User


async def admin_hash(node: Vigil) -> str:
    async with node.db.session() as session:
        stored = await session.scalar(select(User.password_hash).where(User.username == "admin"))
    assert stored is not None
    return stored


async def test_login_at_a_new_cost_hashes_the_password_again(settings: Settings) -> None:
    node = Vigil(settings)
    await node.start()
    try:
        made = await admin_hash(node)
    finally:
        await node.stop()
    assert f"m={settings.password_hash_memory_kib}," in made

    raised = settings.model_copy(update={"password_hash_memory_kib": 24576})
    node = Vigil(raised)
    await node.start()
    try:
        assert await admin_hash(node) == made  # nothing changes until the account logs in
        transport = httpx.ASGITransport(app=create_api(node))
        async with httpx.AsyncClient(transport=transport, base_url="http://vigil.test") as http:
            login = await http.post(
                "/api/v1/auth/token", data={"username": "admin", "password": ADMIN_PASSWORD}
            )
        assert login.status_code == 200, login.text
        again = await admin_hash(node)
        assert again != made and "m=24576," in again
    finally:
        await node.stop()
