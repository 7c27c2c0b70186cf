"""MANSRTSP playback control: golden device bodies, tolerance, exact errors, round trips."""

from __future__ import annotations

import string

import pytest
from hypothesis import given
from hypothesis import strategies as st

from vigil.protocols.errors import MansrtspError
from vigil.protocols.mansrtsp import MansrtspRequest, Method, NptRange, parse_mansrtsp

GOLDEN = [
    (
        b"PLAY RTSP/1.0\r\nCSeq: 2\r\nRange: npt=now-\r\n",
        MansrtspRequest(Method.PLAY, 2, range=NptRange()),
    ),
    (
        b"PAUSE RTSP/1.0\r\nCSeq: 3\r\nPauseTime: now\r\n",
        MansrtspRequest(Method.PAUSE, 3),
    ),
    (
        b"PLAY RTSP/1.0\r\nCSeq: 4\r\nScale: 2.0\r\n",
        MansrtspRequest(Method.PLAY, 4, scale=2.0),
    ),
    (
        b"PLAY RTSP/1.0\r\nCSeq: 5\r\nScale: 0.5\r\n",
        MansrtspRequest(Method.PLAY, 5, scale=0.5),
    ),
    (
        b"PLAY RTSP/1.0\r\nCSeq: 6\r\nRange: npt=100-\r\n",
        MansrtspRequest(Method.PLAY, 6, range=NptRange(100.0)),
    ),
    (
        b"TEARDOWN RTSP/1.0\r\nCSeq: 7\r\n",
        MansrtspRequest(Method.TEARDOWN, 7),
    ),
]


@pytest.mark.parametrize(("body", "request_"), GOLDEN)
def test_golden_bodies(body: bytes, request_: MansrtspRequest) -> None:
    assert parse_mansrtsp(body) == request_
    assert bytes(request_) == body


@pytest.mark.parametrize(
    ("body", "request_"),
    [
        (
            b"play rtsp/1.0\ncseq:8\nrange: NPT = 12.5 - 30\nx-vendor: abc  \n\n",
            MansrtspRequest(
                Method.PLAY, 8, range=NptRange(12.5, 30.0), extra_headers=(("x-vendor", "abc"),)
            ),
        ),
        ("PAUSE RTSP/1.0\r\nCSeq: 9", MansrtspRequest(Method.PAUSE, 9)),
        (
            b"PAUSE RTSP/1.0\r\nCSeq: 9\r\nPauseTime: 15\r\n\r\n",
            MansrtspRequest(Method.PAUSE, 9, pause_time=15.0),
        ),
        (
            b"PLAY RTSP/1.0\r\nCSeq: 10\r\nScale: -1\r\n",
            MansrtspRequest(Method.PLAY, 10, scale=-1.0),
        ),
    ],
)
def test_tolerated_variants(body: bytes | str, request_: MansrtspRequest) -> None:
    assert parse_mansrtsp(body) == request_


