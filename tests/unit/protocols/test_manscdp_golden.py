"""Bodies as real devices send them: CRLF, GB2312 under a UTF-8 declaration, blanks, odd case."""

from __future__ import annotations

from datetime import datetime

from vigil.protocols.manscdp import (
    CatalogInfo,
    CatalogItem,
    CatalogNotify,
    CatalogResponse,
    DeviceControl,
    DeviceInfoResponse,
    DeviceStatusResponse,
    Keepalive,
    RecordInfoResponse,
    RecordItem,
    decode,
    decode_body,
    encode,
    peek_cmd,
)

HIKVISION_KEEPALIVE = (
    b'<?xml version="1.0" encoding="GB2312"?>\r\n'
    b"<Notify>\r\n"
    b"<CmdType>Keepalive</CmdType>\r\n"
    b"<SN>3051</SN>\r\n"
    b"<DeviceID>34020000001320000001</DeviceID>\r\n"
    b"<Status>OK</Status>\r\n"
    b"<Info>\r\n"
    b"</Info>\r\n"
    b"</Notify>\r\n"
)

NVR_KEEPALIVE_WITH_FAULTS = b"""<?xml version="1.0" encoding="UTF-8"?>
<Notify>
<CmdType>Keepalive</CmdType>
<SN>77</SN>
<DeviceID>34020000001180000001</DeviceID>
<Status>OK</Status>
<Info>
<DeviceID>34020000001310000003</DeviceID>
<DeviceID>34020000001310000007</DeviceID>
</Info>
</Notify>
"""

CATALOG_TEMPLATE = """<?xml version="1.0" encoding="{declared}"?>
<Response>
<CmdType>Catalog</CmdType>
<SN>17430</SN>
<DeviceID>34020000001180000001</DeviceID>
<SumNum>2</SumNum>
<DeviceList Num="2">
<Item>
<DeviceID>34020000001310000001</DeviceID>
<Name>北门入口</Name>
<Manufacturer>Hikvision</Manufacturer>
<Model>DS-2CD3T46</Model>
<Owner>Owner</Owner>
<CivilCode>340200</CivilCode>
<Address>人民路与解放路交叉口</Address>
<Parental>0</Parental>
<ParentID>34020000001180000001</ParentID>
<SafetyWay>0</SafetyWay>
<RegisterWay>1</RegisterWay>
<Secrecy>0</Secrecy>
<IPAddress></IPAddress>
<Port> </Port>
<Status>ON</Status>
<Longitude>117.2272</Longitude>
<Latitude>31.8206</Latitude>
<Info>
<PTZType>1</PTZType>
<Resolution>3/5</Resolution>
<DownloadSpeed>1/2/4</DownloadSpeed>
</Info>
</Item>
<Item>
<DeviceID>34020000001310000002</DeviceID>
<Name>停车场</Name>
<Status>OFF</Status>
<Longitude>0.0</Longitude>
</Item>
</DeviceList>
</Response>
"""


def test_hikvision_keepalive() -> None:
    assert decode(HIKVISION_KEEPALIVE) == Keepalive(
        sn=3051, device_id="34020000001320000001", status="OK"
    )


def test_keepalive_lists_faulty_channels() -> None:
    message = decode(NVR_KEEPALIVE_WITH_FAULTS)
    assert isinstance(message, Keepalive)
    assert message.faulty == ("34020000001310000003", "34020000001310000007")


def _expected_catalog() -> CatalogResponse:
    first = CatalogItem(
        device_id="34020000001310000001",
        name="北门入口",
        manufacturer="Hikvision",
        model="DS-2CD3T46",
        owner="Owner",
        civil_code="340200",
        address="人民路与解放路交叉口",
        parental=0,
        parent_id="34020000001180000001",
        safety_way=0,
        register_way=1,
        secrecy=0,
        status="ON",
        longitude=117.2272,
        latitude=31.8206,
        info=CatalogInfo(ptz_type=1, resolution="3/5", download_speed="1/2/4"),
    )
    second = CatalogItem(
        device_id="34020000001310000002", name="停车场", status="OFF", longitude=0.0
    )
    return CatalogResponse(
        sn=17430, device_id="34020000001180000001", sum_num=2, items=(first, second)
    )


def test_catalog_in_gb2312_while_declaring_utf8() -> None:
    body = CATALOG_TEMPLATE.format(declared="UTF-8").encode("gb2312")
    decoded = decode_body(body)
    assert decoded.declared == "UTF-8"
    assert decoded.charset == "GB18030"
    assert decoded.message == _expected_catalog()


def test_catalog_in_gb2312_declaring_gb2312() -> None:
    decoded = decode_body(CATALOG_TEMPLATE.format(declared="GB2312").encode("gb2312"))
    assert decoded.charset == "GB2312"
    assert decoded.message == _expected_catalog()


def test_catalog_reencodes_to_the_same_message() -> None:
    message = _expected_catalog()
    for charset in ("GB2312", "GB18030", "UTF-8"):
        assert decode(encode(message, charset)) == message


