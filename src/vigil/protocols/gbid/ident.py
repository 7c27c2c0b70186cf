"""20-digit GB/T 28181 identifiers (coding rule A: 2016 Annex D.1, 2022 Annex E.1).

    digits  1-8   centre code: province 2, city 2, district 2, basic unit 2 (GB/T 2260)
            9-10  industry code
            11-13 type code
            14    network identifier
            15-20 serial number

Validation stays with what the standard fixes: twenty ASCII digits and a type code inside the
ranges of Table D.1/E.1 (111-999). Centre and industry codes are described, never refused:
real deployments use test centres such as 3402000000 and industry codes outside the table.
"""

from __future__ import annotations

from dataclasses import dataclass

from vigil.protocols.errors import GbIdError
from vigil.protocols.gbid.civil import CivilCode, wire_text
from vigil.protocols.gbid.tables import (
    CATEGORY_RANGES,
    INDUSTRIES,
    INDUSTRY_GROUPS,
    NETWORKS,
    TYPE_CODES,
    TYPE_GROUPS,
    Category,
    Edition,
)

__all__ = ["GbId", "TypeInfo", "parse_catalog_id", "type_info"]

ID_DIGITS = 20
DOMAIN_DIGITS = 10  # the SIP domain is the first ten digits (clause 6.1.2)
CENTRE_DIGITS = 8
_MAX_NETWORK = 9
_MAX_TYPE_CODE = 999
_SERIAL_LIMIT = 1_000_000


@dataclass(frozen=True, slots=True)
class TypeInfo:
    """What a type code means: a named row, or the open part of a category."""

    code: int
    name: str
    name_zh: str
    category: Category
    edition: Edition
    named: bool


def _category(code: int) -> Category:
    for first, last, category in CATEGORY_RANGES:
        if first <= code <= last:
            return category
    raise GbIdError(
        f"type code {code:03d} is not defined in GB/T 28181 (type codes are 111 to 999)"
    )


def type_info(code: int) -> TypeInfo:
    """Describe a type code; codes the table leaves open are "extension" types of their range."""
    category = _category(code)
    row = TYPE_CODES.get(code)
    if row is not None:
        return TypeInfo(code, row.name, row.name_zh, category, row.edition, named=True)
    for first, last, name, name_zh in TYPE_GROUPS:
        if first <= code <= last:
            return TypeInfo(code, name, name_zh, category, Edition.GB2016, named=False)
    name = f"extension {category.value} type"
    return TypeInfo(code, name, "扩展类型", category, Edition.GB2016, named=False)


def _digits(value: str, width: int, what: str) -> str:
    if not (len(value) == width and value.isascii() and value.isdigit()):
        raise GbIdError(f"{what} must be {width} digits, got {value[:40]!r}")
    return value


@dataclass(frozen=True, slots=True)
class GbId:
    """A validated 20-digit ID; compare and hash it as its text."""

    value: str

    def __post_init__(self) -> None:
        value = self.value
        if len(value) != ID_DIGITS:
            raise GbIdError(f"ID must be 20 digits, got {len(value)} characters: {value[:40]!r}")
        if not (value.isascii() and value.isdigit()):
            raise GbIdError(f"ID must be 20 digits, got a non-digit: {value!r}")
        _category(int(value[10:13]))

    @classmethod
    def parse(cls, value: str | bytes) -> GbId:
        """Validate an ID from the network (surrounding whitespace is forgiven)."""
        return cls(wire_text(value))

    @classmethod
    def generate(
        cls, centre: str, industry: str, type_code: int, network: int, serial: int
    ) -> GbId:
        """Assemble an ID from its parts; each part is checked against its width."""
        _digits(centre, CENTRE_DIGITS, "centre code")
        _digits(industry, 2, "industry code")
        if not 0 <= network <= _MAX_NETWORK:
            raise GbIdError(f"network identifier must be 0 to 9, got {network}")
        if not 0 <= serial < _SERIAL_LIMIT:
            raise GbIdError(f"serial must be 0 to {_SERIAL_LIMIT - 1}, got {serial}")
        if not 0 <= type_code <= _MAX_TYPE_CODE:
            raise GbIdError(f"type code must be 3 digits, got {type_code}")
        return cls(f"{centre}{industry}{type_code:03d}{network}{serial:06d}")

    @property
    def centre(self) -> str:
        return self.value[:8]

    @property
    def province(self) -> str:
        return self.value[:2]

    @property
    def city(self) -> str:
        return self.value[2:4]

    @property
    def district(self) -> str:
        return self.value[4:6]

    @property
    def unit(self) -> str:
        return self.value[6:8]

    @property
    def civil_code(self) -> CivilCode:
        return CivilCode.of_centre(self.centre)

    @property
    def domain(self) -> str:
        """The SIP domain this ID implies (its first ten digits)."""
        return self.value[:DOMAIN_DIGITS]

    @property
    def industry(self) -> str:
        return self.value[8:10]

    @property
    def type_code(self) -> int:
        return int(self.value[10:13])

    @property
    def network(self) -> int:
        return int(self.value[13])

    @property
    def serial(self) -> str:
        return self.value[14:]

    @property
    def type(self) -> TypeInfo:
        return type_info(self.type_code)

    @property
    def category(self) -> Category:
        return _category(self.type_code)

    def industry_name(self, edition: Edition = Edition.GB2016) -> str:
        """The industry row of ``edition``, else the group its number falls in."""
        name = INDUSTRIES[edition].get(self.industry)
        if name is not None:
            return name
        number = int(self.industry)
        return next(
            f"{g} (reserved)" for first, last, g in INDUSTRY_GROUPS if first <= number <= last
        )

    def network_name(self, edition: Edition = Edition.GB2016) -> str:
        return NETWORKS[edition][self.network]

    def describe(self, edition: Edition = Edition.GB2016) -> dict[str, str]:
        """Every part with its meaning, for logs, the API and the console."""
        info = self.type
        return {
            "id": self.value,
            "centre": self.centre,
            "civil_code": str(self.civil_code),
            "industry": f"{self.industry} {self.industry_name(edition)}",
            "type": f"{info.code:03d} {info.name}",
            "type_zh": info.name_zh,
            "category": info.category.value,
            "network": f"{self.network} {self.network_name(edition)}",
            "serial": self.serial,
        }

    def __str__(self) -> str:
        return self.value


def parse_catalog_id(value: str | bytes) -> GbId | CivilCode:
    """A catalog DeviceID: a 20-digit ID, or a 2-8 digit civil code for an area."""
    text = wire_text(value)
    return GbId(text) if len(text) > CENTRE_DIGITS else CivilCode(text)
