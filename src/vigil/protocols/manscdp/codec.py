"""MANSCDP bodies ↔ typed messages: the CmdType table and the public entry points.

``decode`` reads any body a device sends into the model its (root, CmdType) names, or into
:class:`UnknownCommand` when the pair is not modelled, so the server can still answer. ``encode``
writes a model in the charset the peer wants (GB2312 by default, GB18030 for 2022 peers).
``peek_cmd`` reads just the routing fields without building the tree.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple
from xml.etree.ElementTree import SubElement

from vigil.protocols.errors import ManscdpError
from vigil.protocols.manscdp.control import CONTROLS
from vigil.protocols.manscdp.message import ROOTS, Message, UnknownCommand
from vigil.protocols.manscdp.notify import NOTIFIES
from vigil.protocols.manscdp.query import QUERIES
from vigil.protocols.manscdp.response import RESPONSES
from vigil.protocols.manscdp.scalars import parse_int
from vigil.protocols.manscdp.schema import from_element, to_children
from vigil.protocols.manscdp.xmlsafe import (
    DEFAULT_LIMITS,
    Element,
    Limits,
    find_child,
    parse_xml,
)
from vigil.protocols.manscdp.xmlwrite import serialize_xml

__all__ = [
    "COMMANDS",
    "Decoded",
    "Peek",
    "command_of",
    "decode",
    "decode_body",
    "encode",
    "peek_cmd",
]

#: (root, CmdType) → model, both lower-cased because devices vary the case.
COMMANDS: dict[tuple[str, str], type[Message]] = {
    (cls.ROOT.lower(), cls.CMD_TYPE.lower()): cls
    for cls in (*QUERIES, *CONTROLS, *NOTIFIES, *RESPONSES)
}
_ROOTS = {root.lower(): root for root in ROOTS}
# peek_cmd's byte patterns.
_ROOT_BYTES = {root.encode(): root for root in ROOTS}
_CMD_TYPE = (b"<CmdType>", b"</CmdType>")
_SN = (b"<SN>", b"</SN>")
_DEVICE_ID = (b"<DeviceID>", b"</DeviceID>")


@dataclass(frozen=True, slots=True)
class Decoded:
    """A decoded message and how its bytes were read (see :class:`.xmlsafe.XmlDocument`)."""

    message: Message
    charset: str
    declared: str | None
    lossy: bool


class Peek(NamedTuple):
    """The routing fields of a body; ``sn`` and ``device_id`` are None when absent."""

    root: str
    cmd_type: str
    sn: int | None
    device_id: str | None


def decode(body: bytes, limits: Limits = DEFAULT_LIMITS) -> Message:
    """The message in a MANSCDP body; raises :class:`ManscdpError` and nothing else."""
    return decode_body(body, limits).message


def decode_body(body: bytes, limits: Limits = DEFAULT_LIMITS) -> Decoded:
    """Like :func:`decode`, also telling which charset the body was read in."""
    document = parse_xml(body, limits)
    root, cmd_type = _command(document.root)
    context = f"{root} {cmd_type}"
    cls = COMMANDS.get((root.lower(), cmd_type.lower()))
    message: Message
    if cls is None:
        message = from_element(UnknownCommand, document.root, context, root=root, cmd_type=cmd_type)
    else:
        message = from_element(cls, document.root, context)
    return Decoded(message, document.charset, document.declared, document.lossy)


def _command(root: Element) -> tuple[str, str]:
    name = _ROOTS.get(root.tag.lower())
    if name is None:
        raise ManscdpError(f"root element <{root.tag}> is not one of {', '.join(ROOTS)}")
    cmd = find_child(root, "CmdType")
    text = (cmd.text or "").strip() if cmd is not None else ""
    if not text:
        raise ManscdpError(f"<{name}> has no <CmdType>")
    return name, text


def command_of(message: Message) -> tuple[str, str]:
    """The (root, CmdType) a message is sent as."""
    if isinstance(message, UnknownCommand):
        return message.root, message.cmd_type
    return type(message).ROOT, type(message).CMD_TYPE


def encode(message: Message, charset: str = "GB2312") -> bytes:
    """``message`` as a MANSCDP body in ``charset`` (GB2312, GB18030, GBK or UTF-8)."""
    root, cmd_type = command_of(message)
    if root not in ROOTS:
        name = type(message).__name__
        raise ManscdpError(f"cannot encode {name}: root {root!r} is not one of {ROOTS}")
    element = Element(root)
    SubElement(element, "CmdType").text = cmd_type
    element.extend(to_children(message))
    return serialize_xml(element, charset)


def peek_cmd(body: bytes, limits: Limits = DEFAULT_LIMITS) -> Peek:
    """Root, CmdType, SN and DeviceID, found by byte search when the body is plainly written.

    A routing hint, not a validation: each value is the first occurrence of its element, which
    in every body the standard shows is the root's. Bodies the byte search cannot read (odd case,
    a missing element, non-ASCII values, a comment first) are parsed in full instead; a body that
    is not XML at all raises :class:`ManscdpError` then. :func:`decode` stays authoritative.
    """
    fast = _peek_bytes(body, limits)
    if fast is not None:
        return fast
    document = parse_xml(body, limits)
    root, cmd_type = _command(document.root)
    sn = find_child(document.root, "SN")
    device = find_child(document.root, "DeviceID")
    device_id = (device.text or "").strip() if device is not None else ""
    return Peek(root, cmd_type, _int_of(sn), device_id or None)


def _int_of(element: Element | None) -> int | None:
    return parse_int((element.text or "").strip()) if element is not None else None


def _peek_bytes(body: bytes, limits: Limits) -> Peek | None:
    if len(body) > limits.max_bytes:
        return None
    root = _root_tag(body)
    cmd_type = _text_of(body, *_CMD_TYPE)
    if root is None or not cmd_type:
        return None
    sn = _text_of(body, *_SN)
    device_id = _text_of(body, *_DEVICE_ID)
    if sn is None or device_id is None:
        return None
    return Peek(root, cmd_type, parse_int(sn), device_id or None)


def _root_tag(body: bytes) -> str | None:
    start = body.find(b"<")
    if start >= 0 and body.startswith(b"<?", start):
        close = body.find(b"?>", start)
        start = body.find(b"<", close + 2) if close >= 0 else -1
    end = body.find(b">", start)
    if start < 0 or end < 0:
        return None
    name = body[start + 1 : end].split(None, 1)
    return _ROOT_BYTES.get(name[0]) if name else None


def _text_of(body: bytes, open_tag: bytes, close_tag: bytes) -> str | None:
    """The text of the first ``<tag>…</tag>`` if it is plain ASCII without markup."""
    start = body.find(open_tag)
    if start < 0:
        return None
    start += len(open_tag)
    end = body.find(close_tag, start)
    value = body[start:end] if end >= 0 else b""
    if end < 0 or not value.isascii() or b"<" in value or b"&" in value:
        return None
    return value.decode("ascii").strip()