def test_catalog_notify_event_on() -> None:
    body = """<?xml version="1.0" encoding="GB2312"?>
<Notify>
<CmdType>Catalog</CmdType>
<SN>9</SN>
<DeviceID>34020000002000000001</DeviceID>
<SumNum>1</SumNum>
<DeviceList Num="1">
<Item>
<DeviceID>34020000001310000001</DeviceID>
<Event>ON</Event>
</Item>
</DeviceList>
</Notify>
""".encode("gb2312")
    assert decode(body) == CatalogNotify(
        sn=9,
        device_id="34020000002000000001",
        sum_num=1,
        items=(CatalogItem(device_id="34020000001310000001", event="ON"),),
    )


def test_device_info_response() -> None:
    body = """<?xml version="1.0" encoding="GB2312"?>
<Response>
<CmdType>DeviceInfo</CmdType>
<SN>2</SN>
<DeviceID>34020000001320000001</DeviceID>
<DeviceName>IP CAMERA</DeviceName>
<Result>OK</Result>
<Manufacturer>Hikvision</Manufacturer>
<Model>DS-2DE4425IW-DE</Model>
<Firmware>V5.5.800</Firmware>
<Channel>1</Channel>
</Response>
""".encode("gb2312")
    assert decode(body) == DeviceInfoResponse(
        sn=2,
        device_id="34020000001320000001",
        device_name="IP CAMERA",
        result="OK",
        manufacturer="Hikvision",
        model="DS-2DE4425IW-DE",
        firmware="V5.5.800",
        channel=1,
    )


def test_record_info_response_with_tolerated_times() -> None:
    body = """<?xml version="1.0" encoding="GB2312"?>
<Response>
<CmdType>RecordInfo</CmdType>
<SN>5</SN>
<DeviceID>34020000001310000001</DeviceID>
<Name>Camera 01</Name>
<SumNum>2</SumNum>
<RecordList Num="2">
<Item>
<DeviceID>34020000001310000001</DeviceID>
<Name>Camera 01</Name>
<FilePath>/rec/1</FilePath>
<Address>Address 1</Address>
<StartTime>2024-01-01T08:00:00</StartTime>
<EndTime>2024-01-01T08:30:00Z</EndTime>
<Secrecy>0</Secrecy>
<Type>time</Type>
<FileSize>104857600</FileSize>
</Item>
<Item>
<DeviceID>34020000001310000001</DeviceID>
<StartTime>2024-01-01 09:00:00.500</StartTime>
<EndTime>not a time</EndTime>
<Type>alarm</Type>
<RecorderID></RecorderID>
</Item>
</RecordList>
</Response>
""".encode("gb2312")
    assert decode(body) == RecordInfoResponse(
        sn=5,
        device_id="34020000001310000001",
        name="Camera 01",
        sum_num=2,
        items=(
            RecordItem(
                device_id="34020000001310000001",
                name="Camera 01",
                file_path="/rec/1",
                address="Address 1",
                start_time=datetime(2024, 1, 1, 8, 0, 0),
                end_time=datetime(2024, 1, 1, 8, 30, 0),
                secrecy=0,
                type="time",
                file_size=104857600,
            ),
            RecordItem(
                device_id="34020000001310000001",
                start_time=datetime(2024, 1, 1, 9, 0, 0, 500000),
                type="alarm",
            ),
        ),
    )


def test_device_status_uses_the_standards_alarmstatus_spelling() -> None:
    body = b"""<?xml version="1.0"?>
<Response><CmdType>DeviceStatus</CmdType><SN>3</SN><DeviceID>34020000001320000001</DeviceID>
<Result>OK</Result><Online>ONLINE</Online><Status>OK</Status><Encode>ON</Encode>
<Record>OFF</Record><DeviceTime>2024-05-01T12:00:00</DeviceTime>
<AlarmStatus Num="1"><Item><DeviceID>34020000001340000001</DeviceID>
<DutyStatus>OFFDUTY</DutyStatus></Item></AlarmStatus></Response>"""
    message = decode(body)
    assert isinstance(message, DeviceStatusResponse)
    assert message.online == "ONLINE"
    assert message.alarm_status[0].duty_status == "OFFDUTY"
    assert b'<Alarmstatus Num="1">' in encode(message)


def test_ptz_control_as_platforms_send_it() -> None:
    body = b"""<?xml version="1.0" encoding="GB2312"?>
<Control>
<CmdType>DeviceControl</CmdType>
<SN>11</SN>
<DeviceID>34020000001320000001</DeviceID>
<PTZCmd>A50F01021F0000D6</PTZCmd>
<Info>
<ControlPriority>5</ControlPriority>
</Info>
</Control>
"""
    message = decode(body)
    assert isinstance(message, DeviceControl)
    assert message.ptz_cmd == "A50F01021F0000D6"
    assert message.info is not None and message.info.control_priority == 5
    assert peek_cmd(body) == ("Control", "DeviceControl", 11, "34020000001320000001")
