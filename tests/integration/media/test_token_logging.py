"""Video URL tokens never reach the server's log.

A real ``vigil serve`` logs to a file while a live view is opened, its WebSocket accepted (and
closed: the camera is offline), refused with a forged token, and its HLS playlist asked for; the
log must name those requests, without their query strings, and hold neither token.
"""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from websockets.exceptions import ConnectionClosed, InvalidStatus
from websockets.sync.client import connect

from tests.integration.live import live_vigil

ADMIN_PASSWORD = "Log-Test-Pass-93"
ORG, DEVICE, CHANNEL = "3401", "34010000001180000001", "34010000001320000001"

pytestmark = pytest.mark.timeout(90)


def test_no_token_in_the_server_log(tmp_path: Path) -> None:
    log = tmp_path / "stderr.log"
    with live_vigil("serve", tmp_path / "data", log=log, admin_password=ADMIN_PASSWORD) as live:
        with httpx.Client(base_url=live.url) as http:
            login = http.post(
                "/api/v1/auth/token", data={"username": "admin", "password": ADMIN_PASSWORD}
            )
            access = login.json()["access_token"]
            http.headers["Authorization"] = f"Bearer {access}"
            for path, body in (
                ("/api/v1/organisations", {"id": ORG, "name": "合肥市"}),
                ("/api/v1/devices", {"id": DEVICE, "name": "NVR", "organisation_id": ORG}),
                ("/api/v1/channels", {"id": CHANNEL, "device_id": DEVICE, "name": "gate"}),
            ):
                assert http.post(path, json=body).status_code == 201
            started = http.post(f"/api/v1/channels/{CHANNEL}/live")
            assert started.status_code == 201, started.text
            live_view = started.json()
            token = live_view["ws_fmp4"].split("token=")[1]
            http.get(live_view["hls"], headers={"Authorization": ""}, timeout=30)
        with pytest.raises(ConnectionClosed), connect(live_view["ws_fmp4"]) as ws:
            ws.recv(timeout=30)  # accepted, then closed: the device is not registered
        forged = live_view["ws_fmp4"].replace(token, "A" * len(token))
        with pytest.raises(InvalidStatus), connect(forged):
            pass
    text = log.read_text()
    assert f"/api/v1/live/{live_view['session']}/ws" in text  # the accepted socket is logged
    assert token not in text
    assert "A" * len(token) not in text
    assert access not in text
    assert "token=" not in text
