"""PS interop with independent implementations, on real H.264 and H.265 from PyAV's encoders.

* Their muxer, our demuxer: FFmpeg's ``-f mpeg`` (H.264 and H.265) and GStreamer's
  ``mpegpsmux`` (H.264; GStreamer 1.22 has no H.265 in mpegpsmux) must give back exactly the
  access units the encoder produced, with their PTS.
* Our muxer, their demuxer: PyAV (FFmpeg 8) must decode every frame of what PsMuxer writes.
* Over RTP: PsMuxer → packetize_rtp → disorder → ReorderBuffer → PsFromRtp gives the same units.

FFmpeg cuts PES every 2 KB regardless of frames and gives a PES the PTS of the first frame that
starts in it, so a frame smaller than a PES would have no PTS in the stream at all. The clip is
therefore a test pattern plus noise, which keeps every frame larger than a PES.
"""

from __future__ import annotations

import io
import random
import shutil
import subprocess
from fractions import Fraction
from pathlib import Path
from typing import cast

import av
import numpy as np
import pytest

from vigil.protocols.ps import AccessUnit, PsDemuxer, PsFromRtp, PsMuxer, StreamType, packetize_rtp
from vigil.protocols.rtp import parse_rtp_header
from vigil.protocols.rtp_reorder import ReorderBuffer

FRAMES = 30
WIDTH, HEIGHT = 320, 240
FPS = 25
TICKS = 90000 // FPS
CODECS = {
    "h264": ("libx264", StreamType.H264, {"bf": "0", "preset": "ultrafast"}),
    "h265": (
        "libx265",
        StreamType.H265,
        {"preset": "ultrafast", "x265-params": "log-level=error:bframes=0:qp=12"},
    ),
}

FFMPEG = shutil.which("ffmpeg")
GST_LAUNCH = shutil.which("gst-launch-1.0")


