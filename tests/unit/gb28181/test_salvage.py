"""Which bad datagrams still get a 400: those whose header block alone parses."""

from __future__ import annotations

from vigil.gb28181.sip.transport import reason_phrase, salvage_request

HEAD = (
    b"MESSAGE sip:34020000002000000001@3402000000 SIP/2.0\r\n"
    b"Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK1\r\n"
    b"From: <sip:34010400001320000001@3402000000>;tag=1\r\n"
    b"To: <sip:34020000002000000001@3402000000>\r\n"
    b"Call-ID: c1\r\nCSeq: 1 MESSAGE\r\nContent-Length: 999\r\n\r\n"
)


def test_wrong_content_length_is_answerable() -> None:
    request = salvage_request(HEAD + b"<Notify>")
    assert request is not None and request.method == "MESSAGE" and request.body == b""


def test_broken_header_block_and_responses_get_silence() -> None:
    assert salvage_request(HEAD.replace(b"Call-ID: c1\r\n", b"")) is None
    assert salvage_request(b"SIP/2.0 200 OK\r\n" + HEAD.split(b"\r\n", 1)[1]) is None
    assert salvage_request(b"\x00\xff" * 10) is None


def test_reason_phrase_is_one_printable_line() -> None:
    assert reason_phrase(ValueError("bad\r\nInjected: yes\x00")) == "bad??Injected: yes?"
