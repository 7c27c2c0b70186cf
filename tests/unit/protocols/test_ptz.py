"""PTZCmd: published vectors, every command family, exact errors, round trips."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from vigil.protocols.errors import PtzError
from vigil.protocols.ptz import (
    AuxSwitch,
    Command,
    CruiseAction,
    CruiseDwell,
    CruisePoint,
    CruiseSpeed,
    CruiseStart,
    Focus,
    FocusIris,
    Iris,
    Motion,
    Pan,
    Preset,
    PresetAction,
    PtzCmd,
    Scan,
    ScanAction,
    ScanSpeed,
    Tilt,
    Zoom,
)

# Vectors from the byte layout of Annex A.3 (byte 8 = sum of bytes 1-7 mod 256); the first is the
# stop command every GB/T 28181 implementation sends.
VECTORS: list[tuple[str, Command, int]] = [
    ("A50F0100000000B5", Motion(), 1),
    ("A50F01011F0000D5", Motion(pan=Pan.RIGHT, pan_speed=0x1F), 1),
    ("A50F0110000010D5", Motion(zoom=Zoom.IN, zoom_speed=1), 1),
    ("A50F010A2030000F", Motion(Pan.LEFT, Tilt.UP, pan_speed=0x20, tilt_speed=0x30), 1),
    ("A50F231A20305192", Motion(Pan.LEFT, Tilt.UP, Zoom.IN, 0x20, 0x30, 5), 0x123),
    ("A50F0140000000F5", FocusIris(), 1),
    ("A50F014A1020002F", FocusIris(Focus.NEAR, Iris.CLOSE, 0x10, 0x20), 1),
    ("A50F018200010038", Preset(PresetAction.CALL, 1), 1),
    ("A50F0181000A0040", Preset(PresetAction.SET, 10), 1),
    ("A50F01840102003C", CruisePoint(CruiseAction.ADD_POINT, 1, 2), 1),
    ("A50F018601342090", CruiseSpeed(1, 0x234), 1),
    ("A50F018701050042", CruiseDwell(1, 5), 1),
    ("A50F01880100003E", CruiseStart(1), 1),
    ("A50F018901010040", Scan(1, ScanAction.SET_LEFT_BOUNDARY), 1),
    ("A50F018A01FFF02F", ScanSpeed(1, 0xFFF), 1),
    ("A50F018C01000042", AuxSwitch(1, on=True), 1),
    ("A50F018D01000043", AuxSwitch(1, on=False), 1),
]


@pytest.mark.parametrize(("text", "command", "address"), VECTORS)
def test_vectors(text: str, command: Command, address: int) -> None:
    assert str(PtzCmd(command, address)) == text
    assert PtzCmd.parse(text) == PtzCmd(command, address)
    assert PtzCmd.parse(text.lower()) == PtzCmd(command, address)


def test_fi_stop_and_raw_bytes() -> None:
    cmd = PtzCmd(FocusIris())
    assert str(cmd) == "A50F0140000000F5"
    assert PtzCmd.from_bytes(bytes(cmd)) == cmd
    assert PtzCmd.parse(b" A50F0140000000F5 ") == cmd


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("A50F0100000000B", "PTZCmd must be 16 hex digits, got 'A50F0100000000B'"),
        ("A50F 0100000000B", "PTZCmd must be 16 hex digits, got 'A50F 0100000000B'"),
        ("A50F01000000G0B5", "PTZCmd must be 16 hex digits, got 'A50F01000000G0B5'"),
        ("A40F0100000000B4", "byte 1 must be A5H, got A4H"),
        ("A50E0100000000B4", "byte 2 check nibble must be F, got E"),
        ("A50F0100000000B6", "byte 8 checksum must be B5H, got B6H"),
        ("A50F018B00000040", "byte 4: command 8BH is not defined in GB/T 28181"),
        ("A50F015000000005", "byte 4: command 50H is not defined in GB/T 28181"),
        ("A50F0103000000B8", "byte 4: pan left/right bits 02H and 01H are both set"),
        ("A50F010C000000C1", "byte 4: tilt down/up bits 04H and 08H are both set"),
        ("A50F0130000000E5", "byte 4: zoom out/in bits 20H and 10H are both set"),
        ("A50F0143000000F8", "byte 4: focus near/far bits 02H and 01H are both set"),
        ("A50F018901030042", "byte 6: scan operation 03H is not 00H, 01H or 02H"),
    ],
)
def test_bad_ptzcmd_names_the_byte(text: str, message: str) -> None:
    with pytest.raises(PtzError) as caught:
        PtzCmd.parse(text)
    assert str(caught.value) == message


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda: Motion(pan_speed=256), "pan speed must be 0 to 255, got 256"),
        (lambda: Motion(zoom_speed=16), "zoom speed must be 0 to 15, got 16"),
        (lambda: CruiseSpeed(1, 4096), "cruise speed must be 0 to 4095, got 4096"),
        (lambda: PtzCmd(Motion(), address=4096), "address must be 0 to 4095, got 4096"),
        (lambda: PtzCmd.from_bytes(b"\xa5"), "PTZCmd must be 8 bytes, got 1"),
    ],
)
def test_out_of_range_values(build: object, message: str) -> None:
    with pytest.raises(PtzError) as caught:
        build()  # type: ignore[operator]
    assert str(caught.value) == message


_BYTE = st.integers(0, 255)
_TWELVE = st.integers(0, 0xFFF)
_COMMANDS: st.SearchStrategy[Command] = st.one_of(
    st.builds(
        Motion,
        st.sampled_from(Pan),
        st.sampled_from(Tilt),
        st.sampled_from(Zoom),
        _BYTE,
        _BYTE,
        st.integers(0, 15),
    ),
    st.builds(FocusIris, st.sampled_from(Focus), st.sampled_from(Iris), _BYTE, _BYTE),
    st.builds(Preset, st.sampled_from(PresetAction), _BYTE),
    st.builds(CruisePoint, st.sampled_from(CruiseAction), _BYTE, _BYTE),
    st.builds(CruiseSpeed, _BYTE, _TWELVE),
    st.builds(CruiseDwell, _BYTE, _TWELVE),
    st.builds(CruiseStart, _BYTE),
    st.builds(Scan, _BYTE, st.sampled_from(ScanAction)),
    st.builds(ScanSpeed, _BYTE, _TWELVE),
    st.builds(AuxSwitch, _BYTE, st.booleans()),
)


@given(_COMMANDS, st.integers(0, 0xFFF), st.integers(0, 15))
def test_round_trip(command: Command, address: int, version: int) -> None:
    cmd = PtzCmd(command, address, version)
    text = str(cmd)
    assert len(text) == 16
    assert PtzCmd.parse(text) == cmd
    assert PtzCmd.from_bytes(bytes(cmd)) == cmd


@given(st.binary(min_size=8, max_size=8))
def test_any_frame_decodes_or_raises_ptz_error(raw: bytes) -> None:
    try:
        cmd = PtzCmd.from_bytes(raw)
    except PtzError:
        return
    assert PtzCmd.parse(str(cmd)) == cmd
