"""Synthetic camera video, encoded once and replayed: a GOP loop of access units.

A simulator that ran an encoder per stream could not run dozens of streams on two cores, so the
picture (a row of still blocks, a moving bar, a frame counter and a little noise, drawn with
numpy) is encoded once with
PyAV into ``loop_seconds`` of frames with a keyframe every ``gop_seconds``. Streams replay the
loop with increasing timestamps; every loop starts with an IDR carrying its parameter sets
(``repeat-headers``), so a receiver can join at any GOP and the seam decodes cleanly.

The noise is there to make the bitrate believable: a flat synthetic picture compresses to almost
nothing, and a platform tested with 50 kbit/s streams is not tested at all.

A camera's picture can be switched to a fault (``Picture``): ``frozen`` repeats the loop's first
keyframe as every frame, ``black`` sends black frames; each is encoded once like the normal loop.

A PTZ camera's view follows its pan: ``view`` counts steps of ``VIEW_DEGREES`` and turns the
still scene (gradient and blocks) sideways by that share of a 60° field of view, so a diagnosis
that sends a PTZ move sees the picture move; each view is encoded once, like a picture.

A spec with ``footage`` replays a real clip instead of the synthetic picture
(:mod:`vigil.sim.footage`: re-encoded once and cached under the data directory, so no encoding
happens here); :meth:`VideoSpec.of_footage` makes one to the clip's size, rate and length. Such a
camera is fixed: its view does not follow a pan.
"""

from __future__ import annotations

import asyncio
import functools
import logging
from dataclasses import dataclass
from fractions import Fraction
from typing import Literal, cast

import av
import numpy as np

from vigil.protocols.ps import StreamType
from vigil.sim.footage import ClipInfo, Footage, FootageError, cached_clip, probe

__all__ = [
    "PICTURES",
    "VIEW_DEGREES",
    "CachedFrame",
    "Codec",
    "GopLoop",
    "Picture",
    "VideoSpec",
    "encode_loop",
    "shared_loop",
    "view_of",
]

log = logging.getLogger(__name__)

Codec = Literal["h264", "h265"]
Picture = Literal["normal", "frozen", "black"]
PICTURES: tuple[Picture, ...] = ("normal", "frozen", "black")
#: 90 kHz: the PS/RTP clock.
CLOCK = 90000
#: Pan degrees per view step, and the horizontal field of view the scene turns through.
VIEW_DEGREES = 2.5
_FIELD_OF_VIEW = 60.0
_ENCODERS: dict[str, tuple[str, int, str]] = {
    # codec → (PyAV encoder, PS stream type, name of its private parameter option)
    "h264": ("libx264", StreamType.H264, "x264-params"),
    "h265": ("libx265", StreamType.H265, "x265-params"),
}
# The still blocks: left, width, top (shares of the picture) and grey; irregular, so that they do
# not read as a periodic pattern (stripes) to video quality diagnosis.
_BLOCKS = (
    (0.04, 0.09, 0.45, 25),
    (0.17, 0.05, 0.30, 225),
    (0.29, 0.13, 0.55, 70),
    (0.50, 0.06, 0.25, 200),
    (0.63, 0.11, 0.40, 20),
    (0.83, 0.08, 0.60, 240),
)
# The view's surface: a still random pattern of this many pixels a cell and grey levels either
# way. A real view has texture; a smooth gradient and uniform blocks over most of the picture
# would read to video quality diagnosis as a covered lens.
_TEXTURE_CELL = 4
_TEXTURE_DEPTH = 16
# 3×5 bitmaps of the digits for the frame counter, one row per string.
_DIGITS = (
    "111101101101111",
    "010110010010111",
    "111001111100111",
    "111001111001111",
    "101101111001001",
    "111100111001111",
    "111100111101111",
    "111001001001001",
    "111101111101111",
    "111101111001111",
)


