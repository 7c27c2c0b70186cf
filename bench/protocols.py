"""Protocol core throughput: RTP header parsing, PS demux, SIP parsing, each beside a reference.

Run as ``.venv/bin/python bench/protocols.py``. The PS stream is real H.264 at about 4 Mbit/s,
encoded here with PyAV's libx264, muxed with Vigil's PsMuxer and split into 1400-byte RTP packets
the way GB/T 28181 cameras send it. Each figure is the best of a few repeats on one core; beside
it runs a reference in the same process on the same bytes:

* RTP: a bare ``struct.unpack_from`` of the fixed header over the same packets.
* PS: a bare ``bytes.find(b"\\x00\\x00\\x01")`` scan of the same buffer (what any start-code
  demuxer must at least do), and a loop that only appends the 1400-byte chunks (the floor for any
  Python code called once per chunk).
* SIP: ``bytes.split(b"\\r\\n")`` of the same message.

The last line printed is one JSON object with every figure.
"""

from __future__ import annotations

import json
import struct
import time
from collections.abc import Callable
from fractions import Fraction
from typing import Any

import av
import numpy as np

from vigil.protocols.ps import PsDemuxer, PsFromRtp, PsMuxer, StreamType, packetize_rtp
from vigil.protocols.rtp import parse_rtp_header

REFERENCES = (
    "what the references do not do: unpack_from reads the fixed 12-byte RTP header only (no "
    "version, CSRC, extension or padding checks, no packet object); the find scan only locates "
    "start codes and the append loop only collects chunks (no pack, system or PES header "
    "parsing, no frame assembly, no timestamps); split CRLF only splits lines (no start line, "
    "header names, Content-Length or body)."
)

CAMERA_BITS_PER_S = 4_000_000
WIDTH, HEIGHT, FPS = 1280, 720, 25
SECONDS = 4
REPEATS = 5
CHUNK = 1400
SSRC = 100_000_001

REGISTER = (
    b"REGISTER sip:34020000002000000001@3402000000 SIP/2.0\r\n"
    b"Via: SIP/2.0/UDP 192.168.1.64:5060;rport;branch=z9hG4bK1528486733\r\n"
    b"From: <sip:34020000001320000001@3402000000>;tag=1793431397\r\n"
    b"To: <sip:34020000001320000001@3402000000>\r\n"
    b"Call-ID: 1407632493\r\n"
    b"CSeq: 1 REGISTER\r\n"
    b"Contact: <sip:34020000001320000001@192.168.1.64:5060>\r\n"
    b"Max-Forwards: 70\r\n"
    b"User-Agent: IP Camera\r\n"
    b"Expires: 3600\r\n"
    b"Content-Length: 0\r\n\r\n"
)
_KEEPALIVE_BODY = (
    b'<?xml version="1.0" encoding="GB2312"?>\r\n<Notify>\r\n<CmdType>Keepalive</CmdType>\r\n'
    b"<SN>43</SN>\r\n<DeviceID>34020000001320000001</DeviceID>\r\n<Status>OK</Status>\r\n"
    b"</Notify>\r\n"
)
KEEPALIVE = (
    b"MESSAGE sip:34020000002000000001@3402000000 SIP/2.0\r\n"
    b"Via: SIP/2.0/UDP 192.168.1.64:5060;rport;branch=z9hG4bK1882354410\r\n"
    b"From: <sip:34020000001320000001@3402000000>;tag=1204573036\r\n"
    b"To: <sip:34020000002000000001@3402000000>\r\n"
    b"Call-ID: 1653243957\r\n"
    b"CSeq: 20 MESSAGE\r\n"
    b"Content-Type: Application/MANSCDP+xml\r\n"
    b"Max-Forwards: 70\r\n"
    b"User-Agent: IP Camera\r\n"
    b"Content-Length: " + str(len(_KEEPALIVE_BODY)).encode() + b"\r\n\r\n" + _KEEPALIVE_BODY
)


def best_time(fn: Callable[[], object], repeats: int = REPEATS) -> float:
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def encode_h264() -> list[bytes]:
    """A few seconds of 720p H.264 at ~4 Mbit/s from moving noisy gradients (not compressible)."""
    codec = av.CodecContext.create("libx264", "w")
    codec.width, codec.height, codec.pix_fmt = WIDTH, HEIGHT, "yuv420p"
    codec.time_base = Fraction(1, FPS)
    codec.framerate = Fraction(FPS)
    codec.gop_size = 2 * FPS
    codec.bit_rate = CAMERA_BITS_PER_S
    codec.options = {"preset": "ultrafast", "bf": "0", "tune": "zerolatency"}
    rng = np.random.default_rng(7)
    ramp = np.add.outer(np.arange(HEIGHT), np.arange(WIDTH)).astype(np.uint8)
    frames: list[bytes] = []
    for i in range(SECONDS * FPS):
        image = np.stack([ramp + np.uint8(3 * i % 256), ramp - np.uint8(2 * i % 256), ramp], 2)
        image = image + rng.integers(0, 24, image.shape, dtype=np.uint8)
        frame = av.VideoFrame.from_ndarray(image, format="rgb24").reformat(format="yuv420p")
        frame.pts = i
        frames.extend(bytes(p) for p in codec.encode(frame))
    frames.extend(bytes(p) for p in codec.encode(None))
    return frames


def build_stream(frames: list[bytes]) -> tuple[bytes, list[bytes]]:
    muxer = PsMuxer(StreamType.H264)
    ps_parts = []
    packets: list[bytes] = []
    seq = 0
    for i, frame in enumerate(frames):
        ps = muxer.mux_video(frame, i * 3600)
        ps_parts.append(ps)
        rtp = packetize_rtp(ps, ssrc=SSRC, seq=seq, timestamp=i * 3600)
        seq += len(rtp)
        packets.extend(rtp)
    return b"".join(ps_parts), packets


