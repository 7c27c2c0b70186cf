"""GB/T 28181 20-digit IDs and civil codes: description, exact errors, round trips."""

from __future__ import annotations

import contextlib
import string

import pytest
from hypothesis import given
from hypothesis import strategies as st

from vigil.protocols.errors import GbIdError
from vigil.protocols.gbid import (
    Category,
    CivilCode,
    CivilLevel,
    Edition,
    GbId,
    parse_catalog_id,
    type_info,
)


def test_device_id_parts() -> None:
    gbid = GbId.parse(b" 34020000001320000001\r\n")
    assert (gbid.province, gbid.city, gbid.district, gbid.unit) == ("34", "02", "00", "00")
    assert gbid.centre == "34020000"
    assert gbid.civil_code == CivilCode("3402")
    assert gbid.domain == "3402000000"
    assert (gbid.industry, gbid.type_code, gbid.network, gbid.serial) == ("00", 132, 0, "000001")
    assert gbid.category is Category.PERIPHERAL
    assert gbid.type.name == "IP camera (IPC)"
    assert str(gbid) == "34020000001320000001"


def test_describe_names_every_part() -> None:
    assert GbId("65010200002150000001").describe() == {
        "id": "65010200002150000001",
        "centre": "65010200",
        "civil_code": "650102",
        "industry": "00 public security: road",
        "type": "215 business group",
        "type_zh": "业务分组",
        "category": "platform device",
        "network": "0 monitoring and alarm private network",
        "serial": "000001",
    }


def test_editions_differ_for_network_and_industry() -> None:
    gbid = GbId("11010500121328000001")
    assert gbid.industry_name(Edition.GB2016) == "government (reserved)"
    assert gbid.industry_name(Edition.GB2022) == "civil aviation"
    assert gbid.network_name(Edition.GB2016) == "social resource access network"
    assert gbid.network_name(Edition.GB2022) == "dedicated line"
    assert GbId("11010500851320000001").industry_name() == "self-built by residents (reserved)"


@pytest.mark.parametrize(
    ("code", "name", "category", "edition", "named"),
    [
        (111, "DVR", Category.FRONT_END_DEVICE, Edition.GB2016, True),
        (118, "network video recorder (NVR)", Category.FRONT_END_DEVICE, Edition.GB2016, True),
        (121, "video checkpoint", Category.FRONT_END_DEVICE, Edition.GB2022, True),
        (127, "extension front-end device type", Category.FRONT_END_DEVICE, Edition.GB2016, False),
        (131, "camera", Category.PERIPHERAL, Edition.GB2016, True),
        (143, "credential recognition unit", Category.PERIPHERAL, Edition.GB2022, True),
        (200, "central signalling control server", Category.PLATFORM, Edition.GB2016, True),
        (212, "extension platform device type", Category.PLATFORM, Edition.GB2016, False),
        (216, "virtual organisation", Category.PLATFORM, Edition.GB2016, True),
        (320, "industry role user", Category.CENTRAL_USER, Edition.GB2016, False),
        (400, "terminal user", Category.TERMINAL_USER, Edition.GB2016, True),
        (505, "video image analysis device", Category.EXTERNAL_SERVER, Edition.GB2022, True),
        (999, "extension extension type", Category.EXTENSION, Edition.GB2016, False),
    ],
)
def test_type_table(
    code: int, name: str, category: Category, edition: Edition, named: bool
) -> None:
    info = type_info(code)
    assert (info.name, info.category, info.edition, info.named) == (name, category, edition, named)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("3402000000132000000", "ID must be 20 digits, got 19 characters: '3402000000132000000'"),
        (
            "340200000013200000011",
            "ID must be 20 digits, got 21 characters: '340200000013200000011'",
        ),
        ("3402000000132000000x", "ID must be 20 digits, got a non-digit: '3402000000132000000x'"),
        (
            "３４020000001320000001",
            "ID must be 20 digits, got a non-digit: '３４020000001320000001'",
        ),
        (
            "34020000001000000001",
            "type code 100 is not defined in GB/T 28181 (type codes are 111 to 999)",
        ),
        (
            "34020000000000000001",
            "type code 000 is not defined in GB/T 28181 (type codes are 111 to 999)",
        ),
        (b"\xff" * 20, "ID must be 20 digits, got a non-digit: '" + "\ufffd" * 20 + "'"),
    ],
)
def test_bad_ids_name_the_rule(value: str | bytes, message: str) -> None:
    with pytest.raises(GbIdError) as caught:
        GbId.parse(value)
    assert str(caught.value) == message


