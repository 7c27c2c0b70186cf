"""The GB/T 28181 additions to SDP: the ``y=`` SSRC line and the ``f=`` media description.

The SDP annex of GB/T 28181 (2016 and 2022) adds two lines that RFC 4566 does not know:

* ``y=`` carries the RTP SSRC as ten decimal digits. It is kept as text because the leading digit is
  a meaningful ``0`` for live video, which an integer would lose.
* ``f=`` describes the stream as ``v/<codec>/<resolution>/<frame rate>/<rate type>/<bitrate>`` then
  ``a/<codec>/<bitrate>/<sample rate>``; any field may be empty and devices often send a bare
  ``f=``.

Vigil allocates its own SSRCs by the rule of DESIGN.md: one digit live (0) or history (1), digits
4-8 of the 10-digit SIP domain, then a four-digit index.
"""

from __future__ import annotations

from dataclasses import dataclass

from vigil.protocols.errors import SdpError
from vigil.protocols.sdp._fields import decimal

__all__ = [
    "AUDIO_CODECS",
    "RESOLUTIONS",
    "SAMPLE_RATES",
    "VIDEO_CODECS",
    "AudioFormat",
    "MediaFormat",
    "Ssrc",
    "VideoFormat",
    "check_ssrc",
    "make_ssrc",
    "parse_ssrc",
]

# f= field codes of the GB/T 28181-2016 SDP annex; 2022 adds H.265 (5) and SVAC/AAC audio (5, 6).
VIDEO_CODECS: dict[int, str] = {1: "MPEG-4", 2: "H.264", 3: "SVAC", 4: "3GP", 5: "H.265"}
RESOLUTIONS: dict[str, str] = {
    "1": "QCIF",
    "2": "CIF",
    "3": "4CIF",
    "4": "D1",
    "5": "720P",
    "6": "1080P/I",
}
AUDIO_CODECS: dict[int, str] = {
    1: "G.711",
    2: "G.723.1",
    3: "G.729",
    4: "G.722.1",
    5: "SVAC",
    6: "AAC",
}
SAMPLE_RATES: dict[int, int] = {1: 8000, 2: 14000, 3: 16000, 4: 32000}

SSRC_DIGITS = 10
SSRC_INDEX_LIMIT = 10_000  # four decimal digits
DOMAIN_DIGITS = 10
_LIVE, _HISTORY = "0", "1"
_VIDEO_FIELDS = 5
_FIELD_DIGITS = 10
_RESOLUTION_CHARS = "0123456789xX*"
_AUDIO_FIELDS = 3


def _optional_int(text: str, what: str) -> int | None:
    return decimal(text, f"f= {what}", _FIELD_DIGITS) if text else None


def _field(value: int | str | None) -> str:
    return "" if value is None else str(value)


def _split_fields(text: str, count: int, part: str) -> list[str]:
    """The ``/``-separated fields of one half of ``f=``, padded with empty ones to ``count``."""
    fields = text.split("/")
    if len(fields) > count:
        raise SdpError(f"f= {part} part has {len(fields)} fields, at most {count}")
    return fields + [""] * (count - len(fields))


@dataclass(frozen=True, slots=True)
class VideoFormat:
    """The ``v/...`` half of ``f=``; None is an empty field (the device did not say)."""

    codec: int | None = None
    resolution: str | None = None
    frame_rate: int | None = None
    rate_type: int | None = None
    bitrate: int | None = None

    @classmethod
    def parse(cls, text: str) -> VideoFormat:
        """Read the fields after ``v/``; the resolution stays text (2022 allows ``WxH``)."""
        fields = _split_fields(text, _VIDEO_FIELDS, "video")
        codec, resolution, frame_rate, rate_type, bitrate = fields
        if resolution.strip(_RESOLUTION_CHARS):
            raise SdpError(f"f= resolution must be a code or WxH, got {resolution!r}")
        return cls(
            codec=_optional_int(codec, "video codec"),
            resolution=resolution or None,
            frame_rate=_optional_int(frame_rate, "frame rate"),
            rate_type=_optional_int(rate_type, "rate type"),
            bitrate=_optional_int(bitrate, "video bitrate"),
        )

    @property
    def codec_name(self) -> str | None:
        return None if self.codec is None else VIDEO_CODECS.get(self.codec)

    def __str__(self) -> str:
        fields = (self.codec, self.resolution, self.frame_rate, self.rate_type, self.bitrate)
        return "v/" + "/".join(_field(f) for f in fields)