def bench_rtp(packets: list[bytes]) -> dict[str, float]:
    header = struct.Struct("!BBHII").unpack_from

    def ours() -> None:
        for p in packets:
            parse_rtp_header(p)

    def reference() -> None:
        for p in packets:
            header(p)

    n = len(packets)
    return {"rtp_pkts_per_s": n / best_time(ours), "rtp_ref_pkts_per_s": n / best_time(reference)}


def bench_ps(ps: bytes, packets: list[bytes], frames: int) -> dict[str, float]:
    chunks = [ps[i : i + CHUNK] for i in range(0, len(ps), CHUNK)]
    counted: list[int] = []

    def demux() -> None:
        demuxer = PsDemuxer()
        units = 0
        for chunk in chunks:
            units += len(demuxer.feed(chunk))
        units += len(demuxer.flush())
        counted.append(units)

    def find_scan() -> None:
        find = ps.find
        at = find(b"\x00\x00\x01")
        while at >= 0:
            at = find(b"\x00\x00\x01", at + 3)

    def append_floor() -> None:
        parts: list[bytes] = []
        for chunk in chunks:
            parts.append(chunk)
        b"".join(parts)

    def rtp_and_demux() -> None:
        receiver = PsFromRtp()
        for packet in packets:
            receiver.push(packet)
        receiver.flush()

    mb = len(ps) / 1e6
    figures = {
        "ps_mb_per_s": mb / best_time(demux),
        "ps_ref_find_mb_per_s": mb / best_time(find_scan),
        "ps_ref_append_mb_per_s": mb / best_time(append_floor),
        "ps_rtp_mb_per_s": mb / best_time(rtp_and_demux),
    }
    if counted[-1] != frames:
        raise SystemExit(f"demuxer returned {counted[-1]} frames, {frames} were muxed")
    return figures


def bench_sip() -> dict[str, Any]:
    try:
        from vigil.protocols.sip import parse_message
    except ImportError:
        return {"sip_msgs_per_s": None, "sip_ref_msgs_per_s": None}
    messages = [REGISTER, KEEPALIVE] * 5000

    def ours() -> None:
        for m in messages:
            parse_message(m)

    def reference() -> None:
        for m in messages:
            m.split(b"\r\n")

    n = len(messages)
    return {"sip_msgs_per_s": n / best_time(ours), "sip_ref_msgs_per_s": n / best_time(reference)}


def ratio(a: float | None, b: float | None) -> float | None:
    return None if a is None or not b else round(a / b, 3)


def main() -> None:
    frames = encode_h264()
    one_pass, _ = build_stream(frames)
    bitrate = len(one_pass) * 8 * FPS / len(frames)
    # Repeat the clip so each timed run covers ~80 s of one camera's video.
    ps_long, packets_long = build_stream(frames * 20)
    results: dict[str, Any] = {"ps_stream_mbit_per_s": round(bitrate / 1e6, 2)}
    results.update(bench_rtp(packets_long))
    results.update(bench_ps(ps_long, packets_long, len(frames) * 20))
    results.update(bench_sip())
    cameras = results["ps_rtp_mb_per_s"] * 1e6 * 8 / CAMERA_BITS_PER_S
    results["ps_cameras_per_core"] = round(cameras, 1)
    results["ps_vs_find_ratio"] = ratio(results["ps_mb_per_s"], results["ps_ref_find_mb_per_s"])
    results["ps_vs_append_ratio"] = ratio(results["ps_mb_per_s"], results["ps_ref_append_mb_per_s"])
    results["rtp_vs_unpack_ratio"] = ratio(results["rtp_pkts_per_s"], results["rtp_ref_pkts_per_s"])
    results["sip_vs_split_ratio"] = ratio(results["sip_msgs_per_s"], results["sip_ref_msgs_per_s"])
    rows = [
        ("RTP header parse", "rtp_pkts_per_s", "pkt/s", "rtp_ref_pkts_per_s", "unpack_from"),
        ("PS demux (1400 B chunks)", "ps_mb_per_s", "MB/s", "ps_ref_find_mb_per_s", "find scan"),
        ("PS demux", "ps_mb_per_s", "MB/s", "ps_ref_append_mb_per_s", "append loop"),
        ("RTP + PS demux", "ps_rtp_mb_per_s", "MB/s", "ps_ref_find_mb_per_s", "find scan"),
        ("SIP parse", "sip_msgs_per_s", "msg/s", "sip_ref_msgs_per_s", "split CRLF"),
    ]
    print(f"stream: {len(frames)} frames {WIDTH}x{HEIGHT} H.264, {bitrate / 1e6:.2f} Mbit/s PS")
    print(f"{'figure':<26}{'ours':>14}{'reference':>14}  {'ratio':>7}  unit / reference")
    for label, key, unit, ref_key, ref_name in rows:
        ours, ref = results[key], results[ref_key]
        if ours is None:
            print(f"{label:<26}{'n/a':>14}{'n/a':>14}  {'':>7}  {unit} / {ref_name}")
            continue
        print(f"{label:<26}{ours:>14,.1f}{ref:>14,.1f}  {ours / ref:>7.3f}  {unit} / {ref_name}")
    print(f"cameras at 4 Mbit/s per core (RTP + PS): {results['ps_cameras_per_core']}")
    print(REFERENCES)
    rounded = {
        k: round(v, 1 if v > 100 else 3) if isinstance(v, float) else v for k, v in results.items()
    }
    print(json.dumps(rounded, sort_keys=True))


if __name__ == "__main__":
    main()
