"""The shared half of networking, counted by hand: channels shared with a registered upper
platform and online, over channels on file — in /upper-platforms/networking-rate and the KPI
report's ``shared_rate``."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from tests.conftest import ADMIN_PASSWORD
from tests.integration.cascade.upper_nodes import (
    CAMERA_IN_GROUP,
    LINK_PASSWORD,
    LOWER_ID,
    REGION,
    UPPER_DOMAIN,
    UPPER_ID,
    add_upper,
    eventually,
    seed_lower,
    set_online,
    share,
    standard_shares,
    start_node,
)
from vigil.api.server import create_api


async def test_shared_and_online_over_channels_on_file(tmp_path: Path) -> None:
    upper = await start_node(
        tmp_path,
        "upper",
        sip_id=UPPER_ID,
        sip_domain=UPPER_DOMAIN,
        sip_password=LINK_PASSWORD,
        sip_admit_unknown=True,
    )
    lower = await start_node(tmp_path, "lower", sip_id=LOWER_ID)
    transport = httpx.ASGITransport(app=create_api(lower), client=("127.0.0.9", 40000))
    try:
        async with httpx.AsyncClient(transport=transport, base_url="http://vigil.test") as http:
            token = await http.post(
                "/api/v1/auth/token", data={"username": "admin", "password": ADMIN_PASSWORD}
            )
            http.headers["Authorization"] = f"Bearer {token.json()['access_token']}"
            await seed_lower(lower)  # three cameras on file, all online
            before = (await http.get("/api/v1/kpis", params={"org": REGION})).json()
            assert before["shared_rate"]["value"] is None  # no upper platform registered yet

            platform_id = await add_upper(lower, upper.gb.port)
            await share(lower, platform_id, *standard_shares())  # two of the three shared
            await set_online(lower, [CAMERA_IN_GROUP], False)  # one of those two offline
            await eventually(lambda: lower.upper_links.state(platform_id).registered)

            rate = (await http.get("/api/v1/upper-platforms/networking-rate")).json()
            assert rate == {"shared_online": 1, "channels": 3, "rate": pytest.approx(1 / 3)}
            kpis = (await http.get("/api/v1/kpis", params={"org": REGION})).json()
            assert kpis["shared_rate"]["value"] == pytest.approx(1 / 3)

            await upper.stop()  # the only upper platform goes away: nothing reaches it
            await eventually(lambda: not lower.upper_links.state(platform_id).registered)
            gone = (await http.get("/api/v1/upper-platforms/networking-rate")).json()
            assert gone["shared_online"] == 0 and gone["channels"] == 3
    finally:
        await lower.stop()
        await upper.stop()
