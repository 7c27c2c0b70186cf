"""The common shape of every MANSCDP message (GB/T 28181-2016 Annex A.1).

A message is one of four roots — Query, Control, Notify, Response — holding ``CmdType``, ``SN``
(the sequence number a response echoes) and, nearly always, ``DeviceID``. Root and CmdType are
class constants of each model; the CmdType table in :mod:`.codec` maps them back to the class.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

from vigil.protocols.manscdp.schema import el, required

__all__ = [
    "ROOTS",
    "Addressed",
    "Control",
    "Message",
    "Notify",
    "Query",
    "Response",
    "UnknownCommand",
]

#: GB/T 28181-2016 A.1: the four root elements of a MANSCDP body.
ROOTS = ("Query", "Control", "Notify", "Response")


@dataclass(frozen=True, slots=True, kw_only=True)
class Message:
    """Any MANSCDP message; ``sn`` is mandatory in all of them."""

    ROOT: ClassVar[str] = ""
    CMD_TYPE: ClassVar[str] = ""

    sn: int = field(metadata=required("SN"))


@dataclass(frozen=True, slots=True, kw_only=True)
class Addressed(Message):
    """A message about one device or channel: all but the Broadcast notify."""

    device_id: str = field(metadata=required("DeviceID"))


@dataclass(frozen=True, slots=True, kw_only=True)
class Query(Addressed):
    """A request for information (A.2.4); the device answers with a Response."""

    ROOT = "Query"


@dataclass(frozen=True, slots=True, kw_only=True)
class Control(Addressed):
    """A command that changes the device (A.2.3)."""

    ROOT = "Control"


@dataclass(frozen=True, slots=True, kw_only=True)
class Notify(Addressed):
    """A report the device sends unasked (A.2.5)."""

    ROOT = "Notify"


@dataclass(frozen=True, slots=True, kw_only=True)
class Response(Addressed):
    """The answer to a Query or Control (A.2.6)."""

    ROOT = "Response"


@dataclass(frozen=True, slots=True, kw_only=True)
class UnknownCommand(Message):
    """A root/CmdType this codec does not model, kept so the server can still answer politely."""

    root: str
    cmd_type: str
    device_id: str | None = el("DeviceID")
