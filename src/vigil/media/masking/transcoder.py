"""Decode a stream's video, blur its masked regions, encode it again as H.264.

Bytes in, packets out, no I/O: :meth:`MaskingTranscoder.feed` takes one :class:`MediaPacket` of
the camera's stream (H.264 or H.265, Annex B) and returns the masked stream's packets for it
(none while the decoder waits for a keyframe). The encoder is libx264 tuned for zero latency — a
frame in, its packet out, no B-frames — so timestamps pass through unchanged (90 kHz, decode
order = presentation order) and a keyframe of the camera's stream starts an IDR picture of the
masked one, with its parameter sets in band, where late joiners can start too. Audio passes
through untouched.

With region finders (an anonymised export: faces, plates), every decoded picture is searched and
then held back :data:`~vigil.media.masking.region_tracks.HOLD` pictures, so that the boxes found
are followed from picture to picture and a region missed in some is blurred there too
(:class:`~vigil.media.masking.region_tracks.RegionWindow`); the masked stream then lags the
camera's by that many pictures, and :meth:`flush` lets the last ones go. Every picture is
searched, none skipped: an export is made once and kept, and a skipped picture's regions would be
guessed where searching it costs about 0.1 s (768×576, one thread).

CPU work: run it off the event loop (:class:`~vigil.media.masking.source.MaskedSource` gives each
masked stream a thread of its own; FFmpeg and OpenCV release the GIL while they work).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator, Mapping, Sequence
from fractions import Fraction
from typing import Any

import av
from av.video.frame import PictureType

from vigil.media.masking.blur import Masker, Polygon
from vigil.media.masking.region_tracks import HOLD, RegionWindow
from vigil.media.masking.regions import Box, RegionFinder
from vigil.media.packet import Codec, MediaPacket

__all__ = ["MaskingTranscoder", "masked_frames"]

log = logging.getLogger(__name__)

TIME_BASE = Fraction(1, 90_000)
ENCODER_OPTIONS = {"preset": "veryfast", "tune": "zerolatency", "crf": "23"}


class MaskingTranscoder:
    """One masked stream's decoder, masker and encoder; not for two threads at once."""

    def __init__(
        self,
        masks: Sequence[Polygon],
        caption: str | None = None,
        finders: Mapping[str, RegionFinder] | None = None,
        hold: int = HOLD,
    ) -> None:
        """``finders``: kind → what finds its boxes in a picture (see :mod:`.regions`), each
        box blurred ``hold`` pictures before and after the one it was found in."""
        self.masker = Masker(masks, caption, finders)
        self._window: RegionWindow[tuple[av.VideoFrame, MediaPacket]] | None = (
            RegionWindow(hold) if finders else None
        )
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
            out.extend(self._take(frame, packet))
        return out

    def flush(self) -> list[MediaPacket]:
        """The end of the stream: what the decoder and the encoder still hold."""
        last, decoder, out = self._last, self._decoder, []
        if last is None or decoder is None:
            return []
        for frame in decoder.decode(None):
            out.extend(self._take(frame, last))
        if self._window is not None:
            for (frame, source), boxes in self._window.drain():
                out.extend(self._encode(frame, source, boxes))
        if self._encoder is not None:
            out.extend(self._packets(self._encoder.encode(None), last, last.pts))
        self.close()
        return out

    def transcode(self, frames: Iterable[MediaPacket]) -> Iterator[MediaPacket]:
        """The masked stream of ``frames`` (a recording read back, in decode order), flushed at
        their end; blocking CPU work, for a worker thread."""
        for frame in frames:
            yield from self.feed(frame)
        yield from self.flush()

    def close(self) -> None:
        """Let go of the codecs and the pictures held (a later ``feed`` opens new ones)."""
        self._decoder = self._encoder = None
        self._decoding = None
        if self._window is not None:
            self._window = RegionWindow(self._window.hold, self._window.margin)

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

    def _take(self, frame: av.VideoFrame, source: MediaPacket) -> list[MediaPacket]:
        """Encode ``frame`` now, or (with finders) search it and encode what the window lets
        go."""
        if self._window is None:
            return self._encode(frame, source)
        ready = self._window.push((frame, source), self.masker.find(frame))
        return [
            p
            for (held, held_source), boxes in ready
            for p in self._encode(held, held_source, boxes)
        ]

    def _encode(
        self, frame: av.VideoFrame, source: MediaPacket, boxes: Sequence[Box] = ()
    ) -> list[MediaPacket]:
        pts = frame.pts if frame.pts is not None else source.pts
        masked = self.masker.apply(frame, boxes)
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
    return MaskingTranscoder(masks, caption).transcode(frames)
