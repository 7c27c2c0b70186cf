"""MobilePosition is asked only of the device types that move; Catalog and Alarm of every one."""

from __future__ import annotations

from collections.abc import Coroutine
from typing import Any

import pytest

from vigil.config import ConfigError, load_settings
from vigil.gb28181.devices.device_subscriptions import Subscriptions
from vigil.protocols.sip import Headers, SipRequest, SipResponse, Via

CAMERA = "34010400001320000001"  # type 132, IP camera
PATROL_CAR = "34010400001380000001"  # type 138, mobile transmission device
LOWER = "34010400002000000001"  # type 200, a lower platform relaying its devices' positions


class Sent:
    """Stands in for the service: records each SUBSCRIBE's body, the device answers nothing."""

    def __init__(self) -> None:
        self.bodies: list[tuple[str, bytes]] = []

    def build(self, device_id: str, method: str, *, body: bytes, **_: Any) -> SipRequest:
        assert method == "SUBSCRIBE"
        self.bodies.append((device_id, body))
        return SipRequest("SUBSCRIBE", f"sip:{device_id}@3402000000", Headers(), body)

    async def send(self, device_id: str, request: SipRequest) -> SipResponse:
        raise TimeoutError

    def events(self, device_id: str) -> list[str]:
        names = []
        for sent_to, body in self.bodies:
            if sent_to == device_id:
                names.append(body.split(b"<CmdType>")[1].split(b"</CmdType>")[0].decode())
        return sorted(names)


def subscriptions(sent: Sent, position_types: frozenset[str] | None, expires: int = 600) -> Any:
    def via(device_id: str) -> Via:
        raise AssertionError("no refresh expected")

    def spawn(coroutine: Coroutine[object, object, None], name: str) -> None:
        coroutine.close()

    return Subscriptions(
        expires=expires,
        build=sent.build,
        send=sent.send,
        via=via,
        next_sn=iter(range(1, 100)).__next__,
        spawn=spawn,
        position_types=position_types,
    )


async def test_default_types_ask_mobile_devices_and_lower_platforms_for_positions() -> None:
    sent = Sent()
    types = load_settings(admin_password="Admin-Pass-1").position_type_codes
    assert types == frozenset({"138", "200"})
    subs = subscriptions(sent, types)
    for device in (CAMERA, PATROL_CAR, LOWER):
        await subs.subscribe_all(device)
    assert sent.events(CAMERA) == ["Alarm", "Catalog"]
    assert sent.events(PATROL_CAR) == ["Alarm", "Catalog", "MobilePosition"]
    assert sent.events(LOWER) == ["Alarm", "Catalog", "MobilePosition"]


async def test_star_asks_every_device_and_zero_expires_asks_none() -> None:
    sent = Sent()
    star = load_settings(admin_password="Admin-Pass-1", position_types="*").position_type_codes
    assert star is None
    await subscriptions(sent, star).subscribe_all(CAMERA)
    assert sent.events(CAMERA) == ["Alarm", "Catalog", "MobilePosition"]
    off = subscriptions(Sent(), frozenset({"138"}), expires=0)
    assert off.events_for(PATROL_CAR) == []


def test_setting_lists_codes_and_refuses_others() -> None:
    codes = load_settings(admin_password="Admin-Pass-1", position_types="138, 131").position_types
    assert codes == "138, 131"
    settings = load_settings(admin_password="Admin-Pass-1", position_types="")
    assert settings.position_type_codes == frozenset()
    with pytest.raises(ConfigError, match="VIGIL_POSITION_TYPES"):
        load_settings(admin_password="Admin-Pass-1", position_types="13a")