def test_generate() -> None:
    assert str(GbId.generate("11010500", "00", 216, 0, 3)) == "11010500002160000003"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("1101050", "00", 132, 0, 1), "centre code must be 8 digits, got '1101050'"),
        (("11010500", "0", 132, 0, 1), "industry code must be 2 digits, got '0'"),
        (("11010500", "00", 1320, 0, 1), "type code must be 3 digits, got 1320"),
        (
            ("11010500", "00", 110, 0, 1),
            "type code 110 is not defined in GB/T 28181 (type codes are 111 to 999)",
        ),
        (("11010500", "00", 132, 10, 1), "network identifier must be 0 to 9, got 10"),
        (("11010500", "00", 132, 0, 10**6), "serial must be 0 to 999999, got 1000000"),
    ],
)
def test_generate_errors(args: tuple[str, str, int, int, int], message: str) -> None:
    with pytest.raises(GbIdError) as caught:
        GbId.generate(*args)
    assert str(caught.value) == message


def test_civil_codes() -> None:
    district = CivilCode.parse(b"110105")
    assert district.level is CivilLevel.DISTRICT
    assert district.parent == CivilCode("1101")
    assert district.parent.parent == CivilCode("11")
    assert CivilCode("11").parent is None
    assert CivilCode("11").contains(district) and not district.contains(CivilCode("11"))
    assert district.centre == "11010500"
    assert CivilCode.of_centre("11000000") == CivilCode("11")
    assert CivilCode.of_centre("11010501").level is CivilLevel.BASIC_UNIT
    assert CivilCode.of_centre("00000000") == CivilCode("00")


@pytest.mark.parametrize("value", ["", "1", "123", "1234567890", "11a1", "１１"])
def test_bad_civil_codes(value: str) -> None:
    with pytest.raises(GbIdError) as caught:
        CivilCode.parse(value)
    assert str(caught.value) == f"civil code must be 2, 4, 6 or 8 digits, got {value!r}"


def test_catalog_ids() -> None:
    assert parse_catalog_id("3402") == CivilCode("3402")
    assert parse_catalog_id(b"34020000002160000001") == GbId("34020000002160000001")
    with pytest.raises(GbIdError, match=r"^ID must be 20 digits"):
        parse_catalog_id("340200000")


_DIGITS = string.digits


@given(
    st.text(_DIGITS, min_size=8, max_size=8),
    st.text(_DIGITS, min_size=2, max_size=2),
    st.integers(111, 999),
    st.integers(0, 9),
    st.integers(0, 999_999),
)
def test_gbid_round_trip(centre: str, industry: str, code: int, network: int, serial: int) -> None:
    gbid = GbId.generate(centre, industry, code, network, serial)
    assert GbId.parse(str(gbid)) == gbid
    assert (gbid.centre, gbid.industry, gbid.type_code, gbid.network, int(gbid.serial)) == (
        centre,
        industry,
        code,
        network,
        serial,
    )
    assert gbid.describe()["id"] == str(gbid)


@given(st.sampled_from([2, 4, 6, 8]).flatmap(lambda n: st.text(_DIGITS, min_size=n, max_size=n)))
def test_civil_code_round_trip(value: str) -> None:
    code = CivilCode.parse(value)
    assert CivilCode.parse(str(code)) == code
    assert CivilCode.parse(code.centre[: len(value)]) == code


@given(st.text(max_size=24) | st.binary(max_size=24))
def test_any_input_is_an_id_or_gbid_error(value: str | bytes) -> None:
    with contextlib.suppress(GbIdError):
        GbId.parse(value)
