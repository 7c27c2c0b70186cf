"""Media packets (one coded frame each) out as PS over RTP on a sink, never re-encoded.

A :class:`PacketSender` sends video frames in the order given, each as one pack and its RTP
packets with the peer's SSRC; the RTP timestamp is the frame's PTS. It starts at the first video
keyframe (a receiver cannot decode from anything else) and follows a codec change by starting a
new muxer at that keyframe. Audio is left out: GB/T 28181 receivers take video-only PS, and the
PS muxer must be told its audio stream before the first pack.

:func:`relay` drives one from an async iterator (the stream hub's subscription for live video)
until the iterator ends or the peer goes away, applying the peer's TCP back-pressure.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

from vigil.media.outbound.ps_rtp import PsRtpPacketizer, video_type
from vigil.media.outbound.sinks import RtpSink
from vigil.media.packet import MediaPacket

__all__ = ["PacketSender", "relay"]


class PacketSender:
    """One outgoing stream of frames to ``sink`` with SSRC ``ssrc``."""

    def __init__(self, sink: RtpSink, ssrc: int) -> None:
        self.sink = sink
        self.ssrc = ssrc
        self.frames = 0
        self._packetizer: PsRtpPacketizer | None = None
        self._codec: str | None = None
        self._sent_packets = 0
        self._sent_bytes = 0

    @property
    def packets(self) -> int:
        current = self._packetizer.packets if self._packetizer is not None else 0
        return self._sent_packets + current

    @property
    def bytes(self) -> int:
        current = self._packetizer.bytes if self._packetizer is not None else 0
        return self._sent_bytes + current

    def send(self, packet: MediaPacket) -> bool:
        """Send one frame; False when it was skipped (audio, or before the first keyframe)."""
        if not packet.codec.is_video:
            return False
        if packet.codec.value != self._codec:
            if not packet.keyframe:
                return False
            self._restart(packet.codec.value)
        assert self._packetizer is not None
        self.sink.send(
            self._packetizer.video(packet.data, packet.pts, packet.dts, keyframe=packet.keyframe)
        )
        self.frames += 1
        return True

    def _restart(self, codec: str) -> None:
        old = self._packetizer
        if old is not None:
            self._sent_packets += old.packets
            self._sent_bytes += old.bytes
        self._packetizer = PsRtpPacketizer(self.ssrc, video_type(codec))
        self._codec = codec


async def relay(frames: AsyncIterator[MediaPacket], sender: PacketSender) -> None:
    """Send every frame of ``frames`` until it ends or the peer goes away (sink closed).

    Raises what the iterator raises (a dropped hub consumer) and ``ConnectionError``/``OSError``
    when the peer's connection breaks.
    """
    sink = sender.sink
    async for packet in frames:
        if sink.closed:
            return
        if sender.send(packet):
            await sink.drain()