@dataclass(frozen=True, slots=True)
class AudioFormat:
    """The ``a/...`` half of ``f=``."""

    codec: int | None = None
    bitrate: int | None = None
    sample_rate: int | None = None

    @classmethod
    def parse(cls, text: str) -> AudioFormat:
        codec, bitrate, sample_rate = _split_fields(text, _AUDIO_FIELDS, "audio")
        return cls(
            codec=_optional_int(codec, "audio codec"),
            bitrate=_optional_int(bitrate, "audio bitrate"),
            sample_rate=_optional_int(sample_rate, "sample rate"),
        )

    @property
    def codec_name(self) -> str | None:
        return None if self.codec is None else AUDIO_CODECS.get(self.codec)

    @property
    def sample_rate_hz(self) -> int | None:
        return None if self.sample_rate is None else SAMPLE_RATES.get(self.sample_rate)

    def __str__(self) -> str:
        fields = (self.codec, self.bitrate, self.sample_rate)
        return "a/" + "/".join(_field(f) for f in fields)


@dataclass(frozen=True, slots=True)
class MediaFormat:
    """The whole ``f=`` line; both halves None is the bare ``f=`` that many devices send."""

    video: VideoFormat | None = None
    audio: AudioFormat | None = None

    @classmethod
    def parse(cls, text: str) -> MediaFormat:
        """Split at ``a/``: the video codes never contain it; a trailing bare ``a`` is no audio."""
        split = text.find("a/")
        if split >= 0:
            video_text, audio_text = text[:split], text[split + 2 :]
        elif text.endswith("a"):
            video_text, audio_text = text[:-1], ""
        else:
            video_text, audio_text = text, None
        video = None
        if video_text:
            if not video_text.startswith("v/"):
                raise SdpError(f"f= must start with v/ or a/, got {text!r}")
            video = VideoFormat.parse(video_text[2:])
        audio = None if audio_text is None else AudioFormat.parse(audio_text)
        return cls(video, audio)

    def __str__(self) -> str:
        return (str(self.video) if self.video else "") + (str(self.audio) if self.audio else "")


def check_ssrc(text: str) -> str:
    """Accept any 1-10 digit ``y=`` value: devices answer with SSRCs of their own choosing."""
    decimal(text, "y=", SSRC_DIGITS)
    return text


@dataclass(frozen=True, slots=True)
class Ssrc:
    """An SSRC allocated by the DESIGN.md rule, split into its parts."""

    history: bool
    domain_part: str
    index: int

    @property
    def value(self) -> int:
        """The number the RTP header carries (the ``y=`` digits read as decimal)."""
        return int(str(self))

    def __str__(self) -> str:
        return f"{_HISTORY if self.history else _LIVE}{self.domain_part}{self.index:04d}"


def make_ssrc(domain: str, history: bool, index: int) -> str:
    """Build the ``y=`` value for a receiver in ``domain`` (the 10-digit SIP domain)."""
    if not (len(domain) == DOMAIN_DIGITS and domain.isascii() and domain.isdigit()):
        raise SdpError(f"SIP domain must be {DOMAIN_DIGITS} digits, got {domain!r}")
    if not 0 <= index < SSRC_INDEX_LIMIT:
        raise SdpError(f"SSRC index must be 0 to {SSRC_INDEX_LIMIT - 1}, got {index}")
    return str(Ssrc(history, domain[3:8], index))


def parse_ssrc(text: str) -> Ssrc:
    """Read an SSRC that Vigil allocated; one a device chose itself may fail the first digit."""
    if not (len(text) == SSRC_DIGITS and text.isascii() and text.isdigit()):
        raise SdpError(f"SSRC must be {SSRC_DIGITS} decimal digits, got {text!r}")
    if text[0] not in (_LIVE, _HISTORY):
        raise SdpError(f"SSRC first digit must be 0 (live) or 1 (history), got {text[0]!r}")
    return Ssrc(text[0] == _HISTORY, text[1:6], int(text[6:]))
