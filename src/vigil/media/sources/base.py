"""The contracts between the stream hub and whatever produces packets.

A :class:`Source` produces the packets of one stream. The hub starts it when the first consumer
arrives, hands it a :class:`PacketSink` to deliver into, and stops it a while after the last
consumer leaves. A :class:`SourceProvider` knows how to open a source for a channel of one kind
of device (RTSP, file, GB/T 28181…); the media service picks the provider by ``Device.source``.

Sources call the sink on the event loop thread only; a source that works in a thread hands its
packets over with ``loop.call_soon_threadsafe``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from vigil.errors import VigilError
from vigil.media.packet import MediaPacket, StreamKey

if TYPE_CHECKING:
    from vigil.store.models import Device

__all__ = ["PacketSink", "Source", "SourceError", "SourceProvider", "SourceStats"]


class SourceError(VigilError):
    """A source could not be opened or started (no provider, bad URL, no port left…)."""

    status, type, title = 409, "media-unavailable", "Media source unavailable"


@dataclass(slots=True)
class SourceStats:
    """Counters every source keeps; ``last_arrival`` is a UTC epoch time in seconds (0: never)."""

    packets: int = 0
    lost: int = 0
    bytes: int = 0
    frames: int = 0
    last_arrival: float = 0.0
    reconnects: int = 0


class PacketSink(Protocol):
    """Where a source delivers: the hub's side of one stream."""

    def publish(self, packet: MediaPacket) -> None:
        """One frame; called on the event loop thread."""

    def end(self, reason: str) -> None:
        """The source has stopped for good on its own (not after ``stop``); consumers are told."""


class Source(Protocol):
    """One stream's producer; ``stop`` releases everything ``start`` took, on every path."""

    @property
    def stats(self) -> SourceStats: ...

    async def start(self, sink: PacketSink) -> None: ...

    async def stop(self) -> None: ...


class SourceProvider(Protocol):
    """Opens the source of one channel's stream for one kind of device.

    ``device`` is the channel's device row as read by the media service (detached, read-only):
    its ``source``, ``url``, ``transport``, ``host`` and ``port`` say where the media is.
    The returned source is not started yet; the hub starts it.
    """

    async def open(self, key: StreamKey, device: Device) -> Source: ...
