"""Which GB/T 28181 identifiers each kind of catalog object may carry.

The coding rules themselves (20 digits, the type-code table) live in ``vigil.protocols.gbid``;
this module adds which type codes make sense where, so an error names the rule that was broken
(its code, ``id.*``, is the one the console's own check of the form gives).
"""

from __future__ import annotations

from collections.abc import Container

from vigil.errors import Invalid
from vigil.protocols.errors import GbIdError
from vigil.protocols.gbid import GbId

__all__ = [
    "check_channel_id",
    "check_device_id",
    "check_org_id",
    "check_region_code",
    "parse_id",
]

DEVICE_TYPES = range(111, 200)
"""Devices: 111–130 recorders/encoders/alarm hosts, 131–199 front-end devices that register
directly (IP cameras), plus 200 for a lower platform."""
PLATFORM_TYPE = 200
_DEVICE_OR_PLATFORM = frozenset((*DEVICE_TYPES, PLATFORM_TYPE))
CHANNEL_TYPES = range(131, 200)
"""Channels: front-end and peripheral devices (131 camera, 132 IP camera, 134 alarm input, …)."""


def parse_id(value: str, what: str) -> GbId:
    """The 20-digit ID, or ``Invalid`` coded ``id.length``, ``id.digits`` or
    ``id.type_undefined``; ``what`` names the ID in the English message."""
    try:
        return GbId.parse(value)
    except GbIdError as exc:
        message, stripped = f"{what} {value!r}: {exc}", value.strip()
        if len(stripped) != 20:
            raise Invalid(message, code="id.length", n=len(stripped)) from None
        if not (stripped.isascii() and stripped.isdigit()):
            raise Invalid(message, code="id.digits") from None
        raise Invalid(message, code="id.type_undefined", type=stripped[10:13]) from None


def _check_type(value: str, what: str, types: Container[int], kind: str, code: str) -> None:
    """``value`` parsed as ``what``; ``Invalid`` with ``code`` unless its type code is in
    ``types`` (``kind`` says what those are)."""
    type_code = parse_id(value, what).type_code
    if type_code not in types:
        raise Invalid(
            f"{what} {value!r}: type code {type_code:03d} is not {kind}",
            code=code,
            type=f"{type_code:03d}",
        )


def check_device_id(value: str) -> None:
    device = "a device (GB/T 28181 type codes 111–199, or 200 for a platform)"
    _check_type(value, "device ID", _DEVICE_OR_PLATFORM, device, "id.device_type")


def check_channel_id(value: str) -> None:
    front_end = "a front-end device (GB/T 28181 type codes 131–199)"
    _check_type(value, "channel ID", CHANNEL_TYPES, front_end, "id.channel_type")


def check_region_code(value: str) -> None:
    """Civil codes (行政区划代码) are 2, 4, 6 or 8 digits: province, city, district, unit."""
    if not value.isascii() or not value.isdigit() or len(value) not in (2, 4, 6, 8):
        raise Invalid(
            f"region code {value!r}: a civil code is 2, 4, 6 or 8 digits", code="id.region_code"
        )


def check_org_id(value: str) -> None:
    """Departments and industries: up to 20 digits, as they appear in GB/T 28181 catalogs."""
    if not value.isascii() or not value.isdigit() or not 1 <= len(value) <= 20:
        raise Invalid(f"organisation ID {value!r}: must be 1 to 20 digits", code="id.org_id")