def test_serialisation_forms() -> None:
    request_ = MansrtspRequest(Method.PLAY, 11, NptRange(12.5, 30.0), scale=-1.0)
    assert bytes(request_) == b"PLAY RTSP/1.0\r\nCSeq: 11\r\nRange: npt=12.5-30\r\nScale: -1.0\r\n"
    assert bytes(MansrtspRequest(Method.PAUSE, 1, pause_time=3.0)).endswith(b"PauseTime: 3\r\n")


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"", "MANSRTSP body is empty"),
        (b"\r\n\r\n", "MANSRTSP body is empty"),
        (b"PLAY\r\nCSeq: 1\r\n", "request line must be '<method> RTSP/1.0', got 'PLAY'"),
        (b"PLAY RTSP/2.0\r\nCSeq: 1\r\n", "version must be RTSP/1.0, got 'RTSP/2.0'"),
        (b"SEEK RTSP/1.0\r\nCSeq: 1\r\n", "method 'SEEK' is not PLAY, PAUSE or TEARDOWN"),
        (b"PLAY RTSP/1.0\r\n", "MANSRTSP request has no CSeq header"),
        (b"PLAY RTSP/1.0\r\nCSeq 1\r\n", "header line must be '<name>: <value>', got 'CSeq 1'"),
        (b"PLAY RTSP/1.0\r\nCSeq: x\r\n", "CSeq must be a decimal number, got 'x'"),
        (
            b"PLAY RTSP/1.0\r\nCSeq: 99999999999\r\n",
            "CSeq must be a decimal number, got '99999999999'",
        ),
        (b"PLAY RTSP/1.0\r\nCSeq: 4294967295\r\n", "CSeq must be 0 to 2147483647, got 4294967295"),
        (b"PLAY RTSP/1.0\r\nCSeq: 1\r\nCSeq: 2\r\n", "duplicate CSeq header"),
        (
            b"PLAY RTSP/1.0\r\nCSeq: 1\r\nRange: clock=1-\r\n",
            "Range must be npt=<start>-[<end>], got 'clock=1-'",
        ),
        (
            b"PLAY RTSP/1.0\r\nCSeq: 1\r\nRange: npt=5\r\n",
            "Range must be npt=<start>-[<end>], got 'npt=5'",
        ),
        (
            b"PLAY RTSP/1.0\r\nCSeq: 1\r\nRange: npt=-5-\r\n",
            "Range start must be a decimal number >= 0, got ''",
        ),
        (
            b"PLAY RTSP/1.0\r\nCSeq: 1\r\nScale: fast\r\n",
            "Scale must be a decimal number, got 'fast'",
        ),
        (
            b"PLAY RTSP/1.0\r\nCSeq: 1\r\nScale: 0\r\n",
            "Scale must be a finite non-zero number, got 0.0",
        ),
        (
            b"PAUSE RTSP/1.0\r\nCSeq: 1\r\nPauseTime: -1\r\n",
            "PauseTime must be a decimal number >= 0, got '-1'",
        ),
        (
            b"PLAY RTSP/1.0\r\nCSeq: 1\r\nScale: 1e3\r\n",
            "Scale must be a decimal number, got '1e3'",
        ),
        (
            b"PLAY RTSP/1.0\r\nCSeq: 1\r\nX: a\rb\r\n",
            "header line must be '<name>: <value>', got 'X: a\\rb'",
        ),
        (b"\xff RTSP/1.0", "MANSRTSP body is not UTF-8 text"),
        (b"PLAY RTSP/1.0\r\n" + b"X: y\r\n" * 1000, "MANSRTSP body is 6015 bytes, more than 4096"),
    ],
)
def test_bad_bodies_name_the_rule(body: bytes, message: str) -> None:
    with pytest.raises(MansrtspError) as caught:
        parse_mansrtsp(body)
    assert str(caught.value) == message


@pytest.mark.parametrize(
    ("request_", "message"),
    [
        (
            MansrtspRequest(Method.PLAY, 1, range=NptRange(-1.0)),
            "Range start must be a finite number of seconds >= 0, got -1.0",
        ),
        (
            MansrtspRequest(Method.PLAY, 1, scale=1e-300),
            "Scale 1e-300 needs more than 32 characters",
        ),
        (
            MansrtspRequest(Method.PLAY, 1, extra_headers=(("Bad Name", "x"),)),
            "header 'Bad Name': 'x' cannot be written on one line",
        ),
        (
            MansrtspRequest(Method.PLAY, 1, extra_headers=(("X", "a\nb"),)),
            "header 'X' value has a line break",
        ),
    ],
)
def test_serialisation_is_strict(request_: MansrtspRequest, message: str) -> None:
    with pytest.raises(MansrtspError) as caught:
        bytes(request_)
    assert str(caught.value) == message


_SECONDS = st.none() | st.floats(0, 1e9).map(lambda x: round(x, 6))
_SCALE = st.none() | st.floats(-64, 64).map(lambda x: round(x, 6)).filter(lambda x: x != 0)
_NAME = st.text(string.ascii_letters + "-", min_size=1, max_size=10).filter(
    lambda n: n.lower() not in {"cseq", "range", "scale", "pausetime"}
)
_VALUE = st.text(string.ascii_letters + string.digits + " =;.", max_size=16).map(str.strip)
_REQUESTS = st.builds(
    MansrtspRequest,
    method=st.sampled_from(Method),
    cseq=st.integers(0, 2**31 - 1),
    range=st.none() | st.builds(NptRange, _SECONDS, _SECONDS),
    scale=_SCALE,
    pause_time=_SECONDS,
    extra_headers=st.lists(st.tuples(_NAME, _VALUE), max_size=3).map(tuple),
)


@given(_REQUESTS)
def test_round_trip(request_: MansrtspRequest) -> None:
    assert parse_mansrtsp(bytes(request_)) == request_


@given(st.floats(0, 1e12))
def test_npt_seconds_survive_text_or_are_refused(seconds: float) -> None:
    try:
        text = str(NptRange(seconds))
    except MansrtspError as exc:
        assert "needs more than 32 characters" in str(exc)
        return
    assert "e" not in text
    assert NptRange.parse(text) == NptRange(seconds)


@given(st.binary(max_size=200) | st.text(max_size=200))
def test_any_input_parses_or_raises_mansrtsp_error(data: bytes | str) -> None:
    try:
        request_ = parse_mansrtsp(data)
    except MansrtspError:
        return
    assert parse_mansrtsp(bytes(request_)) == request_