@dataclass(frozen=True, slots=True)
class VideoSpec:
    """What to encode; equal specs share one cached loop in the process."""

    codec: Codec = "h264"
    width: int = 1280
    height: int = 720
    fps: int = 25
    bitrate: int = 2_000_000
    loop_seconds: float = 2.0
    gop_seconds: float = 1.0
    #: A real clip to send instead of the synthetic picture (H.264 only).
    footage: Footage | None = None

    def __post_init__(self) -> None:
        if self.codec not in _ENCODERS:
            raise ValueError(f"codec must be one of {sorted(_ENCODERS)}, got {self.codec!r}")
        if self.footage is not None and self.codec != "h264":
            raise ValueError("footage is re-encoded to h264 only")
        if self.width % 2 or self.height % 2 or self.width < 64 or self.height < 64:
            raise ValueError("width and height must be even and at least 64")
        if not 1 <= self.fps <= 60 or self.bitrate < 100_000:
            raise ValueError("fps must be 1..60 and bitrate at least 100 kbit/s")
        if self.loop_frames % self.gop_frames:
            raise ValueError("loop_seconds must be a whole number of GOPs")

    @property
    def gop_frames(self) -> int:
        return max(1, round(self.gop_seconds * self.fps))

    @property
    def loop_frames(self) -> int:
        return max(1, round(self.loop_seconds * self.fps))

    @classmethod
    def of_footage(
        cls, footage: Footage, *, bitrate: int = 1_000_000, gop_seconds: float = 1.0
    ) -> VideoSpec:
        """The spec that replays ``footage``: its size (made even), its frame rate, and as many
        whole GOPs of it as it has (or as ``footage.seconds`` asks for); reads the clip's header
        only (the encoding happens on first use). Raises :class:`FootageError`."""
        clip = probe(footage.source)
        frames = clip.frames
        if footage.seconds is not None:
            frames = min(frames, round(footage.seconds * clip.fps))
        gop = max(1, round(gop_seconds * clip.fps))
        whole = frames - frames % gop
        if whole == 0:
            raise FootageError(f"{footage.source}: {frames} frames, not one GOP of {gop}")
        width, height = clip.width - clip.width % 2, clip.height - clip.height % 2
        return cls(
            width=width,
            height=height,
            fps=clip.fps,
            bitrate=bitrate,
            loop_seconds=whole / clip.fps,
            gop_seconds=gop / clip.fps,
            footage=footage,
        )


@dataclass(frozen=True, slots=True)
class CachedFrame:
    """One encoded frame (Annex B) and whether it opens a GOP."""

    data: bytes
    keyframe: bool


@dataclass(frozen=True, slots=True)
class GopLoop:
    """The encoded loop; frame ``n`` of a stream is ``frames[n % len(frames)]``."""

    spec: VideoSpec
    frames: tuple[CachedFrame, ...]

    @property
    def stream_type(self) -> int:
        return _ENCODERS[self.spec.codec][1]

    @property
    def frame_ticks(self) -> int:
        """90 kHz ticks between frames."""
        return CLOCK // self.spec.fps

    @property
    def bitrate(self) -> float:
        """Bits per second the loop really takes, to report against the requested rate."""
        total = sum(len(f.data) for f in self.frames)
        return total * 8 * self.spec.fps / len(self.frames)

    def frame(self, n: int) -> CachedFrame:
        return self.frames[n % len(self.frames)]

    def keyframe_at_or_before(self, n: int) -> int:
        """The frame number where decoding can start to show frame ``n`` (a seek lands here)."""
        gop = self.spec.gop_frames
        return max(0, n - (n % len(self.frames)) % gop)


