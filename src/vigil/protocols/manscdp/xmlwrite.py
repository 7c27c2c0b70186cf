"""Serialise an :class:`Element` tree as a MANSCDP body in a chosen charset.

Strict in what we send: a declaration naming the charset actually used, escaped text, and no
character XML 1.0 cannot carry. A character the charset lacks (a rare hanzi in GB2312) is written
as a numeric character reference, which every XML reader turns back into the character.
"""

from __future__ import annotations

import re
from xml.etree.ElementTree import Element

from vigil.protocols.errors import ManscdpError

__all__ = ["CHARSETS", "serialize_xml"]

#: Charsets we write, as they appear in the declaration. GB/T 28181-2016 §6.1 uses GB2312,
#: GB/T 28181-2022 §6.1 uses GB18030; UTF-8 is for peers that ask for it.
CHARSETS = {"GB2312": "gb2312", "GB18030": "gb18030", "GBK": "gbk", "UTF-8": "utf-8"}

#: XML 1.0 §2.2 Char: controls other than TAB, LF, CR, surrogates, U+FFFE and U+FFFF are not
#: characters of an XML document, escaped or not.
_NOT_XML_CHAR = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def serialize_xml(root: Element, charset: str = "GB2312") -> bytes:
    """``root`` as bytes in ``charset`` (one of :data:`CHARSETS`), with its XML declaration."""
    declared = charset.upper()
    codec = CHARSETS.get(declared)
    if codec is None:
        raise ManscdpError(f"cannot write MANSCDP in charset {charset!r}; use one of {CHARSETS}")
    parts = [f'<?xml version="1.0" encoding="{declared}"?>\n']
    _write(root, parts)
    return "".join(parts).encode(codec, "xmlcharrefreplace")


def _write(element: Element, parts: list[str]) -> None:
    tag = element.tag
    attrs = "".join(f' {name}="{_escape(value, True)}"' for name, value in element.attrib.items())
    if len(element):
        parts.append(f"<{tag}{attrs}>\n")
        for child in element:
            _write(child, parts)
        parts.append(f"</{tag}>\n")
    else:
        parts.append(f"<{tag}{attrs}>{_escape(element.text or '', False)}</{tag}>\n")


def _escape(text: str, attribute: bool) -> str:
    bad = _NOT_XML_CHAR.search(text)
    if bad is not None:
        raise ManscdpError(f"text holds U+{ord(bad.group()):04X}, which XML 1.0 cannot carry")
    if "&" in text:
        text = text.replace("&", "&amp;")
    if "<" in text:
        text = text.replace("<", "&lt;")
    if ">" in text:
        text = text.replace(">", "&gt;")
    if "\r" in text:
        text = text.replace("\r", "&#13;")
    if attribute:
        text = text.replace('"', "&quot;").replace("\n", "&#10;").replace("\t", "&#9;")
    return text
