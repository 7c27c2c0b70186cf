"""Media plane benchmark: GB PS-over-RTP streams received, recorded and served live per core.

Three phases, one run, no arguments (about two minutes):

1. Vigil: ``STREAMS`` simulated cameras send 4 Mbit/s H.264 (1280×720, 25 fps) as PS over RTP
   over UDP from a separate sender process. The benchmark process (uvloop) receives them
   (RtpReceiver → reorder → PS demux → hub), records each (the recording engineer's Recorder,
   segment files on disk) and serves each live (one fMP4 muxer per stream with a draining viewer).
   Its CPU time over a steady window gives streams per core = streams / (CPU s per wall s).
2. FFmpeg: ``FFMPEG_STREAMS`` ``ffmpeg -f mpeg -i udp://… -c copy`` processes receive the same
   PS (over plain UDP: FFmpeg has no PS-over-RTP depacketizer) and remux it to fragmented MP4 on
   disk (receive + demux + remux + record, no live output); their CPU time gives the same figure.
3. Latency: one camera through a real Vigil node: POST /live, WebSocket fMP4; each frame carries
   its send time in an SEI NAL unit, read back from each fragment the WebSocket delivers (the
   first GOP, sent on purpose from the past so playback starts at a keyframe, is skipped).

Prints a table and, as its last line, JSON with streams_per_core, ffmpeg_streams_per_core,
latency_ms_p50 and the rest; ``media_path`` says whether the compiled per-packet path
(``vigil.media._accel``) ran or the Python one (``VIGIL_MEDIA_PYTHON=1`` forces the latter).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import multiprocessing
import os
import shutil
import signal
import socket
import statistics
import struct
import subprocess
import sys
import tempfile
import time
from fractions import Fraction
from pathlib import Path
from typing import Any

import av
import httpx
import numpy as np
import uvloop
import websockets

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from vigil.media import accel  # noqa: E402
from vigil.media.packet import StreamKey  # noqa: E402
from vigil.protocols.ps import PsMuxer, packetize_rtp  # noqa: E402

STREAMS = 40
FFMPEG_STREAMS = 8
DECODED = 8  # recordings decoded whole (all are demuxed and counted)
WINDOW = 20.0
WARMUP = 6.0
FPS = 25
BITRATE = 4_000_000
REFERENCE = (
    "FFmpeg's run receives the same PS over plain UDP (no RTP: no SSRC check, no reordering, "
    "no loss or jitter accounting), demuxes it and remuxes it to one fragmented MP4 file per "
    "stream (-c copy); it serves no live view, and its files are not segmented, hashed or "
    "indexed. Its RSS includes its own copy of its libraries; Vigil's is growth in one process."
)
SEI_UUID = b"vigil-bench-time"  # 16 bytes: user_data_unregistered
_TIME = struct.Struct("!d")


def make_clip(seconds: int = 2) -> list[bytes]:
    encoder = av.VideoCodecContext.create("libx264", "w")
    encoder.width, encoder.height, encoder.pix_fmt = 1280, 720, "yuv420p"
    encoder.time_base, encoder.framerate = Fraction(1, FPS), Fraction(FPS)
    encoder.bit_rate, encoder.gop_size = BITRATE, FPS
    encoder.options = {"bframes": "0", "preset": "ultrafast", "tune": "zerolatency"}
    rng = np.random.default_rng(7)
    frames: list[bytes] = []
    for i in range(seconds * FPS):
        image = rng.integers(0, 255, (720, 1280, 3), np.uint8) // 4 + (i * 3) % 192
        frame = av.VideoFrame.from_ndarray(image.astype(np.uint8), format="rgb24")
        frame = frame.reformat(format="yuv420p")
        frame.pts = i
        frames.extend(bytes(p) for p in encoder.encode(frame))
    frames.extend(bytes(p) for p in encoder.encode(None))
    return frames


def sei(sent: float) -> bytes:
    payload = SEI_UUID + _TIME.pack(sent)
    return b"\x00\x00\x00\x01\x06\x05" + bytes([len(payload)]) + payload + b"\x80"


def send_streams(
    ports: list[int], frames: list[bytes], seconds: float, raw: bool, sent: Any = None
) -> None:
    """Sender process: every port gets its own SSRC, sequence and timestamps, 25 fps.

    ``raw`` sends the RTP payloads (the PS bytes) without the RTP header: FFmpeg has no
    depacketizer for PS over RTP (``MP2P``), so its reference run reads PS from plain UDP.
    """
    socks = []
    for port in ports:
        sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 4 << 20)
        sock.connect(("127.0.0.1", port))
        socks.append(sock)
    muxer = PsMuxer()
    seqs = [0] * len(ports)
    started = time.monotonic()
    index = 0
    while time.monotonic() - started < seconds:
        data = frames[index % len(frames)]
        pts = index * (90000 // FPS)
        ps = muxer.mux_video(data, pts)
        for n, sock in enumerate(socks):
            packets = packetize_rtp(ps, ssrc=1000 + n, seq=seqs[n], timestamp=pts & 0xFFFFFFFF)
            seqs[n] = (seqs[n] + len(packets)) & 0xFFFF
            for packet in packets:
                with contextlib.suppress(OSError):  # the receiver already closed its port
                    sock.send(packet[12:] if raw else packet)
        index += 1
        time.sleep(max(0.0, started + index / FPS - time.monotonic()))
    if sent is not None:
        sent.value = index
    for sock in socks:
        sock.close()


def start_sender(
    ports: list[int], frames: list[bytes], seconds: float, raw: bool = False, sent: Any = None
) -> multiprocessing.Process:
    process = multiprocessing.Process(
        target=send_streams, args=(ports, frames, seconds, raw, sent), name="bench.sender"
    )
    process.start()
    return process


async def vigil_phase(frames: list[bytes], workdir: Path) -> dict[str, Any]:
    from vigil.media.hub import StreamHub
    from vigil.media.live.broadcast import Broadcasts
    from vigil.media.recording.recorder import Recorder
    from vigil.media.recording.segmenter import Segmenter
    from vigil.media.sources.gb import GbSource
    from vigil.media.sources.ports import PortPool
    from vigil.media.sources.rtp_receiver import RtpReceiver
    from vigil.media.sources.ssrc import SsrcPool
    from vigil.media.sources.udp_poller import UdpPoller

    rss0 = rss_kib()
    ports, ssrcs, poller = PortPool(32000, 32999), SsrcPool("3402000000"), UdpPoller()
    receivers: dict[StreamKey, RtpReceiver] = {}

    async def open_source(key: StreamKey) -> GbSource:
        receiver = RtpReceiver(key, "udp", "127.0.0.1", ports, ssrcs, poller=poller)
        await receiver.open()
        receivers[key] = receiver
        return GbSource(receiver, no_media_timeout=60)

    class NoGaps:
        async def add_gap(self, key: StreamKey, start: float, end: float, cause: str) -> None:
            return None

    async def closed(_segment: object) -> None:
        return None

    hub = StreamHub(open_source, linger=0)
    broadcasts = Broadcasts(hub, timeout=20)
    keys = [StreamKey(f"3401000000132{n:07d}") for n in range(STREAMS)]
    tasks, recorded = [], []
    for key in keys:
        packets = await hub.subscribe(key)
        recorded.append(packets)
        recorder = Recorder(
            Segmenter(workdir / "rec", key, 60.0, closed), NoGaps(), lambda at: True
        )
        tasks.append(asyncio.create_task(recorder.run(packets), name=f"bench.rec:{key}"))
    sent = multiprocessing.Value("i", 0)
    sender = start_sender([receivers[k].port for k in keys], frames, WARMUP + WINDOW + 3, sent=sent)
    fragments = [0]

    async def drain(key: StreamKey) -> None:
        viewer = await broadcasts.join(key)
        async for _ in viewer.fragments:
            fragments[0] += 1

    tasks += [asyncio.create_task(drain(k), name=f"bench.view:{k}") for k in keys]
    await asyncio.sleep(WARMUP)
    cpu0, wall0, frames0 = time.process_time(), time.monotonic(), fragments[0]
    rx0 = sum(r.stats.frames for r in receivers.values())
    await asyncio.sleep(WINDOW)
    cpu, wall = time.process_time() - cpu0, time.monotonic() - wall0
    rss = rss_kib()
    rx = sum(r.stats.frames for r in receivers.values()) - rx0
    served = fragments[0] - frames0
    # The sender's last seconds must be received (and recorded) before the tasks stop: a
    # blocking join here would leave them in the sockets' buffers.
    await asyncio.to_thread(sender.join)
    await drained(receivers, recorded)
    lost = sum(r.stats.lost for r in receivers.values())
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    await broadcasts.stop()
    await hub.stop()
    poller.close()
    expected = STREAMS * FPS * wall
    return check_recordings(workdir / "rec", sent.value) | {
        "rss_mib_per_stream": (rss - rss0) / 1024 / STREAMS,
        "streams": STREAMS,
        "cpu_fraction": cpu / wall,
        "streams_per_core": STREAMS / (cpu / wall),
        "frames_received_ratio": rx / expected,
        "fragments_served_ratio": served / expected,
        "packets_lost": lost,
    }


async def drained(receivers: dict[StreamKey, Any], recorded: list[Any], limit: float = 15) -> None:
    """Wait until no frame arrives any more and every recorder has taken all it was offered."""
    deadline, last = time.monotonic() + limit, -1
    while time.monotonic() < deadline:
        frames = sum(r.stats.frames for r in receivers.values())
        if frames == last and not any(s.pending for s in recorded):
            return
        last = frames
        await asyncio.sleep(0.5)


def rss_kib(pid: int | str = "self") -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


_PROBE = ["ffprobe", "-v", "error", "-count_frames", "-select_streams", "v:0", "-show_entries"]
_PROBE += ["stream=nb_read_frames", "-of", "csv=p=0"]


def check_recordings(root: Path, sent: int) -> dict[str, Any]:
    """Every stream's recording against what was sent: its frames (demuxed) and duration; and
    ``DECODED`` of them decoded whole by ffprobe, which must report no error.

    A stream's last frame may still be in the receiver (a frame ends when the next begins), so a
    recording one frame short is complete.
    """
    files = sorted(root.rglob("*.mp4"))
    counts, durations = [], []
    for path in files:
        with av.open(str(path)) as container:
            stream = container.streams.video[0]
            pts = [p.pts for p in container.demux(stream) if p.pts is not None]
            counts.append(len(pts))
            span = (max(pts) - min(pts)) * float(stream.time_base or 0) if pts else 0.0
            durations.append(span + 1 / FPS)
    errors, decoded = 0, []
    for path in files[:DECODED]:
        probe = subprocess.run(
            [*_PROBE, str(path)],
            capture_output=True,
            text=True,
        )
        errors += bool(probe.stderr.strip()) or probe.returncode != 0
        decoded.append(int(probe.stdout.strip() or 0))
    short = [sent - n for n in counts]
    return {
        "recordings": len(files),
        "frames_sent_per_stream": sent,
        "recorded_frames_short_max": max(short, default=sent),
        "recorded_frames_short_min": min(short, default=sent),
        "recorded_seconds_min": min(durations, default=0.0),
        "sent_seconds": sent / FPS,
        "recordings_decoded": len(decoded),
        "decoded_frames_match": all(d == n for d, n in zip(decoded, counts[:DECODED], strict=True)),
        "decode_errors": errors,
    }


def ffmpeg_phase(frames: list[bytes], workdir: Path) -> dict[str, Any]:
    ports = list(range(33000, 33000 + 2 * FFMPEG_STREAMS, 2))
    processes = []
    for n, port in enumerate(ports):
        processes.append(
            subprocess.Popen(
                [
                    "ffmpeg",
                    "-nostdin",
                    "-v",
                    "error",
                    "-f",
                    "mpeg",
                    "-i",
                    f"udp://127.0.0.1:{port}?fifo_size=1000000&overrun_nonfatal=1",
                    "-c",
                    "copy",
                    "-f",
                    "mp4",
                    "-movflags",
                    "frag_keyframe+empty_moov",
                    "-y",
                    str(workdir / f"f{n}.mp4"),
                ],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        )
    try:
        return _measure_ffmpeg(processes, ports, frames, workdir)
    finally:
        for process in processes:
            if process.poll() is None:
                process.kill()
                process.wait()


def _measure_ffmpeg(
    processes: list[subprocess.Popen[bytes]], ports: list[int], frames: list[bytes], workdir: Path
) -> dict[str, Any]:
    time.sleep(1.0)
    sender = start_sender(ports, frames, WARMUP + WINDOW + 2, raw=True)
    time.sleep(WARMUP)
    tick = os.sysconf("SC_CLK_TCK")

    def cpu() -> float:
        total = 0
        for process in processes:
            fields = Path(f"/proc/{process.pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])
        return total / tick

    cpu0, wall0 = cpu(), time.monotonic()
    time.sleep(WINDOW)
    used, wall = cpu() - cpu0, time.monotonic() - wall0
    rss = sum(rss_kib(p.pid) for p in processes) / 1024 / FFMPEG_STREAMS
    sender.join()
    for process in processes:
        process.send_signal(signal.SIGINT)  # FFmpeg finishes its file on SIGINT
    for process in processes:
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    files = [workdir / f"f{n}.mp4" for n in range(FFMPEG_STREAMS)]
    written = [f.stat().st_size if f.exists() else 0 for f in files]
    if min(written) < 1_000_000:
        # Its CPU figure would be meaningless (it did not do the work): report none.
        return {"ffmpeg_streams": FFMPEG_STREAMS, "ffmpeg_error": f"wrote {written} bytes"}
    return {
        "ffmpeg_streams": FFMPEG_STREAMS,
        "ffmpeg_cpu_fraction": used / wall,
        "ffmpeg_streams_per_core": FFMPEG_STREAMS / (used / wall),
        "ffmpeg_rss_mib_per_stream": rss,
    }


async def latency_phase(frames: list[bytes], workdir: Path) -> dict[str, Any]:
    sys.path.insert(0, str(ROOT))
    from tests.integration.media.live_support import CHANNEL, add_camera_channel, serve

    from vigil.app import Vigil
    from vigil.config import load_settings
    from vigil.media.sources.gb import GbSource

    settings = load_settings(
        data_dir=workdir / "node", admin_password="Bench-Admin-Pass-1", rtp_ports="34000-34009"
    )
    node = Vigil(settings)
    await node.start()
    await add_camera_channel(node)
    stop = [False]

    async def camera(port: int) -> None:
        loop = asyncio.get_running_loop()
        transport, _ = await loop.create_datagram_endpoint(
            asyncio.DatagramProtocol, remote_addr=("127.0.0.1", port)
        )
        muxer, seq, index, started = PsMuxer(), 0, 0, time.monotonic()
        while not stop[0]:
            pts = index * (90000 // FPS)
            ps = muxer.mux_video(sei(time.time()) + frames[index % len(frames)], pts)
            for packet in packetize_rtp(ps, ssrc=77, seq=seq, timestamp=pts):
                transport.sendto(packet)
                seq = (seq + 1) & 0xFFFF
            index += 1
            await asyncio.sleep(max(0.0, started + index / FPS - time.monotonic()))
        transport.close()

    class Provider:
        async def open(self, key: StreamKey, device: object) -> GbSource:
            receiver = await node.media.open_rtp_receiver(key, "udp")
            task = asyncio.create_task(camera(receiver.port), name="bench.camera")

            async def bye() -> None:
                stop[0] = True
                await task

            return GbSource(receiver, on_stop=bye)

    node.media.register_provider("gb28181", Provider())
    latencies: list[float] = []
    async with serve(node) as url, httpx.AsyncClient(base_url=url) as http:
        token = await http.post(
            "/api/v1/auth/token", data={"username": "admin", "password": "Bench-Admin-Pass-1"}
        )
        headers = {"Authorization": f"Bearer {token.json()['access_token']}"}
        live = (await http.post(f"/api/v1/channels/{CHANNEL}/live", headers=headers)).json()
        async with websockets.connect(live["ws_fmp4"], max_size=None) as ws:
            await ws.recv()  # init segment
            for n in range(FPS * 12):
                fragment = await ws.recv()
                received = time.time()
                if not isinstance(fragment, bytes):
                    continue
                at = fragment.find(SEI_UUID)
                if n >= FPS * 2 and at >= 0:
                    sent = _TIME.unpack_from(fragment, at + len(SEI_UUID))[0]
                    latencies.append((received - sent) * 1000)
    await node.stop()
    latencies.sort()
    return {
        "latency_ms_p50": statistics.median(latencies),
        "latency_ms_p95": latencies[int(len(latencies) * 0.95)],
        "latency_samples": len(latencies),
    }


def main() -> None:
    if shutil.which("ffmpeg") is None:
        sys.exit("bench/media.py needs FFmpeg (Debian's ffmpeg) for its reference run")
    frames = make_clip()
    mbit = sum(len(f) for f in frames) * 8 / (len(frames) / FPS) / 1e6
    with tempfile.TemporaryDirectory(prefix="vigil-bench-") as tmp:
        workdir = Path(tmp)
        result: dict[str, Any] = {"clip_mbit_s": round(mbit, 2), "media_path": accel.PATH}
        result |= uvloop.run(vigil_phase(frames, workdir))
        result |= ffmpeg_phase(frames, workdir)
        result |= uvloop.run(latency_phase(frames, workdir))
    rows = [
        ("clip bit rate (Mbit/s)", result["clip_mbit_s"]),
        (f"Vigil: {STREAMS} streams, CPU fraction", result["cpu_fraction"]),
        ("Vigil: streams per core (receive+record+live)", result["streams_per_core"]),
        ("Vigil: frames received / expected", result["frames_received_ratio"]),
        ("Vigil: fMP4 fragments served / expected", result["fragments_served_ratio"]),
        ("Vigil: RSS growth per stream (MiB)", result["rss_mib_per_stream"]),
        ("recordings: frames sent per stream", result["frames_sent_per_stream"]),
        ("recordings: frames short of sent, most", result["recorded_frames_short_max"]),
        ("recordings: shortest duration (s)", result["recorded_seconds_min"]),
        (f"recordings decoded whole ({DECODED}): errors", result["decode_errors"]),
        ("live fMP4 latency p50 (ms)", result["latency_ms_p50"]),
        ("live fMP4 latency p95 (ms)", result["latency_ms_p95"]),
    ]
    reference = result.get("ffmpeg_streams_per_core")
    if isinstance(reference, float):
        result["ratio_vs_ffmpeg"] = result["streams_per_core"] / reference
        rows += [
            ("FFmpeg: streams per core (receive+remux+record)", reference),
            ("FFmpeg: RSS per process = per stream (MiB)", result["ffmpeg_rss_mib_per_stream"]),
            ("ratio Vigil / FFmpeg", result["ratio_vs_ffmpeg"]),
        ]
    else:
        result["ffmpeg_streams_per_core"] = None
        print(f"FFmpeg reference run failed: {result.get('ffmpeg_error')}")
    result["load_average"] = [round(x, 2) for x in os.getloadavg()]
    for name, value in rows:
        print(f"{name:<50} {float(value):>10.2f}")
    print(f"decoded frames match the demuxed count: {result['decoded_frames_match']}")
    print(REFERENCE)
    print(f"load average {', '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(json.dumps({k: round(v, 3) if isinstance(v, float) else v for k, v in result.items()}))


if __name__ == "__main__":
    main()
