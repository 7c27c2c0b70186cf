"""The plate formats: every kind accepted in its shape, lookalikes refused, OCR text normalised."""

from __future__ import annotations

import pytest

from vigil.analytics.plates import PlateKind, normalise, plate_kind


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("皖A12345", PlateKind.ordinary),
        ("京BX7Y9Z", PlateKind.ordinary),
        ("皖AD12345", PlateKind.new_energy),
        ("沪AFK3456", PlateKind.new_energy),
        ("粤B12345D", PlateKind.new_energy),
        ("皖A1234警", PlateKind.police),
        ("皖A1234学", PlateKind.coach),
        ("苏E1234挂", PlateKind.trailer),
        ("沪A1234领", PlateKind.consulate),
        ("粤Z1234港", PlateKind.hong_kong),
        ("粤Z1234澳", PlateKind.macau),
        ("使123456", PlateKind.embassy),
    ],
)
def test_each_kind_is_recognised(text: str, kind: PlateKind) -> None:
    assert plate_kind(text) is kind


@pytest.mark.parametrize(
    "text",
    [
        "",
        "A12345",  # no province
        "皖112345",  # the office is a letter
        "皖AI2345",  # no I on plates
        "皖AO2345",  # nor O
        "皖A1234",  # too short
        "皖A1234567",  # too long
        "皖AX12345",  # eight characters but not new-energy (D or F)
        "皖A1234D5",  # new-energy, large vehicle: five digits then D/F
        "皖A123警4",  # the special character comes last
        "使12345",
        "港A12345",  # 港 is no province
    ],
)
def test_lookalikes_are_no_plate(text: str) -> None:
    assert plate_kind(text) is None


def test_general_ocr_text_is_normalised() -> None:
    assert normalise("皖A 1O2I3") == "皖A10213"
    assert normalise("粤b·f12345") == "粤BF12345"
    assert plate_kind(normalise("皖A·DO2345")) is PlateKind.new_energy
