"""A small, safe XML reader for MANSCDP bodies, on the standard library's expat.

MANSCDP arrives from any device on the network, so the reader trusts nothing in it:

* No DTD of any kind: a DOCTYPE, an entity declaration or an external entity is refused the moment
  expat reports it, before anything is expanded, so billion-laughs and XXE payloads cost nothing.
* Size, nesting depth and element count are bounded (:class:`Limits`); a catalog of thousands of
  channels fits, a memory bomb does not.
* Charset: GB/T 28181-2016 clause 6.1 says GB2312, 2022 says GB18030, and many devices declare
  UTF-8 (or nothing) while sending GB2312. The body is decoded by its declaration; if that fails,
  or the declared name is not one MANSCDP uses, it is decoded as GB18030, a superset of GB2312 and
  GBK. Which charset won is returned, so the server can answer in kind.

The result is a standard-library :class:`~xml.etree.ElementTree.Element` tree, built in C; text is
left as sent (readers strip it).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NoReturn
from xml.etree.ElementTree import Element, TreeBuilder
from xml.parsers import expat

from vigil.protocols.errors import ManscdpError

__all__ = ["DEFAULT_LIMITS", "Element", "Limits", "XmlDocument", "find_child", "parse_xml"]

#: Declared charsets taken at their word, by the spellings devices use (lower case, "_" as "-"),
#: → the name we report. Anything else (UTF-16, unicode_escape, …) is decoded as GB18030. A table
#: rather than codecs.lookup(): a name from the network must not pick an arbitrary Python codec.
_TRUSTED_CHARSETS = {
    "utf-8": "UTF-8",
    "utf8": "UTF-8",
    "gb2312": "GB2312",
    "gbk": "GBK",
    "cp936": "GBK",
    "gb18030": "GB18030",
    "ascii": "ASCII",
    "us-ascii": "ASCII",
}
#: GB/T 28181-2022 clause 6.1: MANSCDP text is GB18030; it also reads GB2312 and GBK.
FALLBACK_CHARSET = "GB18030"
#: XML 1.0 §2.8: the declaration, if any, comes first; any real one fits in this many bytes.
_DECLARATION_WINDOW = 200
_UTF8_BOM = b"\xef\xbb\xbf"


@dataclass(frozen=True, slots=True)
class Limits:
    """Bounds on one body. The defaults admit a 5,000-channel catalog in one message."""

    max_bytes: int = 4 * 1024 * 1024
    max_depth: int = 16
    max_elements: int = 100_000


DEFAULT_LIMITS = Limits()


@dataclass(frozen=True, slots=True)
class XmlDocument:
    """A parsed body and how its bytes were read.

    ``charset`` is what decoded the body; ``declared`` is what the XML declaration named (None
    when it named nothing). ``lossy`` is true when even GB18030 failed on some bytes and they were
    replaced by U+FFFD rather than losing the whole message.
    """

    root: Element
    charset: str
    declared: str | None
    lossy: bool = False


def parse_xml(body: bytes, limits: Limits = DEFAULT_LIMITS) -> XmlDocument:
    """Parse one untrusted body into a tree, or raise :class:`ManscdpError` saying why not."""
    if len(body) > limits.max_bytes:
        raise ManscdpError(
            f"MANSCDP body of {len(body)} bytes exceeds the limit of {limits.max_bytes}",
            status_hint=413,
        )
    declared = _declared_charset(body)
    text, charset, lossy = _decode(body, declared)
    root = _build_tree(text, limits)
    return XmlDocument(root=root, charset=charset, declared=declared, lossy=lossy)


def _declared_charset(body: bytes) -> str | None:
    """The ``encoding`` pseudo-attribute of the XML declaration, as written, or None."""
    head = body[:_DECLARATION_WINDOW]
    if head.startswith(_UTF8_BOM):
        head = head[len(_UTF8_BOM) :]
    head = head.lstrip()
    if not head.startswith(b"<?xml"):
        return None
    end = head.find(b"?>")
    declaration = head[:end] if end >= 0 else head
    at = declaration.find(b"encoding")
    if at < 0:
        return None
    rest = declaration[at + len(b"encoding") :].lstrip()
    if not rest.startswith(b"="):
        return None
    rest = rest[1:].lstrip()
    if not rest or rest[:1] not in (b'"', b"'"):
        return None
    close = rest.find(rest[:1], 1)
    if close < 0:
        return None
    return rest[1:close].decode("ascii", "replace").strip()


def _trusted(declared: str | None) -> str | None:
    """The name of a declared charset MANSCDP uses, else None (use the fallback)."""
    if declared is None:
        return "UTF-8"  # XML 1.0 §4.3.3: no declaration means UTF-8
    return _TRUSTED_CHARSETS.get(declared.lower().replace("_", "-"))


def _decode(body: bytes, declared: str | None) -> tuple[str, str, bool]:
    if body.startswith(_UTF8_BOM):
        body = body[len(_UTF8_BOM) :]
    charset = _trusted(declared)
    if charset is not None:
        try:
            return body.decode(charset), charset, False
        except UnicodeDecodeError:
            pass
    try:
        return body.decode(FALLBACK_CHARSET), FALLBACK_CHARSET, False
    except UnicodeDecodeError:
        return body.decode(FALLBACK_CHARSET, "replace"), FALLBACK_CHARSET, True


def _refuse_doctype(*_: object) -> NoReturn:
    raise ManscdpError("MANSCDP body has a DOCTYPE; DTDs and entities are refused")


def _refuse_entity(*_: object) -> NoReturn:
    raise ManscdpError("MANSCDP body declares or references an entity; entities are refused")


def find_child(element: Element, tag: str) -> Element | None:
    """The first child named ``tag``, compared without case (devices vary it)."""
    wanted = tag.lower()
    for child in element:
        if child.tag.lower() == wanted:
            return child
    return None


def _build_tree(text: str, limits: Limits) -> Element:
    """Run expat over ``text``, refusing DTDs and enforcing ``limits`` as elements open.

    The tree itself is built by the C ``TreeBuilder``: our Python callbacks only count, which
    keeps a 5,000-channel catalog near the speed of expat itself.
    """
    builder = TreeBuilder()
    build_start = builder.start
    build_end = builder.end
    depth = 0
    count = 0
    max_depth = limits.max_depth
    max_elements = limits.max_elements

    def start(tag: str, attrs: dict[str, str]) -> None:
        nonlocal count, depth
        count += 1
        depth += 1
        if count > max_elements:
            raise ManscdpError(
                f"MANSCDP body has more than {max_elements} elements", status_hint=413
            )
        if depth > max_depth:
            raise ManscdpError(f"MANSCDP XML is nested deeper than {max_depth}")
        build_start(tag, attrs)

    def end(tag: str) -> None:
        nonlocal depth
        depth -= 1
        build_end(tag)

    parser = expat.ParserCreate()
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.StartDoctypeDeclHandler = _refuse_doctype
    parser.EntityDeclHandler = _refuse_entity
    parser.UnparsedEntityDeclHandler = _refuse_entity
    parser.ExternalEntityRefHandler = _refuse_entity
    parser.SkippedEntityHandler = _refuse_entity
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = builder.data
    parser.buffer_text = True
    parser.buffer_size = 65536
    try:
        # A str is handed to expat as UTF-8 with the declared encoding overridden, which is what
        # we want: the bytes were already decoded by the rules above.
        parser.Parse(text, True)
    except expat.ExpatError as exc:
        reason = expat.errors.messages[exc.code] if exc.code else str(exc)
        raise ManscdpError(
            f"malformed MANSCDP XML at line {exc.lineno}, column {exc.offset + 1}: {reason}"
        ) from None
    return builder.close()
