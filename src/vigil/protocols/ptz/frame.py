"""PTZCmd: the 8-byte camera control word of GB/T 28181 Annex A.3, sent as 16 hex digits::

    byte 1  A5H
    byte 2  high nibble: version (0); low nibble: (byte1 high + byte1 low + byte2 high) % 16
    byte 3  address, low 8 bits
    byte 4  command
    byte 5  data 1
    byte 6  data 2
    byte 7  high nibble: data 3; low nibble: address, high 4 bits
    byte 8  (byte 1 + ... + byte 7) % 256

Every error names the byte that broke the rule.
"""

from __future__ import annotations

from dataclasses import dataclass

from vigil.protocols.errors import PtzError
from vigil.protocols.ptz.commands import (
    MAX_BYTE,
    MAX_NIBBLE,
    Command,
    check_range,
    read_command,
)

__all__ = ["HEADER", "HEX_DIGITS", "LENGTH", "MAX_ADDRESS", "PtzCmd"]

HEADER = 0xA5
LENGTH = 8
HEX_DIGITS = LENGTH * 2
MAX_ADDRESS = 0xFFF  # 12 bits: byte 3 plus the low nibble of byte 7


def _check_nibble(version: int) -> int:
    return ((HEADER >> 4) + (HEADER & MAX_NIBBLE) + version) % 16


@dataclass(frozen=True, slots=True)
class PtzCmd:
    """A command for the camera at ``address`` (0-4095; GB devices use 1 for themselves)."""

    command: Command
    address: int = 1
    version: int = 0

    def __post_init__(self) -> None:
        check_range(self.address, MAX_ADDRESS, "address")
        check_range(self.version, MAX_NIBBLE, "version")

    @classmethod
    def parse(cls, text: str | bytes) -> PtzCmd:
        """Read the 16 hex digits of a ``<PTZCmd>`` element (case and outer spaces forgiven)."""
        if isinstance(text, bytes):
            text = text.decode("ascii", "replace")
        text = text.strip()
        if len(text) != HEX_DIGITS or not (text.isascii() and text.isalnum()):
            raise PtzError(f"PTZCmd must be {HEX_DIGITS} hex digits, got {text[:40]!r}")
        try:
            raw = bytes.fromhex(text)
        except ValueError:
            raise PtzError(f"PTZCmd must be {HEX_DIGITS} hex digits, got {text!r}") from None
        return cls.from_bytes(raw)

    @classmethod
    def from_bytes(cls, raw: bytes) -> PtzCmd:
        if len(raw) != LENGTH:
            raise PtzError(f"PTZCmd must be {LENGTH} bytes, got {len(raw)}")
        if raw[0] != HEADER:
            raise PtzError(f"byte 1 must be {HEADER:02X}H, got {raw[0]:02X}H")
        version, check = raw[1] >> 4, raw[1] & MAX_NIBBLE
        if check != _check_nibble(version):
            raise PtzError(f"byte 2 check nibble must be {_check_nibble(version):X}, got {check:X}")
        if raw[7] != sum(raw[:7]) & MAX_BYTE:
            raise PtzError(
                f"byte 8 checksum must be {sum(raw[:7]) & MAX_BYTE:02X}H, got {raw[7]:02X}H"
            )
        byte4, data1, data2, data3 = raw[3], raw[4], raw[5], raw[6] >> 4
        command = read_command(byte4, data1, data2, data3)
        return cls(command, raw[2] | (raw[6] & MAX_NIBBLE) << 8, version)

    def __bytes__(self) -> bytes:
        byte4, data1, data2, data3 = self.command.fields()
        head = bytes(
            (
                HEADER,
                self.version << 4 | _check_nibble(self.version),
                self.address & MAX_BYTE,
                byte4,
                data1,
                data2,
                data3 << 4 | self.address >> 8,
            )
        )
        return head + bytes((sum(head) & MAX_BYTE,))

    def __str__(self) -> str:
        return bytes(self).hex().upper()
