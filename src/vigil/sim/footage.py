"""Real footage as a simulated camera's picture: a clip re-encoded to H.264 once, then replayed.

The synthetic picture (:mod:`vigil.sim.video`) shows that video flows; detection, tracking and
rules need people and vehicles, so a camera can send a real clip instead (the demo's is
``vtest.avi`` from Debian's ``opencv-doc``, MS-MPEG4 at 768×576 and 10 fps). The clip is decoded
and re-encoded to H.264 the way the synthetic loop is (a keyframe every ``gop`` frames, no
B-frames, parameter sets before every keyframe, so a viewer joins at the next second and the
loop's seam decodes cleanly) and the result is cached under the data directory as a raw Annex B
file (``ffplay`` plays it), keyed by a hash of the source and the encoding settings. Every later
start reads it back in a few milliseconds: a stream of footage costs no encoding at all.

The clip is cut to whole GOPs (795 frames at a GOP of 10 play as 790), so that the loop ends just
before a keyframe. Failures to read the source or write the cache are :class:`FootageError`, so
a caller can say the footage is missing and carry on with the synthetic picture.
"""

from __future__ import annotations

import hashlib
import logging
import os
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import av

__all__ = ["ClipInfo", "EncodedClip", "Footage", "FootageError", "cached_clip", "probe"]

log = logging.getLogger(__name__)

#: x264's speed preset for the one-time re-encode: a second or two for the demo clip on one core,
#: and some 5 dB (PSNR) better than ``ultrafast`` would give at the same bitrate.
_PRESET = "veryfast"
#: Bumped when the encoding changes in a way the settings in the cache key do not show.
_CACHE_VERSION = 1
#: ``encoded`` below: one frame's Annex B bytes and whether it is a keyframe.
EncodedClip = list[tuple[bytes, bool]]


class FootageError(Exception):
    """The footage cannot be had: its file is missing or unreadable, or the cache is unwritable."""


@dataclass(frozen=True, slots=True)
class Footage:
    """A clip to replay; ``seconds`` takes an excerpt from its start (None: the whole clip)."""

    source: Path
    cache_dir: Path
    seconds: float | None = None


@dataclass(frozen=True, slots=True)
class ClipInfo:
    """What a clip is: picture size, frame rate (whole frames a second) and frame count."""

    width: int
    height: int
    fps: int
    frames: int


def probe(source: Path) -> ClipInfo:
    """The clip's picture size, frame rate and frame count (counted by demuxing when the
    container does not say)."""
    try:
        with av.open(str(source)) as container:
            stream = container.streams.video[0]
            rate = stream.average_rate or stream.guessed_rate
            frames = stream.frames or sum(1 for p in container.demux(stream) if p.size)
            if rate is None or not stream.width or not stream.height:
                raise FootageError(f"{source}: no frame rate or picture size")
            return ClipInfo(stream.width, stream.height, round(rate), frames)
    except (OSError, IndexError, av.FFmpegError) as exc:
        raise FootageError(f"{source}: {exc}") from None


def cached_clip(footage: Footage, shape: ClipInfo, *, gop: int, bitrate: int) -> EncodedClip:
    """The clip's first ``shape.frames`` frames at ``shape``'s size and rate as H.264 access
    units; encoded now (blocking, seconds: call it in a thread) unless the cache holds them."""
    digest = _digest(footage, shape, gop, bitrate)
    target = footage.cache_dir / f"{footage.source.stem}-{digest}.h264"
    if target.is_file():
        clip = _read(target)
        if len(clip) == shape.frames and clip[0][1]:
            return clip
        log.warning("footage cache unreadable, encoding again", extra={"path": str(target)})
    clip = _encode(footage.source, shape, gop=gop, bitrate=bitrate)
    try:
        footage.cache_dir.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(f".{target.name}.{os.getpid()}.tmp")
        partial.write_bytes(b"".join(data for data, _ in clip))
        os.replace(partial, target)  # whole or absent: a reader never sees half a file
    except OSError as exc:
        raise FootageError(f"footage cache {footage.cache_dir}: {exc}") from None
    log.info("footage encoded", extra={"path": str(target), "frames": len(clip)})
    return clip


def _digest(footage: Footage, shape: ClipInfo, gop: int, bitrate: int) -> str:
    """16 hex digits of SHA-256 over the source's bytes and every setting of the encoding."""
    settings = f"{_CACHE_VERSION} {_PRESET} {shape} {gop} {bitrate}\n"
    digest = hashlib.sha256(settings.encode())
    try:
        with footage.source.open("rb") as file:
            while chunk := file.read(1 << 20):
                digest.update(chunk)
    except OSError as exc:
        raise FootageError(f"{footage.source}: {exc}") from None
    return digest.hexdigest()[:16]


def _encode(source: Path, shape: ClipInfo, *, gop: int, bitrate: int) -> EncodedClip:
    """Decode the clip's first ``shape.frames`` frames and encode them as the loop's H.264."""
    frames = shape.frames
    codec = av.CodecContext.create("libx264", "w")
    codec.width, codec.height, codec.pix_fmt = shape.width, shape.height, "yuv420p"
    codec.time_base = Fraction(1, shape.fps)
    codec.framerate = Fraction(shape.fps)
    codec.bit_rate = bitrate
    codec.gop_size = gop
    params = f"keyint={gop}:min-keyint={gop}:scenecut=0:bframes=0:repeat-headers=1"
    codec.options = {"preset": _PRESET, "x264-params": params}
    clip: EncodedClip = []
    try:
        with av.open(str(source)) as container:
            for i, picture in enumerate(container.decode(video=0)):
                if i == frames:
                    break
                image = picture.reformat(shape.width, shape.height, format="yuv420p")
                image.pts = i
                # The source's own keyframes would force keyframes in the loop (x264 honours a
                # frame's picture type): the loop's GOPs are its own.
                image.pict_type = av.video.frame.PictureType.NONE
                clip += [(bytes(p), p.is_keyframe) for p in codec.encode(image)]
    except (OSError, av.FFmpegError) as exc:
        raise FootageError(f"{source}: {exc}") from None
    clip += [(bytes(p), p.is_keyframe) for p in codec.encode(None)]
    if len(clip) != frames or not clip[0][1]:
        raise FootageError(f"{source}: {len(clip)} frames encoded, {frames} wanted")
    return clip


def _read(path: Path) -> EncodedClip:
    """The access units of a cached Annex B file, as the H.264 parser splits them."""
    try:
        with av.open(str(path), format="h264") as container:
            return [(bytes(p), p.is_keyframe) for p in container.demux(video=0) if p.size]
    except (OSError, av.FFmpegError):
        return []
