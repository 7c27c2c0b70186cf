"""The CmdType table, unknown commands, peek_cmd, exact errors and liberal scalars."""

from __future__ import annotations

import gc
import time
from datetime import datetime, timedelta, timezone

import pytest

from vigil.protocols.errors import ManscdpError
from vigil.protocols.manscdp import (
    COMMANDS,
    BroadcastNotify,
    CatalogInfo,
    CatalogItem,
    CatalogQuery,
    CatalogResponse,
    Keepalive,
    Message,
    Peek,
    UnknownCommand,
    decode,
    encode,
    peek_cmd,
)
from vigil.protocols.manscdp import __all__ as public_names
from vigil.protocols.manscdp.scalars import parse_datetime, parse_float, parse_int


def _body(root: str, inner: str) -> bytes:
    return f'<?xml version="1.0" encoding="GB2312"?>\n<{root}>{inner}</{root}>'.encode("gb2312")


def test_every_root_and_cmdtype_maps_to_one_model() -> None:
    assert len(COMMANDS) == 13 + 2 + 7 + 15
    for (root, cmd_type), cls in COMMANDS.items():
        assert (cls.ROOT.lower(), cls.CMD_TYPE.lower()) == (root, cmd_type)


def test_public_names_are_sorted() -> None:
    assert list(public_names) == sorted(public_names, key=lambda n: (not n.isupper(), n))


def test_cmdtype_and_tags_match_without_case() -> None:
    body = _body(
        "query", "<cmdtype>catalog</cmdtype><sn>4</sn><deviceid>34020000001320000001</deviceid>"
    )
    assert decode(body) == CatalogQuery(sn=4, device_id="34020000001320000001")


def test_unknown_cmdtype_keeps_what_an_answer_needs() -> None:
    body = _body(
        "Query",
        "<CmdType>FutureThing</CmdType><SN>8</SN><DeviceID>1</DeviceID><Extra>x</Extra>",
    )
    message = decode(body)
    assert message == UnknownCommand(sn=8, root="Query", cmd_type="FutureThing", device_id="1")
    assert decode(encode(message)) == message


def test_unknown_elements_are_ignored_and_first_occurrence_wins() -> None:
    body = _body(
        "Notify",
        "<CmdType>Keepalive</CmdType><SN>1</SN><DeviceID>a</DeviceID><DeviceID>b</DeviceID>"
        "<Vendor><Deep>1</Deep></Vendor><Status>OK</Status>",
    )
    assert decode(body) == Keepalive(sn=1, device_id="a", status="OK")


def test_broadcast_notify_has_no_device_id() -> None:
    message = BroadcastNotify(sn=5, source_id="34020000002000000001", target_id="3402000000136")
    body = encode(message)
    assert b"<DeviceID>" not in body
    assert decode(body) == message
    assert peek_cmd(body) == Peek("Notify", "Broadcast", 5, None)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (_body("Request", "<CmdType>Catalog</CmdType>"), "root element <Request> is not one of "
         "Query, Control, Notify, Response"),
        (_body("Query", "<SN>1</SN>"), "<Query> has no <CmdType>"),
        (_body("Query", "<CmdType> </CmdType>"), "<Query> has no <CmdType>"),
        (_body("Query", "<CmdType>Catalog</CmdType><DeviceID>1</DeviceID>"),
         "Query Catalog: missing <SN>"),
        (_body("Query", "<CmdType>Catalog</CmdType><SN>x1</SN><DeviceID>1</DeviceID>"),
         "Query Catalog: <SN> is not an integer: 'x1'"),
        (_body("Query", "<CmdType>Catalog</CmdType><SN>1</SN>"),
         "Query Catalog: missing <DeviceID>"),
        (_body("Response", "<CmdType>Catalog</CmdType><SN>1</SN><DeviceID>1</DeviceID>"
               "<DeviceList><Item><Name>x</Name></Item></DeviceList>"),
         "Response Catalog: missing <DeviceID>"),
        (_body("Notify", "<CmdType>Broadcast</CmdType><SN>1</SN><SourceID>1</SourceID>"),
         "Notify Broadcast: missing <TargetID>"),
    ],
)  # fmt: skip
def test_exact_errors(body: bytes, message: str) -> None:
    with pytest.raises(ManscdpError) as caught:
        decode(body)
    assert str(caught.value) == message


def test_badly_written_optional_numbers_become_none() -> None:
    body = _body(
        "Response",
        "<CmdType>Catalog</CmdType><SN> 7 </SN><DeviceID>1</DeviceID><SumNum></SumNum>"
        '<DeviceList Num="99"><Item><DeviceID>2</DeviceID><Port>80a</Port><Parental> </Parental>'
        "<Longitude>NaN</Longitude><Latitude>1_0</Latitude><Info><PTZType>３</PTZType></Info>"
        "</Item></DeviceList>",
    )
    assert decode(body) == CatalogResponse(
        sn=7, device_id="1", items=(CatalogItem(device_id="2", info=CatalogInfo()),)
    )


