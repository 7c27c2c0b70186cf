"""Fuzz the compiled media path (vigil.media._accel) against its Python reference.

Random bytes become RTP packets in random batches (and an Annex B frame); the C and the Python
depacketizers must deliver the same frames and counters, and the C converter the same MP4 sample.
A difference or any exception is a crash. Nothing to do where the extension was not built.
"""

import sys

import atheris

with atheris.instrument_imports():
    from vigil.media import accel
    from vigil.media.mp4_fragments import annexb_to_mp4_python
    from vigil.media.packet import MediaPacket
    from vigil.media.sources.ps_rtp import PsRtpDepacketizer
    from vigil.media.sources.ps_rtp_compiled import CompiledPsRtpDepacketizer


def outcome(kind: type, batches: list[list[bytes]]) -> tuple[object, ...]:
    out: list[MediaPacket] = []
    depacketizer = kind(out.append, reorder_depth=4, reorder_delay=0.05)
    for n, batch in enumerate(batches):
        depacketizer.push_batch(batch, 1000.0 + n * 0.03)
    depacketizer.flush(1000.0 + len(batches))
    stats = depacketizer.stats
    return (out, stats.packets, stats.bytes, stats.lost, stats.frames, depacketizer.malformed,
            depacketizer.foreign, depacketizer.gaps, depacketizer.ssrc)  # fmt: skip


def test_one_input(data: bytes) -> None:
    if accel.native is None or not data:
        return
    parts, size = annexb_to_mp4_python(data)
    sample = accel.native.annexb_to_avcc(data)
    if sample != b"".join(parts) or len(sample) != size:
        raise AssertionError("Annex B conversion differs from the reference")
    batches: list[list[bytes]] = [[]]
    at = 1
    while at < len(data):
        length = data[at - 1] % 96
        packet = data[at : at + length]
        if packet and data[at - 1] & 0x80:
            packet = b"\x80" + packet[1:]
        batches[-1].append(packet)
        if data[at - 1] & 0x40:
            batches.append([])
        at += length + 1
    if outcome(CompiledPsRtpDepacketizer, batches) != outcome(PsRtpDepacketizer, batches):
        raise AssertionError("compiled depacketizer differs from the reference")


def main() -> None:
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
