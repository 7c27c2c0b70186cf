"""The safe XML reader and writer under MANSCDP: hostile input, bounds, charsets, escaping."""

from __future__ import annotations

import time

import pytest

from vigil.protocols.errors import ManscdpError
from vigil.protocols.manscdp import Limits, decode, decode_body
from vigil.protocols.manscdp.xmlsafe import Element, parse_xml
from vigil.protocols.manscdp.xmlwrite import serialize_xml

XXE = b"""<?xml version="1.0"?>
<!DOCTYPE foo [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<Query><CmdType>Catalog</CmdType><SN>1</SN><DeviceID>&xxe;</DeviceID></Query>"""

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<Notify><CmdType>Keepalive</CmdType><SN>1</SN><DeviceID>&lol9;</DeviceID></Notify>"""

DOCTYPE_MESSAGE = "MANSCDP body has a DOCTYPE; DTDs and entities are refused"


@pytest.mark.parametrize("payload", [XXE, BILLION_LAUGHS], ids=["xxe", "billion-laughs"])
def test_entity_attacks_are_refused_before_expansion(payload: bytes) -> None:
    started = time.thread_time()  # this thread's CPU: a busy machine does not stretch it
    with pytest.raises(ManscdpError) as caught:
        decode(payload)
    assert str(caught.value) == DOCTYPE_MESSAGE
    assert time.thread_time() - started < 0.05


def test_plain_doctype_is_refused() -> None:
    body = b'<?xml version="1.0"?><!DOCTYPE Query SYSTEM "http://x/q.dtd"><Query/>'
    with pytest.raises(ManscdpError, match="DOCTYPE"):
        parse_xml(body)


def test_undeclared_entity_reference_is_malformed() -> None:
    with pytest.raises(ManscdpError, match=r"line 1, column \d+: undefined entity"):
        parse_xml(b"<Query><SN>&xxe;</SN></Query>")


def test_predefined_entities_and_char_refs_are_read() -> None:
    root = parse_xml(b"<Query><Name>a&amp;b&lt;&#x524D;&#38376;</Name></Query>").root
    assert root[0].text == "a&b<前门"


def test_oversized_body_is_refused_with_413() -> None:
    with pytest.raises(ManscdpError) as caught:
        parse_xml(b"<Query>" + b" " * 200 + b"</Query>", Limits(max_bytes=100))
    assert str(caught.value) == "MANSCDP body of 215 bytes exceeds the limit of 100"
    assert caught.value.status_hint == 413


def test_depth_is_bounded() -> None:
    deep = b"<a>" * 17 + b"</a>" * 17
    with pytest.raises(ManscdpError, match=r"^MANSCDP XML is nested deeper than 16$"):
        parse_xml(deep)
    assert parse_xml(b"<a>" * 16 + b"</a>" * 16).root.tag == "a"


def test_element_count_is_bounded() -> None:
    body = b"<Response>" + b"<Item/>" * 10 + b"</Response>"
    with pytest.raises(ManscdpError, match=r"^MANSCDP body has more than 10 elements$"):
        parse_xml(body, Limits(max_elements=10))
    assert len(parse_xml(body, Limits(max_elements=11)).root) == 10


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"", "malformed MANSCDP XML at line 1, column 1: no element found"),
        (b"<Query><SN>1</Query>", "malformed MANSCDP XML at line 1, column 15: mismatched tag"),
        (
            b"\xff\xfe<\x00",
            "malformed MANSCDP XML at line 1, column 1: not well-formed (invalid token)",
        ),
    ],
)
def test_malformed_xml_messages(body: bytes, message: str) -> None:
    with pytest.raises(ManscdpError) as caught:
        parse_xml(body)
    assert str(caught.value) == message


def _keepalive(name: str, declaration: str, charset: str) -> bytes:
    xml = f"{declaration}<Notify><CmdType>Keepalive</CmdType><Name>{name}</Name></Notify>"
    return xml.encode(charset)


@pytest.mark.parametrize(
    ("declaration", "charset", "expected"),
    [
        ('<?xml version="1.0" encoding="GB2312"?>', "gb2312", "GB2312"),
        ('<?xml version="1.0" encoding="UTF-8"?>', "gb2312", "GB18030"),  # the classic lie
        ("", "gb2312", "GB18030"),  # no declaration, not UTF-8
        ("", "utf-8", "UTF-8"),
        ('<?xml version="1.0" encoding="GB2312"?>', "gbk", "GB18030"),  # 堃 is GBK only
        ('<?xml version="1.0" encoding="x-unknown"?>', "gb18030", "GB18030"),
        ("<?xml version='1.0' encoding='utf8' ?>", "utf-8", "UTF-8"),
        ('<?xml version="1.0" encoding="unicode_escape"?>', "gb2312", "GB18030"),
    ],
)
def test_charset_by_declaration_then_gb18030(declaration: str, charset: str, expected: str) -> None:
    name = "前门堃" if charset == "gbk" else "前门摄像头"
    document = parse_xml(_keepalive(name, declaration, charset))
    assert document.charset == expected
    assert document.root[1].text == name
    assert not document.lossy


def test_undecodable_bytes_are_replaced_not_fatal() -> None:
    document = parse_xml(b"<Notify><Name>\x81\x20ok</Name></Notify>")
    assert document.lossy
    assert document.root[0].text is not None and document.root[0].text.endswith("ok")


def test_utf8_bom_is_skipped() -> None:
    document = decode_body(
        b"\xef\xbb\xbf<Notify><CmdType>Keepalive</CmdType><SN>1</SN><DeviceID>1</DeviceID></Notify>"
    )
    assert document.charset == "UTF-8"


def _tree(text: str) -> Element:
    root = Element("Notify")
    name = Element("Name")
    name.text = text
    root.append(name)
    return root


@pytest.mark.parametrize("charset", ["GB2312", "GB18030", "GBK", "UTF-8", "gb2312"])
def test_writer_declares_the_charset_it_uses(charset: str) -> None:
    body = serialize_xml(_tree("前门"), charset)
    assert body.startswith(f'<?xml version="1.0" encoding="{charset.upper()}"?>'.encode())
    assert "前门".encode(charset) in body
    assert parse_xml(body).root[0].text == "前门"


def test_writer_escapes_markup_and_keeps_carriage_returns() -> None:
    body = serialize_xml(_tree("a<b>&c\r\nd"), "UTF-8")
    assert b"<Name>a&lt;b&gt;&amp;c&#13;\nd</Name>" in body
    assert parse_xml(body).root[0].text == "a<b>&c\r\nd"


def test_writer_uses_char_refs_for_characters_gb2312_lacks() -> None:
    body = serialize_xml(_tree("堃😀"), "GB2312")
    assert b"&#22531;&#128512;" in body
    assert parse_xml(body).root[0].text == "堃😀"


def test_writer_refuses_characters_xml_cannot_carry() -> None:
    with pytest.raises(ManscdpError, match=r"^text holds U\+0001, which XML 1\.0 cannot carry$"):
        serialize_xml(_tree("a\x01"), "UTF-8")


def test_writer_refuses_unknown_charset() -> None:
    with pytest.raises(ManscdpError, match="cannot write MANSCDP in charset 'latin-1'"):
        serialize_xml(_tree("a"), "latin-1")