@pytest.mark.parametrize(
    ("text", "value"),
    [("12", 12), (" 12 ".strip(), 12), ("-3", -3), ("+4", 4), ("", None), ("1_0", None),
     ("１", None), ("0x10", None), ("-", None)],
)  # fmt: skip
def test_parse_int(text: str, value: int | None) -> None:
    assert parse_int(text) == value


@pytest.mark.parametrize(
    ("text", "value"),
    [("1.5", 1.5), ("-0.25", -0.25), ("1e3", 1000.0), ("", None), ("inf", None),
     ("nan", None), ("1_0", None), ("abc", None)],
)  # fmt: skip
def test_parse_float(text: str, value: float | None) -> None:
    assert parse_float(text) == value


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("2024-01-01T08:00:00", datetime(2024, 1, 1, 8)),
        ("2024-01-01T08:00:00Z", datetime(2024, 1, 1, 8)),
        ("2024-01-01 08:00:00", datetime(2024, 1, 1, 8)),
        ("2024-01-01T08:00:00.123", datetime(2024, 1, 1, 8, 0, 0, 123000)),
        ("2024-01-01T08:00:00.1234567", datetime(2024, 1, 1, 8, 0, 0, 123456)),
        ("2024-01-01T08:00:00+08:00", datetime(2024, 1, 1, 8, tzinfo=timezone(timedelta(hours=8)))),
        ("2024-13-01T08:00:00", None),
        ("", None),
        ("２０２４-01-01", None),
    ],
)
def test_parse_datetime(text: str, value: datetime | None) -> None:
    assert parse_datetime(text) == value


def test_encode_refuses_a_bare_message() -> None:
    with pytest.raises(ManscdpError, match="cannot encode Message: root '' is not one of"):
        encode(Message(sn=1))


def test_encode_writes_cmdtype_sn_deviceid_first() -> None:
    body = encode(CatalogQuery(sn=3, device_id="1", start_time=datetime(2024, 1, 1)))
    assert body == (
        b'<?xml version="1.0" encoding="GB2312"?>\n<Query>\n<CmdType>Catalog</CmdType>\n'
        b"<SN>3</SN>\n<DeviceID>1</DeviceID>\n<StartTime>2024-01-01T00:00:00</StartTime>\n"
        b"</Query>\n"
    )


@pytest.mark.parametrize(
    "body",
    [
        _body("Notify", "<CmdType>Keepalive</CmdType><SN>1</SN><DeviceID>9</DeviceID>"),
        _body("notify", "<cmdtype>Keepalive</cmdtype><sn>1</sn><deviceid>9</deviceid>"),
        b"<!-- c --><Notify><CmdType>Keepalive</CmdType><SN>1</SN><DeviceID>9</DeviceID></Notify>",
        _body("Notify", "<CmdType>Keepalive</CmdType><SN>1</SN><DeviceID>\n9 </DeviceID>"),
    ],
)
def test_peek_cmd_agrees_with_decode(body: bytes) -> None:
    assert peek_cmd(body) == Peek("Notify", "Keepalive", 1, "9")


def test_peek_cmd_raises_on_garbage() -> None:
    with pytest.raises(ManscdpError, match="malformed MANSCDP XML"):
        peek_cmd(b"\x00\x01garbage")


def test_five_thousand_item_catalog_decodes_quickly() -> None:
    items = tuple(
        CatalogItem(
            device_id=f"3402000000131{i:07d}",
            name=f"摄像头{i}",
            manufacturer="Hikvision",
            model="DS-2CD",
            civil_code="340200",
            address="人民路",
            parental=0,
            parent_id="34020000001180000001",
            register_way=1,
            secrecy=0,
            status="ON",
            longitude=117.2,
            latitude=31.8,
            info=CatalogInfo(ptz_type=1),
        )
        for i in range(5000)
    )
    message = CatalogResponse(sn=1, device_id="34020000001180000001", sum_num=5000, items=items)
    body = encode(message)
    # The decoder's time, not the collector's: late in a whole suite the test process holds a
    # large heap, and a full collection during the decode once took it from 0.3 s to 2.4 s.
    # And the CPU time of this thread, not the wall clock: beside other work (parallel workers)
    # the wall clock also counts the time the decode waited for a core.
    gc.collect()
    gc.disable()
    try:
        started = time.thread_time()
        decoded = decode(body)
        elapsed = time.thread_time() - started
    finally:
        gc.enable()
    assert decoded == message
    assert elapsed < 2.0  # ~0.3 s measured; the bound only catches a pathological regression