@functools.lru_cache(maxsize=4)
def _texture(width: int, height: int) -> np.ndarray:
    """The still pattern laid over the view (the same every frame and every loop)."""
    cells = np.random.default_rng(131).integers(
        -_TEXTURE_DEPTH,
        _TEXTURE_DEPTH + 1,
        (-(-height // _TEXTURE_CELL), -(-width // _TEXTURE_CELL)),
        dtype=np.int16,
    )
    pattern = np.kron(cells, np.ones((_TEXTURE_CELL, _TEXTURE_CELL), dtype=np.int16))
    return pattern[:height, :width]


def view_of(pan: float) -> int:
    """The view step of a pan angle (degrees)."""
    steps = round(360 / VIEW_DEGREES)
    return round(pan / VIEW_DEGREES) % steps


@functools.lru_cache(maxsize=8)
def _still(w: int, h: int, view: int) -> np.ndarray:
    """The still scene: grey gradient, a row of blocks (the view: video quality diagnosis needs
    one) and a texture, turned sideways by ``view``. The same in every frame: drawn once, not
    once a frame (at 720p that was most of a loop's encoding time)."""
    image = np.empty((h, w, 3), dtype=np.uint8)
    image[:] = (np.arange(w, dtype=np.uint16) * 160 // w + 40).astype(np.uint8)[None, :, None]
    for left, width, top, grey in _BLOCKS:
        image[int(top * h) : h - h // 10, int(left * w) : int((left + width) * w)] = grey
    textured = image.astype(np.int16) + _texture(w, h)[:, :, None]
    image = np.clip(textured, 0, 255).astype(np.uint8)
    if view:
        shift = round(view * VIEW_DEGREES / _FIELD_OF_VIEW * w) % w
        image = np.roll(image, -shift, axis=1)
    image.flags.writeable = False
    return image


def _draw(spec: VideoSpec, i: int, rng: np.random.Generator, view: int = 0) -> np.ndarray:
    """Frame ``i``: the still scene of ``view``; a bar that crosses once per loop, the
    counter, noise."""
    w, h = spec.width, spec.height
    image = _still(w, h, view).copy()
    bar_w = max(8, w // 16)
    x = (i * (w + bar_w)) // spec.loop_frames - bar_w
    image[:, max(0, x) : max(0, x + bar_w)] = (230, 180, 30)
    scale = max(2, h // 60)
    for k, ch in enumerate(f"{i:04d}"):
        bitmap = np.array([int(b) for b in _DIGITS[int(ch)]], dtype=bool).reshape(5, 3)
        glyph = np.kron(bitmap, np.ones((scale, scale), dtype=bool))
        top, left = scale * 2, scale * (2 + 4 * k)
        image[top : top + 5 * scale, left : left + 3 * scale][glyph] = 255
    noise = rng.integers(0, 24, (h, w, 1), dtype=np.uint8)
    out: np.ndarray = image + noise
    return out


def _picture(
    spec: VideoSpec, picture: Picture, i: int, rng: np.random.Generator, view: int
) -> np.ndarray:
    if picture == "black":
        return np.zeros((spec.height, spec.width, 3), dtype=np.uint8)
    return _draw(spec, i, rng, view)


def encode_loop(spec: VideoSpec, picture: Picture = "normal", view: int = 0) -> GopLoop:
    """Encode the loop (blocking, about a second at 720p: call it in a thread); a footage loop
    is read from its cache, encoded there first if it is not yet."""
    if spec.footage is not None and picture != "black":
        return _footage_loop(spec, spec.footage, picture)
    encoder, _, params_option = _ENCODERS[spec.codec]
    codec = cast(av.VideoCodecContext, av.CodecContext.create(encoder, "w"))
    codec.width, codec.height, codec.pix_fmt = spec.width, spec.height, "yuv420p"
    codec.time_base = Fraction(1, spec.fps)
    codec.framerate = Fraction(spec.fps)
    codec.bit_rate = spec.bitrate
    codec.gop_size = spec.gop_frames
    gop = spec.gop_frames
    params = f"keyint={gop}:min-keyint={gop}:scenecut=0:bframes=0:repeat-headers=1"
    if spec.codec == "h265":
        params += ":open-gop=0:log-level=error"
    codec.options = {"preset": "ultrafast", params_option: params}
    rng = np.random.default_rng(28181)
    frames: list[CachedFrame] = []
    for i in range(spec.loop_frames):
        image = av.VideoFrame.from_ndarray(_picture(spec, picture, i, rng, view), format="rgb24")
        image = image.reformat(format="yuv420p")
        image.pts = i
        frames += [CachedFrame(bytes(p), p.is_keyframe) for p in codec.encode(image)]
    frames += [CachedFrame(bytes(p), p.is_keyframe) for p in codec.encode(None)]
    if len(frames) != spec.loop_frames or not frames[0].keyframe:
        raise RuntimeError(f"{encoder} gave {len(frames)} frames for {spec.loop_frames}")
    if picture == "frozen":
        # A stuck encoder repeats its last picture exactly; re-encoding one still picture would
        # not (each GOP's P-frames refine its keyframe), so every frame is the first keyframe.
        frames = [frames[0]] * spec.loop_frames
    loop = GopLoop(spec, tuple(frames))
    log.info(
        "video loop encoded",
        extra={
            "codec": spec.codec,
            "picture": picture,
            "view": view,
            "frames": len(frames),
            "kbps": round(loop.bitrate / 1000),
        },
    )
    return loop


def _footage_loop(spec: VideoSpec, footage: Footage, picture: Picture) -> GopLoop:
    """The footage's frames as the loop (``frozen``: its first keyframe as every frame)."""
    shape = ClipInfo(spec.width, spec.height, spec.fps, spec.loop_frames)
    clip = cached_clip(footage, shape, gop=spec.gop_frames, bitrate=spec.bitrate)
    frames = tuple(CachedFrame(data, keyframe) for data, keyframe in clip)
    if picture == "frozen":
        frames = (frames[0],) * len(frames)
    loop = GopLoop(spec, frames)
    log.info(
        "video loop read",
        extra={
            "footage": footage.source.name,
            "picture": picture,
            "frames": len(frames),
            "kbps": round(loop.bitrate / 1000),
        },
    )
    return loop


_encoded: dict[tuple[VideoSpec, Picture, int], GopLoop] = {}
_pending: dict[tuple[VideoSpec, Picture, int], asyncio.Future[GopLoop]] = {}


async def shared_loop(spec: VideoSpec, picture: Picture = "normal", view: int = 0) -> GopLoop:
    """The process-wide loop for ``spec``, ``picture`` and ``view``, encoded in a worker thread
    on first use only.

    Concurrent callers (a swarm starting 100 devices) wait for the one encode in progress.
    Footage has one view (the camera is fixed).
    """
    key = (spec, picture, 0 if spec.footage is not None else view)
    done = _encoded.get(key)
    if done is not None:
        return done
    pending = _pending.get(key)
    if pending is not None and pending.get_loop() is asyncio.get_running_loop():
        return await asyncio.shield(pending)
    pending = asyncio.get_running_loop().create_future()
    _pending[key] = pending
    try:
        loop = await asyncio.to_thread(encode_loop, *key)
    except BaseException as exc:
        pending.set_exception(exc)
        pending.exception()  # retrieved: a failure nobody else awaits is not logged twice
        raise
    finally:
        _pending.pop(key, None)
    _encoded[key] = loop
    pending.set_result(loop)
    return loop
