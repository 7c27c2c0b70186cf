"""The formats of Chinese licence plates (GA 36), as patterns a reading must match.

- Ordinary (blue, yellow): a province character, the issuing office's letter, five letters or
  digits — ``皖A12345``. Letters never include I or O (they read as 1 and 0).
- New-energy (green, eight characters): province, letter, then ``D``/``F`` and five more for a
  small vehicle (``皖AD12345``, the fifth character a letter or digit, the last four digits), or
  five digits and then ``D``/``F`` for a large one (``皖A12345D``).
- Special: police ``皖A1234警``, coach ``皖A1234学``, trailer ``皖A1234挂``, consulate
  ``皖A1234领``, Hong Kong and Macau vehicles ``粤Z1234港`` / ``粤Z1234澳``, embassy ``使123456``.

:func:`normalise` turns a general OCR's text into plate characters (spaces and the separator
dot dropped, O and I read as 0 and 1); :func:`plate_kind` says which format a text has, None when
it is no plate.
"""

from __future__ import annotations

import re
from enum import StrEnum

__all__ = ["LETTERS", "PROVINCES", "PlateKind", "normalise", "plate_kind"]

#: The 31 provinces' characters.
PROVINCES = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"
#: Letters on plates: the Latin alphabet without I and O.
LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ"
_ANY = f"0-9{LETTERS}"


class PlateKind(StrEnum):
    """The formats of :data:`_PATTERNS` by what they are for."""

    ordinary = "ordinary"
    new_energy = "new-energy"
    police = "police"
    coach = "coach"
    trailer = "trailer"
    consulate = "consulate"
    hong_kong = "hong-kong"
    macau = "macau"
    embassy = "embassy"


_SUFFIX = {
    "警": PlateKind.police,
    "学": PlateKind.coach,
    "挂": PlateKind.trailer,
    "领": PlateKind.consulate,
    "港": PlateKind.hong_kong,
    "澳": PlateKind.macau,
}
_PATTERNS: list[tuple[re.Pattern[str], PlateKind | None]] = [
    (re.compile(f"^[{PROVINCES}][{LETTERS}][{_ANY}]{{5}}$"), PlateKind.ordinary),
    (
        re.compile(f"^[{PROVINCES}][{LETTERS}](?:[DF][{_ANY}][0-9]{{4}}|[0-9]{{5}}[DF])$"),
        PlateKind.new_energy,
    ),
    (re.compile(f"^[{PROVINCES}][{LETTERS}][{_ANY}]{{4}}[警学挂领港澳]$"), None),
    (re.compile("^使[0-9]{6}$"), PlateKind.embassy),
]
_GENERAL_OCR = str.maketrans({"O": "0", "I": "1", " ": None, "·": None, "•": None, ".": None})


def normalise(text: str) -> str:
    """A general OCR's reading as plate characters (see the module docstring)."""
    return text.upper().translate(_GENERAL_OCR)


def plate_kind(text: str) -> PlateKind | None:
    """Which format ``text`` has; None when it matches none."""
    for pattern, kind in _PATTERNS:
        if pattern.match(text):
            return kind if kind is not None else _SUFFIX[text[-1]]
    return None
