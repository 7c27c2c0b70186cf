"""MANSRTSP: playback control inside SIP INFO (GB/T 28181 clause 9.8 and its MANSRTSP annex).

The body of an INFO with ``Content-Type: Application/MANSRTSP`` is an RTSP-like request::

    PLAY RTSP/1.0          PAUSE RTSP/1.0         PLAY RTSP/1.0       TEARDOWN RTSP/1.0
    CSeq: 2                CSeq: 3                CSeq: 4             CSeq: 5
    Range: npt=now-        PauseTime: now         Scale: 2.0

``Scale`` is written as a float (``2.0``, ``0.5``) as in the standard's examples;
``Range: npt=<seconds>-`` seeks to an offset from the start of the recording, ``npt=now-``
resumes where it paused; ``Scale`` is the speed (negative plays backwards). Parsing forgives bare
LF, trailing spaces, any header-name case and a missing final line break; serialisation writes
CRLF lines in the order above. Unknown headers are kept.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Protocol

from vigil.protocols.digits import read_digits
from vigil.protocols.errors import MansrtspError

__all__ = [
    "MAX_MANSRTSP_BYTES",
    "MansrtspRequest",
    "Method",
    "NptRange",
    "Playable",
    "parse_mansrtsp",
    "steer",
]

MAX_MANSRTSP_BYTES = 4096
VERSION = "RTSP/1.0"
NOW = "now"
CRLF = "\r\n"
MAX_CSEQ = 2**31 - 1
_MAX_NUMBER_CHARS = 32
_MAX_CSEQ_DIGITS = 10
_REQUEST_LINE_FIELDS = 2
_KNOWN = frozenset({"cseq", "range", "scale", "pausetime"})


class Method(StrEnum):
    """The playback controls a MANSRTSP body can carry."""

    PLAY = "PLAY"
    PAUSE = "PAUSE"
    TEARDOWN = "TEARDOWN"


def _number(text: str, what: str, *, signed: bool = False) -> float:
    """A decimal number as devices write it (``2``, ``2.0``, ``12.345``; ``-0.5`` if signed)."""
    digits = text.removeprefix("-") if signed else text
    digits = digits.replace(".", "", 1)
    if not (0 < len(text) <= _MAX_NUMBER_CHARS and digits.isascii() and digits.isdigit()):
        kind = "a decimal number" if signed else "a decimal number >= 0"
        raise MansrtspError(f"{what} must be {kind}, got {text[:40]!r}")
    return float(text)


def _format(value: float, what: str, *, point: bool = False) -> str:
    """Positional decimal (never an exponent) that reads back as ``value``; ``2`` or ``2.0``."""
    if not point and value.is_integer():
        text = str(int(value))
    else:
        text = format(Decimal(repr(value)), "f")
    if len(text) > _MAX_NUMBER_CHARS:
        raise MansrtspError(f"{what} {value!r} needs more than {_MAX_NUMBER_CHARS} characters")
    return text


def _time(value: float | None, what: str) -> str:
    if value is None:
        return NOW
    if not (math.isfinite(value) and value >= 0):
        raise MansrtspError(f"{what} must be a finite number of seconds >= 0, got {value}")
    return _format(value, what)


@dataclass(frozen=True, slots=True)
class NptRange:
    """``npt=<start>-[<end>]`` in seconds from the recording start; None start is ``now``."""

    start: float | None = None
    end: float | None = None

    @classmethod
    def parse(cls, text: str) -> NptRange:
        unit, eq, value = text.partition("=")
        if unit.strip().lower() != "npt" or not eq:
            raise MansrtspError(f"Range must be npt=<start>-[<end>], got {text[:40]!r}")
        start, dash, end = value.strip().partition("-")
        if not dash:
            raise MansrtspError(f"Range must be npt=<start>-[<end>], got {text[:40]!r}")
        start = start.strip()
        end = end.strip()
        return cls(
            None if start.lower() == NOW else _number(start, "Range start"),
            _number(end, "Range end") if end else None,
        )

    def __str__(self) -> str:
        end = "" if self.end is None else _time(self.end, "Range end")
        return f"npt={_time(self.start, 'Range start')}-{end}"


@dataclass(frozen=True, slots=True)
class MansrtspRequest:
    """One playback control request; ``pause_time`` None with PAUSE means ``now``."""

    method: Method
    cseq: int
    range: NptRange | None = None
    scale: float | None = None
    pause_time: float | None = None
    extra_headers: tuple[tuple[str, str], ...] = ()

    def __post_init__(self) -> None:
        if not 0 <= self.cseq <= MAX_CSEQ:
            raise MansrtspError(f"CSeq must be 0 to {MAX_CSEQ}, got {self.cseq}")
        if self.scale is not None and not (math.isfinite(self.scale) and self.scale != 0):
            raise MansrtspError(f"Scale must be a finite non-zero number, got {self.scale}")

    def serialize(self) -> str:
        lines = [f"{self.method.value} {VERSION}", f"CSeq: {self.cseq}"]
        if self.range is not None:
            lines.append(f"Range: {self.range}")
        if self.scale is not None:
            lines.append(f"Scale: {_format(self.scale, 'Scale', point=True)}")
        if self.method is Method.PAUSE or self.pause_time is not None:
            lines.append(f"PauseTime: {_time(self.pause_time, 'PauseTime')}")
        for name, value in self.extra_headers:
            if not name or name.split() != [name] or ":" in name or value != value.strip():
                raise MansrtspError(f"header {name!r}: {value!r} cannot be written on one line")
            if "\r" in value or "\n" in value:
                raise MansrtspError(f"header {name!r} value has a line break")
            lines.append(f"{name}: {value}" if value else f"{name}:")
        return CRLF.join(lines) + CRLF

    def __bytes__(self) -> bytes:
        return self.serialize().encode()


def _decode(data: bytes | str) -> str:
    if len(data) > MAX_MANSRTSP_BYTES:
        raise MansrtspError(f"MANSRTSP body is {len(data)} bytes, more than {MAX_MANSRTSP_BYTES}")
    if isinstance(data, str):
        return data
    try:
        return data.decode()
    except UnicodeDecodeError:
        raise MansrtspError("MANSRTSP body is not UTF-8 text") from None


def _request_line(line: str) -> Method:
    parts = line.split()
    if len(parts) != _REQUEST_LINE_FIELDS:
        raise MansrtspError(f"request line must be '<method> {VERSION}', got {line[:60]!r}")
    if parts[1].upper() != VERSION:
        raise MansrtspError(f"version must be {VERSION}, got {parts[1][:20]!r}")
    try:
        return Method(parts[0].upper())
    except ValueError:
        raise MansrtspError(f"method {parts[0][:20]!r} is not PLAY, PAUSE or TEARDOWN") from None


def parse_mansrtsp(data: bytes | str) -> MansrtspRequest:
    """Parse an INFO body; raises only :class:`MansrtspError`."""
    lines = [line.rstrip() for line in _decode(data).split("\n")]
    lines = [line for line in lines if line]
    if not lines:
        raise MansrtspError("MANSRTSP body is empty")
    method = _request_line(lines[0])
    headers: dict[str, str] = {}
    extra: list[tuple[str, str]] = []
    for line in lines[1:]:
        name, colon, value = line.partition(":")
        name, value = name.strip(), value.strip()
        if not colon or not name or name.split() != [name] or "\r" in value:
            raise MansrtspError(f"header line must be '<name>: <value>', got {line[:60]!r}")
        key = name.lower()
        if key in _KNOWN:
            if key in headers:
                raise MansrtspError(f"duplicate {name} header")
            headers[key] = value
        else:
            extra.append((name, value))
    if "cseq" not in headers:
        raise MansrtspError("MANSRTSP request has no CSeq header")
    cseq = read_digits(headers["cseq"], _MAX_CSEQ_DIGITS)
    if cseq is None:
        raise MansrtspError(f"CSeq must be a decimal number, got {headers['cseq'][:20]!r}")
    pause = headers.get("pausetime")
    return MansrtspRequest(
        method=method,
        cseq=cseq,
        range=NptRange.parse(headers["range"]) if "range" in headers else None,
        scale=_number(headers["scale"], "Scale", signed=True) if "scale" in headers else None,
        pause_time=None if pause is None or pause.lower() == NOW else _number(pause, "PauseTime"),
        extra_headers=tuple(extra),
    )


class Playable(Protocol):
    """A sender's stream that PLAY and PAUSE steer (``position``: seconds from its start)."""

    def pause(self) -> None: ...

    def play(self, *, scale: float | None = None, position: float | None = None) -> None: ...


def steer(request: MansrtspRequest, stream: Playable) -> bool:
    """Apply a PAUSE, or a PLAY at its ``Scale`` from its ``Range`` start, to ``stream``.

    False for TEARDOWN, which ends the stream and is the caller's to carry out.
    """
    if request.method is Method.PAUSE:
        stream.pause()
        return True
    if request.method is Method.PLAY:
        position = None if request.range is None else request.range.start
        stream.play(scale=request.scale, position=position)
        return True
    return False
