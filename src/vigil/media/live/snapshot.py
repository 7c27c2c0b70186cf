"""JPEG snapshot of a stream's latest keyframe, decoded in a worker thread.

The hub keeps each running stream's latest keyframe, so a snapshot of a watched channel costs one
decode and one JPEG encode and no wait. For a stream nobody watches, the hub starts it, the first
keyframe is taken and the subscription closed (the source then lingers, so a snapshot followed by
a live view does not open the camera twice).
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from concurrent.futures import Executor
from fractions import Fraction

import av

from vigil.errors import NotFound
from vigil.media.fanout import ConsumerDropped
from vigil.media.hub import StreamHub
from vigil.media.masking.blur import Masker, Polygon
from vigil.media.packet import MediaPacket, StreamKey

__all__ = ["encode_jpeg", "snapshot"]

_QUALITY = 5  # MJPEG qscale: 2 (best) … 31


def encode_jpeg(keyframe: MediaPacket, masks: Sequence[Polygon] = ()) -> bytes:
    """Decode one keyframe (parameter sets in band) and encode it as a JPEG, the ``masks``
    blurred; CPU work."""
    decoder = av.VideoCodecContext.create(keyframe.codec.value, "r")
    assert isinstance(decoder, av.VideoCodecContext)
    frames = decoder.decode(av.Packet(keyframe.data))
    frames += decoder.decode(None)
    if not frames:
        raise NotFound("the latest keyframe could not be decoded", code="snapshot.undecodable")
    frame = Masker(masks).apply(frames[0]) if masks else frames[0]
    encoder = av.CodecContext.create("mjpeg", "w")
    encoder.width, encoder.height = frame.width, frame.height
    encoder.pix_fmt = "yuvj420p"
    encoder.time_base = Fraction(1, 25)
    encoder.qscale = True
    encoder.global_quality = _QUALITY * av.codec.context.Flags.qscale  # FF_QP2LAMBDA
    packets = encoder.encode(frame.reformat(format="yuvj420p"))
    packets += encoder.encode(None)
    return b"".join(bytes(p) for p in packets)


async def snapshot(
    hub: StreamHub,
    key: StreamKey,
    executor: Executor,
    timeout: float,
    masks: Sequence[Polygon] = (),
) -> bytes:
    """A JPEG of ``key``'s latest keyframe, starting the stream for it if needed; ``masks``
    (privacy masks, 0–1 picture points) blurred."""
    keyframe = hub.latest_keyframe(key)
    if keyframe is None:
        async with await hub.subscribe(key) as packets:
            try:
                keyframe = await asyncio.wait_for(anext(packets), timeout)
            except (TimeoutError, ConsumerDropped, StopAsyncIteration) as exc:
                raise NotFound(
                    f"no keyframe from {key} within {timeout:g} s",
                    code="video.no_keyframe",
                    seconds=timeout,
                ) from exc
    loop = asyncio.get_running_loop()
    return await loop.run_in_executor(executor, encode_jpeg, keyframe, masks)
