"""Civil codes (行政区划代码, GB/T 2260) as GB/T 28181 uses them for organisations in catalogs.

A catalog names an administrative area by 2, 4, 6 or 8 digits: province, city, district, basic
unit. The centre code of a 20-digit ID is the same code padded with ``00`` pairs. Whether a code
is really listed in GB/T 2260 is not checked: the list changes every year and devices predate it.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum

from vigil.protocols.errors import GbIdError

__all__ = ["CivilCode", "CivilLevel", "wire_text"]

_PAIR = 2
_MAX_DIGITS = 8


class CivilLevel(IntEnum):
    """How deep a civil code reaches; the value is its number of digits."""

    PROVINCE = 2
    CITY = 4
    DISTRICT = 6
    BASIC_UNIT = 8


_LENGTHS = frozenset(level.value for level in CivilLevel)


def wire_text(value: str | bytes) -> str:
    """A code as read from the network: bytes decoded as ASCII, surrounding whitespace dropped."""
    if isinstance(value, bytes):
        value = value.decode("ascii", "replace")
    return value.strip()


@dataclass(frozen=True, slots=True)
class CivilCode:
    """A 2/4/6/8-digit administrative area code."""

    value: str

    def __post_init__(self) -> None:
        value = self.value
        if not (len(value) in _LENGTHS and value.isascii() and value.isdigit()):
            raise GbIdError(f"civil code must be 2, 4, 6 or 8 digits, got {value[:40]!r}")

    @classmethod
    def parse(cls, value: str | bytes) -> CivilCode:
        return cls(wire_text(value))

    @classmethod
    def of_centre(cls, centre: str) -> CivilCode:
        """The area of an 8-digit centre code: trailing ``00`` pairs mean "not that deep"."""
        if len(centre) != _MAX_DIGITS:
            raise GbIdError(f"centre code must be 8 digits, got {centre[:40]!r}")
        value = centre
        while len(value) > _PAIR and value.endswith("00"):
            value = value[:-_PAIR]
        return cls(value)

    @property
    def level(self) -> CivilLevel:
        return CivilLevel(len(self.value))

    @property
    def parent(self) -> CivilCode | None:
        """The enclosing area; None for a province."""
        return None if len(self.value) == _PAIR else CivilCode(self.value[:-_PAIR])

    def contains(self, other: CivilCode) -> bool:
        """True when ``other`` is this area or lies inside it."""
        return other.value.startswith(self.value)

    @property
    def centre(self) -> str:
        """The 8-digit centre code of this area, as the first digits of a 20-digit ID."""
        return self.value.ljust(_MAX_DIGITS, "0")

    def __str__(self) -> str:
        return self.value