def pattern_frame(i: int, rng: np.random.Generator) -> np.ndarray:
    """Colour bars that scroll, a moving box, and noise (so frames stay large)."""
    x = (np.arange(WIDTH) + 4 * i) % WIDTH
    bars = np.array(
        [
            [255, 255, 255],
            [255, 255, 0],
            [0, 255, 255],
            [0, 255, 0],
            [255, 0, 255],
            [255, 0, 0],
            [0, 0, 255],
            [0, 0, 0],
        ],
        dtype=np.uint8,
    )
    image = np.repeat(bars[x * 8 // WIDTH][None, :, :], HEIGHT, axis=0)
    image[40 + i : 80 + i, 2 * i : 2 * i + 40] = 128
    return image ^ rng.integers(0, 48, image.shape, dtype=np.uint8)


def encode(name: str) -> list[bytes]:
    codec_name, _, options = CODECS[name]
    codec = cast(av.VideoCodecContext, av.CodecContext.create(codec_name, "w"))
    codec.width, codec.height, codec.pix_fmt = WIDTH, HEIGHT, "yuv420p"
    codec.time_base = Fraction(1, FPS)
    codec.framerate = Fraction(FPS)
    codec.gop_size = 10
    codec.options = dict(options)
    rng = np.random.default_rng(1)
    packets: list[bytes] = []
    for i in range(FRAMES):
        frame = av.VideoFrame.from_ndarray(pattern_frame(i, rng), format="rgb24")
        frame = frame.reformat(format="yuv420p")
        frame.pts = i
        packets.extend(bytes(p) for p in codec.encode(frame))
    packets.extend(bytes(p) for p in codec.encode(None))
    assert len(packets) == FRAMES
    return packets


@pytest.fixture(scope="module", params=sorted(CODECS))
def clip(request: pytest.FixtureRequest) -> tuple[str, list[bytes]]:
    return request.param, encode(request.param)


def demux_file(data: bytes, chunk: int = 1400) -> list[AccessUnit]:
    demuxer = PsDemuxer()
    units: list[AccessUnit] = []
    for at in range(0, len(data), chunk):
        units += demuxer.feed(data[at : at + chunk])
    units += demuxer.flush()
    assert demuxer.skipped_bytes == 0
    return [u for u in units if u.is_video]


def assert_same_units(units: list[AccessUnit], packets: list[bytes], stream_type: int) -> None:
    assert [u.data for u in units] == packets
    assert {u.stream_type for u in units} == {stream_type}
    first = units[0].pts
    assert first is not None
    assert [(u.pts or 0) - first for u in units] == [i * TICKS for i in range(FRAMES)]
    assert [u.keyframe for u in units] == [i % 10 == 0 for i in range(FRAMES)]


def test_ffmpeg_muxed_ps(clip: tuple[str, list[bytes]], tmp_path: Path) -> None:
    if FFMPEG is None:
        pytest.skip("ffmpeg is not installed (Debian package ffmpeg)")
    name, packets = clip
    raw = tmp_path / f"clip.{name}"
    raw.write_bytes(b"".join(packets))
    out = tmp_path / "clip.ps"
    fmt = "h264" if name == "h264" else "hevc"
    command = [FFMPEG, "-v", "error", "-f", fmt, "-r", str(FPS), "-i", str(raw)]
    subprocess.run([*command, "-c", "copy", "-f", "mpeg", "-y", str(out)], check=True, timeout=60)
    assert_same_units(demux_file(out.read_bytes()), packets, CODECS[name][1])


# Debian's GStreamer 1.22 mpegpsmux takes no video/x-h265: H.265 is checked against FFmpeg only.
@pytest.mark.parametrize("clip", ["h264"], indirect=True)
def test_gstreamer_muxed_ps(clip: tuple[str, list[bytes]], tmp_path: Path) -> None:
    _name, packets = clip
    if GST_LAUNCH is None or FFMPEG is None:
        pytest.skip("gst-launch-1.0 (and ffmpeg, to give the clip timestamps) are needed")
    raw = tmp_path / "clip.h264"
    raw.write_bytes(b"".join(packets))
    mkv = tmp_path / "clip.mkv"
    subprocess.run(
        [
            FFMPEG,
            "-v",
            "error",
            "-f",
            "h264",
            "-r",
            str(FPS),
            "-i",
            str(raw),
            "-c",
            "copy",
            str(mkv),
        ],
        check=True,
        timeout=60,
    )
    out = tmp_path / "clip.ps"
    pipeline = (
        f"filesrc location={mkv} ! matroskademux ! h264parse "
        "! video/x-h264,stream-format=byte-stream,alignment=au "
        f"! mpegpsmux ! filesink location={out}"
    )
    subprocess.run([GST_LAUNCH, "-q", *pipeline.split()], check=True, timeout=60)
    units = demux_file(out.read_bytes())
    # h264parse hands the muxer each frame with an access unit delimiter in front and every
    # start code made 4 bytes long: compare the NAL units, which it leaves alone.
    assert [nal_units(u.data, skip_aud=True) for u in units] == [nal_units(p) for p in packets]
    assert [u.pts - (units[0].pts or 0) for u in units if u.pts is not None] == [
        i * TICKS for i in range(FRAMES)
    ]


def nal_units(data: bytes, *, skip_aud: bool = False) -> list[bytes]:
    """An Annex B frame's NAL units without start codes (a NAL never ends in a zero byte)."""
    nals = [n.rstrip(b"\x00") for n in data.split(b"\x00\x00\x01")[1:]]
    return [n for n in nals if not (skip_aud and n[0] & 0x1F == 9)]


def test_pyav_decodes_our_ps(clip: tuple[str, list[bytes]]) -> None:
    name, packets = clip
    muxer = PsMuxer(CODECS[name][1], StreamType.G711A)
    ps = b"".join(
        muxer.mux_video(p, i * TICKS) + muxer.mux_audio(b"\xd5" * 320, i * TICKS)
        for i, p in enumerate(packets)
    )
    with av.open(io.BytesIO(ps), "r", format="mpeg") as container:
        stream = container.streams.video[0]
        assert stream.codec_context.name == ("h264" if name == "h264" else "hevc")
        decoded = list(container.decode(stream))
    assert len(decoded) == FRAMES
    assert (decoded[0].width, decoded[0].height) == (WIDTH, HEIGHT)
    assert [f.pts for f in decoded] == [i * TICKS for i in range(FRAMES)]


def test_rtp_round_trip_with_disorder(clip: tuple[str, list[bytes]]) -> None:
    name, packets = clip
    muxer = PsMuxer(CODECS[name][1])
    rtp: list[bytes] = []
    for i, p in enumerate(packets):
        rtp += packetize_rtp(
            muxer.mux_video(p, i * TICKS), ssrc=1, seq=len(rtp), timestamp=i * TICKS
        )
    rnd = random.Random(28181)
    for at in rnd.sample(range(1, len(rtp) - 3), 10):
        rtp[at], rtp[at + 2] = rtp[at + 2], rtp[at]
    reorder: ReorderBuffer[bytes] = ReorderBuffer()
    receiver = PsFromRtp()
    units: list[AccessUnit] = []
    for t, packet in enumerate(rtp):
        seq, ts = parse_rtp_header(packet)[:2]
        for ordered in reorder.push(seq, ts, packet, t * 0.0005):
            units += receiver.push(ordered)
    for ordered in reorder.flush():
        units += receiver.push(ordered)
    units += receiver.flush()
    assert reorder.reordered > 0 and reorder.lost == 0
    assert_same_units(units, packets, CODECS[name][1])
