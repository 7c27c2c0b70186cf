"""Cascade relay: what sending a channel to an upper platform costs per camera.

Run as ``.venv/bin/python bench/cascade_relay.py``. The cascade's sender
(:class:`vigil.media.outbound.sender.PacketSender`) turns each frame the hub hands it into a PS
pack and its RTP packets with the upper platform's SSRC, never re-encoding. Frames here are what
a 4 Mbit/s, 25 fps H.264 camera sends (an IDR of ~100 kB every 50 frames, P frames of ~18 kB),
sent to a sink that keeps nothing, so only the sender's own work is timed (CPU seconds).

Socket writes are left out (a kernel cost any relay pays the same); so is the hub's fan-out.
The reference is the least any relay must do with the same bytes: cut them into RTP packets
(``packetize_rtp`` alone, no PS framing). The ratio says what the PS layer adds; cameras per core
is frames per CPU-second over 25.

The last line printed is one JSON object with every figure.
"""

from __future__ import annotations

import json
import time

from vigil.media.outbound.sender import PacketSender
from vigil.media.packet import Codec, MediaPacket
from vigil.protocols.ps import packetize_rtp

FPS = 25
GOP = 50
FRAMES = 20_000
IDR = b"\x00\x00\x00\x01\x67\x42\x00\x28" + b"\x00\x00\x00\x01\x65" + bytes(100_000)
P = b"\x00\x00\x00\x01\x41" + bytes(18_000)


class NullSink:
    closed = False
    packets = 0

    def send(self, packets: list[bytes]) -> None:
        self.packets += len(packets)

    async def drain(self) -> None:
        return None

    def close(self) -> None:
        return None


def frames() -> list[MediaPacket]:
    return [
        MediaPacket(
            Codec.H264, n * 3600, n * 3600, n % GOP == 0, IDR if n % GOP == 0 else P, n / FPS
        )
        for n in range(FRAMES)
    ]


def run_sender(packets: list[MediaPacket]) -> tuple[float, int]:
    sink = NullSink()
    sender = PacketSender(sink, 340205678)
    began = time.process_time()
    for packet in packets:
        sender.send(packet)
    return time.process_time() - began, sink.packets


def run_reference(packets: list[MediaPacket]) -> tuple[float, int]:
    sink = NullSink()
    seq = 0
    began = time.process_time()
    for packet in packets:
        out = packetize_rtp(packet.data, ssrc=340205678, seq=seq, timestamp=packet.pts)
        seq = (seq + len(out)) & 0xFFFF
        sink.send(out)
    return time.process_time() - began, sink.packets


def main() -> None:
    packets = frames()
    megabits = sum(len(p.data) for p in packets) * 8 / 1e6
    ours, ours_packets = run_sender(packets)
    reference, reference_packets = run_reference(packets)
    figures = {
        "frames": FRAMES,
        "stream_mbit_s": round(megabits / (FRAMES / FPS), 2),
        "sender_cpu_s": round(ours, 3),
        "sender_frames_per_cpu_s": round(FRAMES / ours),
        "sender_cameras_per_core": round(FRAMES / ours / FPS),
        "sender_rtp_packets": ours_packets,
        "reference_cpu_s": round(reference, 3),
        "reference_frames_per_cpu_s": round(FRAMES / reference),
        "reference_rtp_packets": reference_packets,
        "sender_over_reference_cpu": round(ours / reference, 2),
    }
    print(f"{'path':<32}{'CPU s':>8}{'frames/CPU-s':>14}{'cameras/core':>14}{'RTP pkts':>10}")
    print(
        f"{'PacketSender (PS + RTP)':<32}{ours:>8.3f}{FRAMES / ours:>14.0f}"
        f"{FRAMES / ours / FPS:>14.0f}{ours_packets:>10}"
    )
    print(
        f"{'reference (RTP only)':<32}{reference:>8.3f}{FRAMES / reference:>14.0f}"
        f"{FRAMES / reference / FPS:>14.0f}{reference_packets:>10}"
    )
    print(
        "reference: packetize_rtp alone cuts the same frames into RTP packets; it builds no PS "
        "pack, system or PES headers. Neither path's socket writes nor the hub's fan-out are "
        "timed."
    )
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
