"""Decode a stream's video, blur its masked regions, encode it again as H.264.

Bytes in, packets out, no I/O: :meth:`MaskingTranscoder.feed` takes one :class:`MediaPacket` of
the camera's stream (H.264 or H.265, Annex B) and returns the masked stream's packets for it
(none while the decoder waits for a keyframe). The encoder is libx264 tuned for zero latency — a
frame in, its packet out, no B-frames — so timestamps pass through unchanged (90 kHz, decode
order = presentation order) and a keyframe of the camera's stream starts an IDR picture of the
masked one, with its parameter sets in band, where late joiners can start too. Audio passes
through untouched.

CPU work: run it off the event loop (:class:`~vigil.media.masking.source.MaskedSource` gives each
masked stream a thread of its own; FFmpeg and OpenCV release the GIL while they work).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator, Sequence
from fractions import Fraction
from typing import Any

import av
from av.video.frame import PictureType

from vigil.media.masking.blur import Masker, Polygon
from vigil.media.packet import Codec, MediaPacket

__all__ = ["MaskingTranscoder", "masked_frames"]

log = logging.getLogger(__name__)

TIME_BASE = Fraction(1, 90_000)
ENCODER_OPTIONS = {"preset": "veryfast", "tune": "zerolatency", "crf": "23"}


class MaskingTranscoder:
    """One masked stream's decoder, masker and encoder; not for two threads at once."""

    def __init__(self, masks: Sequence[Polygon], caption: str | None = None) -> None:
        self.masker = Masker(masks, caption)
        self._decoder: av.VideoCodecContext | None = None
        self._decoding: Codec | None = None
        self._encoder: av.VideoCodecContext | None = None
        self._last: MediaPacket | None = None
        self.frames = 0

    def feed(self, packet: MediaPacket) -> list[MediaPacket]:
        """The masked stream's packets for one packet of the camera's stream."""
        if not packet.codec.is_video:
            return [packet]
        decoder = self._decoder_for(packet.codec)
        coded = av.Packet(packet.data)
        coded.pts = coded.dts = packet.pts
        coded.time_base = TIME_BASE
        try:
            frames = decoder.decode(coded)
        except av.error.InvalidDataError:
            log.warning("undecodable frame skipped", extra={"pts": packet.pts})
            return []
        self._last = packet
        out: list[MediaPacket] = []
        for frame in frames:
            out.extend(self._encode(frame, packet))
        return out

    def flush(self) -> list[MediaPacket]:
        """The end of the stream: what the decoder and the encoder still hold."""
        last, decoder, out = self._last, self._decoder, []
        if last is None or decoder is None:
            return []
        for frame in decoder.decode(None):
            out.extend(self._encode(frame, last))
        if self._encoder is not None:
            out.extend(self._packets(self._encoder.encode(None), last, last.pts))
        self.close()
        return out

    def close(self) -> None:
        """Let go of the codecs (a later ``feed`` opens new ones)."""
        self._decoder = self._encoder = None
        self._decoding = None

    def _decoder_for(self, codec: Codec) -> av.VideoCodecContext:
        if self._decoder is None or self._decoding is not codec:
            decoder = av.CodecContext.create(codec.value, "r")
            assert isinstance(decoder, av.VideoCodecContext)
            self._decoder, self._decoding = decoder, codec
        return self._decoder

    def _encoder_for(self, frame: av.VideoFrame) -> av.VideoCodecContext:
        encoder = self._encoder
        if encoder is None or (encoder.width, encoder.height) != (frame.width, frame.height):
            encoder = av.CodecContext.create("libx264", "w")
            assert isinstance(encoder, av.VideoCodecContext)
            encoder.width, encoder.height = frame.width, frame.height
            encoder.pix_fmt = "yuv420p"
            encoder.time_base = TIME_BASE
            encoder.max_b_frames = 0
            encoder.options = dict(ENCODER_OPTIONS)
            self._encoder = encoder
        return encoder

    def _encode(self, frame: av.VideoFrame, source: MediaPacket) -> list[MediaPacket]:
        pts = frame.pts if frame.pts is not None else source.pts
        masked = self.masker.apply(frame)
        masked.pts = pts
        masked.time_base = TIME_BASE
        previous = self._encoder
        encoder = self._encoder_for(masked)
        # The camera's keyframes stay keyframes, and so does a new encoder's first frame.
        keyframe = encoder is not previous or source.keyframe
        masked.pict_type = PictureType.I if keyframe else PictureType.NONE
        self.frames += 1
        return self._packets(encoder.encode(masked), source, pts)

    @staticmethod
    def _packets(coded: list[av.Packet[Any]], source: MediaPacket, pts: int) -> list[MediaPacket]:
        return [
            MediaPacket(
                Codec.H264,
                p.pts if p.pts is not None else pts,
                p.dts if p.dts is not None else pts,
                p.is_keyframe,
                bytes(p),
                source.arrival,
            )
            for p in coded
        ]


def masked_frames(
    frames: Iterable[MediaPacket], masks: Sequence[Polygon], caption: str | None = None
) -> Iterator[MediaPacket]:
    """``frames`` (a recording read back, in decode order) with ``masks`` blurred and
    ``caption`` burnt in, re-encoded; blocking CPU work, for a worker thread."""
    transcoder = MaskingTranscoder(masks, caption)
    for frame in frames:
        yield from transcoder.feed(frame)
    yield from transcoder.flush()
