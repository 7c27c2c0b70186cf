"""The simulated device against a tiny platform on loopback: registration, keepalive, NAT moves,
queries (catalog and recordings paged), controls, subscriptions and alarms."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest

from tests.integration.sim.conftest import DEVICE_ID
from tests.integration.sim.platform import MANSCDP, Inbound, TestPlatform
from vigil.protocols.manscdp import (
    AlarmNotify,
    AlarmQuery,
    CatalogNotify,
    CatalogQuery,
    CatalogResponse,
    DeviceControl,
    DeviceControlResponse,
    DeviceInfoQuery,
    DeviceInfoResponse,
    Keepalive,
    MobilePositionNotify,
    PresetQuery,
    PresetQueryResponse,
    RecordInfoQuery,
    RecordInfoResponse,
    encode,
)
from vigil.protocols.ptz import Motion, Pan, Preset, PresetAction, PtzCmd, Zoom
from vigil.protocols.sip import SipRequest
from vigil.sim import SimDevice, channel_id

StartDevice = Callable[..., Any]


def is_cmd(cmd: type) -> Callable[[Inbound], bool]:
    return lambda item: isinstance(item.message, cmd)


@pytest.mark.parametrize(("transport", "version"), [("udp", "2016"), ("tcp", "2022")])
async def test_register_keepalive_and_unregister(
    transport: str, version: str, make_device: StartDevice
) -> None:
    async with TestPlatform(transport) as platform:
        device: SimDevice = await make_device(platform, gb_version=version, register_expires=600)
        assert platform.challenges == 1
        (device_id, expires, headers, _source) = platform.registrations[0]
        assert (device_id, expires) == (DEVICE_ID, 600)
        assert headers["X-GB-Ver"] == {"2016": "2.0", "2022": "3.0"}[version]
        keepalive = await platform.next(is_cmd(Keepalive), timeout=3)
        assert isinstance(keepalive.message, Keepalive)
        assert keepalive.message.device_id == DEVICE_ID
        await device.stop()
        assert platform.registrations[-1][1] == 0  # Expires: 0 on stop


async def test_reregisters_before_expiry(platform: TestPlatform, make_device: StartDevice) -> None:
    await make_device(platform, register_expires=2)
    async with asyncio.timeout(5):
        while len(platform.registrations) < 3:
            await asyncio.sleep(0.05)
    assert all(r[1] == 2 for r in platform.registrations)


async def test_paused_keepalives_and_moved_address(
    platform: TestPlatform, make_device: StartDevice
) -> None:
    device: SimDevice = await make_device(platform)
    first = await platform.next(is_cmd(Keepalive), timeout=3)
    assert first.source[0] == "127.0.0.1"
    device.pause_keepalives()
    await asyncio.sleep(0.4)  # one in flight may still land
    while not platform.inbound.empty():
        platform.inbound.get_nowait()
    with pytest.raises(TimeoutError):
        await platform.next(is_cmd(Keepalive), timeout=1.0)
    device.resume_keepalives()
    await platform.next(is_cmd(Keepalive), timeout=3)
    moved = await device.move_to("127.0.0.2")
    assert moved[0] == "127.0.0.2" and moved != first.source
    after = await platform.next(lambda i: is_cmd(Keepalive)(i) and i.source[0] == "127.0.0.2")
    assert after.source == moved
    # The platform now reaches the device at its new address.
    assert await platform.manscdp(DEVICE_ID, DeviceInfoQuery(sn=7, device_id=DEVICE_ID)) == 200
    info = await platform.next(is_cmd(DeviceInfoResponse))
    assert info.message is not None and info.message.sn == 7


async def test_catalog_paged(platform: TestPlatform, make_device: StartDevice) -> None:
    device: SimDevice = await make_device(platform, channels=10, catalog_page_size=3)
    assert await platform.manscdp(DEVICE_ID, CatalogQuery(sn=42, device_id=DEVICE_ID)) == 200
    pages: list[CatalogResponse] = []
    while sum(len(p.items) for p in pages) < 10:
        item = await platform.next(is_cmd(CatalogResponse))
        assert isinstance(item.message, CatalogResponse)
        pages.append(item.message)
    assert [len(p.items) for p in pages] == [3, 3, 3, 1]
    assert {(p.sn, p.sum_num) for p in pages} == {(42, 10)}
    ids = [i.device_id for p in pages for i in p.items]
    assert ids == [channel_id(DEVICE_ID, k, 10) for k in range(10)]
    assert ids == [ch.channel_id for ch in device.channels]
    first = pages[0].items[0]
    assert first.parent_id == DEVICE_ID and first.status == "ON"
    assert first.longitude is not None and 116 < first.longitude < 118


async def test_record_info_paged(platform: TestPlatform, make_device: StartDevice) -> None:
    device: SimDevice = await make_device(platform, record_page_size=2)
    channel = device.channels[0].channel_id
    now = device.answers.local_now()
    query = RecordInfoQuery(
        sn=5, device_id=channel, start_time=now - timedelta(hours=10), end_time=now, type="all"
    )
    assert await platform.manscdp(DEVICE_ID, query, target=channel) == 200
    first = await platform.next(is_cmd(RecordInfoResponse))
    assert isinstance(first.message, RecordInfoResponse)
    total = first.message.sum_num or 0
    assert 7 <= total <= 10  # ten hours, one in seven missing
    items = list(first.message.items)
    while len(items) < total:
        page = await platform.next(is_cmd(RecordInfoResponse))
        assert isinstance(page.message, RecordInfoResponse) and len(page.message.items) <= 2
        items += page.message.items
    starts = [i.start_time for i in items if i.start_time is not None]
    assert len(starts) == total and starts == sorted(starts)
    assert starts[0] >= now - timedelta(hours=11)


def control(target: str, **command: str) -> DeviceControl:
    return DeviceControl(sn=9, device_id=target, **command)  # type: ignore[arg-type]


async def test_ptz_and_device_control(platform: TestPlatform, make_device: StartDevice) -> None:
    device: SimDevice = await make_device(platform)
    camera = device.channels[0].channel_id
    left = PtzCmd(Motion(pan=Pan.LEFT, zoom=Zoom.IN, pan_speed=0x40, zoom_speed=3))
    assert await platform.manscdp(DEVICE_ID, control(camera, ptz_cmd=str(left)), camera) == 200
    for number, action in [(3, PresetAction.SET), (4, PresetAction.SET), (3, PresetAction.CALL)]:
        cmd = str(PtzCmd(Preset(action, number)))
        assert await platform.manscdp(DEVICE_ID, control(camera, ptz_cmd=cmd), camera) == 200
    await platform.manscdp(DEVICE_ID, control(camera, record_cmd="Record"), camera)
    reply = await platform.next(is_cmd(DeviceControlResponse))
    assert isinstance(reply.message, DeviceControlResponse) and reply.message.result == "OK"
    await platform.manscdp(DEVICE_ID, control(DEVICE_ID, tele_boot="Boot"))
    await platform.manscdp(DEVICE_ID, control(camera, ifame_cmd="Send"), camera)
    await platform.manscdp(DEVICE_ID, PresetQuery(sn=11, device_id=camera), camera)
    presets = await platform.next(is_cmd(PresetQueryResponse))
    ptz = device.ptz(camera)
    assert ptz.motion == left.command
    assert ptz.zoom > 1.0
    assert ptz.presets.keys() == {3, 4}
    assert isinstance(presets.message, PresetQueryResponse)
    assert [p.preset_id for p in presets.message.presets] == ["3", "4"]
    assert device.controls.recording == {camera: True}
    assert device.controls.reboots == 1 and device.controls.keyframe_requests == 1
    stop = str(PtzCmd(Motion()))
    await platform.manscdp(DEVICE_ID, control(camera, ptz_cmd=stop), camera)
    assert device.ptz(camera).motion is None


async def subscribe(platform: TestPlatform, event: str, body: bytes) -> None:
    request = platform.new_request(
        "SUBSCRIBE",
        DEVICE_ID,
        body=body,
        content_type=MANSCDP,
        headers=[("Event", f"{event};id=1"), ("Expires", "60")],
    )
    response = await platform.send(request, DEVICE_ID)
    assert response.status == 200 and response.headers.get("Expires") == "60"


async def test_subscriptions_and_alarms(platform: TestPlatform, make_device: StartDevice) -> None:
    device: SimDevice = await make_device(platform, keepalive_interval=30)
    camera = device.channels[1].channel_id
    response = await device.raise_alarm(camera, description="越线")  # no subscription: MESSAGE
    assert response is not None and response.status == 200
    alarm = await platform.next(is_cmd(AlarmNotify))
    assert alarm.request.method == "MESSAGE" and isinstance(alarm.message, AlarmNotify)
    assert alarm.message.device_id == camera

    await subscribe(platform, "Catalog", encode(CatalogQuery(sn=1, device_id=DEVICE_ID)))
    assert await device.set_channel_status(camera, "OFF") == 1
    change = await platform.next(is_cmd(CatalogNotify))
    assert change.request.method == "NOTIFY" and isinstance(change.message, CatalogNotify)
    assert [(i.device_id, i.event, i.status) for i in change.message.items] == [
        (camera, "OFF", "OFF")
    ]
    assert change.request.headers.get("Subscription-State", "").startswith("active")

    # 2016 platforms subscribe to alarms with Event: presence and an Alarm query body.
    await subscribe(platform, "presence", encode(AlarmQuery(sn=2, device_id=DEVICE_ID)))
    assert await device.raise_alarm(camera) is None  # went as NOTIFY
    notified = await platform.next(is_cmd(AlarmNotify))
    assert notified.request.method == "NOTIFY"

    body = (
        b'<?xml version="1.0"?><Query><CmdType>MobilePosition</CmdType><SN>3</SN>'
        b"<DeviceID>" + DEVICE_ID.encode() + b"</DeviceID><Interval>1</Interval></Query>"
    )
    await subscribe(platform, "MobilePosition", body)
    fix = await platform.next(is_cmd(MobilePositionNotify), timeout=3)
    assert isinstance(fix.message, MobilePositionNotify) and fix.message.longitude is not None


async def test_unknown_device_and_bad_body(
    platform: TestPlatform, make_device: StartDevice
) -> None:
    await make_device(platform)
    request = platform.new_request("MESSAGE", DEVICE_ID, body=b"<nope", content_type=MANSCDP)
    assert (await platform.send(request, DEVICE_ID)).status == 400
    options = platform.new_request("OPTIONS", DEVICE_ID)
    assert (await platform.send(options, DEVICE_ID)).status == 200
    assert isinstance(options, SipRequest)


async def test_tcp_reconnects_after_the_platform_drops_it(make_device: StartDevice) -> None:
    async with TestPlatform("tcp") as platform:
        device: SimDevice = await make_device(platform)
        first = platform.registrations[-1][3]
        platform.drop_connection(DEVICE_ID)
        async with asyncio.timeout(5):
            while platform.registrations[-1][3] == first:
                await asyncio.sleep(0.05)
        assert device.registered.is_set() and device.address == platform.registrations[-1][3]
        await platform.next(lambda i: isinstance(i.message, Keepalive) and i.source != first)
