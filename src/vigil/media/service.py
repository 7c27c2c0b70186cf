"""The media service: owns the stream hub, the RTP pools and UDP poller, the live outputs.

Built and started by :class:`vigil.app.Vigil`. Sources are opened through providers chosen by the
channel's device ``source`` (see :mod:`.sources.base`): ``rtsp``/``rtmp``/``file`` are built in,
``gb28181`` is registered by the GB/T 28181 server (:mod:`.sources.gb` describes that seam).

The methods that serve video take a :class:`Principal`, check ``video:live`` and the channel's
organisation scope (through :class:`~vigil.media.views.ViewAccess`, which re-checks open views
too), and append an audit record, so every caller gets the same rules.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import select

from vigil.config import Settings
from vigil.governance.audit import AuditLog
from vigil.governance.audited import AuditEntry, Caller, as_caller, audited
from vigil.governance.permissions import Principal
from vigil.media import accel
from vigil.media.hub import StreamHub
from vigil.media.live.broadcast import Broadcasts
from vigil.media.live.hls import HlsPackagers
from vigil.media.live.snapshot import snapshot
from vigil.media.packet import StreamKey
from vigil.media.resolution import ResolutionLog
from vigil.media.sources.base import Source, SourceError, SourceProvider
from vigil.media.sources.catalog import URL_SOURCES, UrlSourceProvider
from vigil.media.sources.ports import PortPool
from vigil.media.sources.rtp_receiver import RtpReceiver, RtpTransport
from vigil.media.sources.ssrc import SsrcPool
from vigil.media.sources.udp_poller import UdpPoller
from vigil.media.views import IssuedView, ViewAccess, ViewKind
from vigil.store.database import Database
from vigil.store.models import Channel, Device

__all__ = ["MediaService"]

log = logging.getLogger(__name__)


class MediaService:
    """Live media of one node. ``linger``: seconds a source outlives its last consumer."""

    def __init__(
        self,
        settings: Settings,
        db: Database,
        audit: AuditLog,
        views: ViewAccess,
        *,
        linger: float = 10.0,
        snapshot_timeout: float = 10.0,
    ) -> None:
        self.media_ip = settings.media_ip
        self._db = db
        self._audit = audit
        self.views = views
        self.ports = PortPool(*settings.rtp_port_range)
        self.ssrcs = SsrcPool(settings.sip_domain)
        self.udp = UdpPoller()
        self.providers: dict[str, SourceProvider] = dict.fromkeys(URL_SOURCES, UrlSourceProvider())
        self.resolutions = ResolutionLog(db)
        self.hub = StreamHub(
            self._open_source, linger=linger, on_first_keyframe=self.resolutions.first_keyframe
        )
        self.broadcasts = Broadcasts(self.hub)
        self.hls = HlsPackagers(self.broadcasts)
        self._snapshot_timeout = snapshot_timeout
        self._executor: ThreadPoolExecutor | None = None

    def register_provider(self, source: str, provider: SourceProvider) -> None:
        """Serve channels of devices whose ``source`` is ``source`` (e.g. ``"gb28181"``)."""
        self.providers[source] = provider

    async def open_rtp_receiver(
        self,
        key: StreamKey,
        transport: RtpTransport,
        ssrc: str | None = None,
        remote: tuple[str, int] | None = None,
    ) -> RtpReceiver:
        """A PS-over-RTP endpoint with its port and SSRC taken (see :mod:`.sources.gb`).

        ``ssrc`` None allocates one from this node's pool; the receiver gives back what it took
        in ``close()``, which the caller must reach on every path.
        """
        receiver = RtpReceiver(
            key, transport, self.media_ip, self.ports, self.ssrcs, ssrc, poller=self.udp
        )
        receiver.remote = remote
        await receiver.open()
        return receiver

    async def start(self) -> None:
        log.info("media per-packet path", extra={"path": accel.PATH})
        self._executor = ThreadPoolExecutor(max_workers=2, thread_name_prefix="media.snapshot")

    async def stop(self) -> None:
        await self.hls.stop()
        await self.broadcasts.stop()
        await self.hub.stop()
        await self.resolutions.stop()
        self.udp.close()
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
            self._executor = None

    async def open_live(self, who: Principal | Caller, channel_id: str, stream: int) -> IssuedView:
        """Authorise a live view of a channel, audit it and issue its view and token (a view
        refused is the request's to record: it names no channel the caller may see)."""
        async with self._live_audited(who, "video.live", channel_id, stream) as entry:
            session = self.views.open(who, ViewKind.live, StreamKey(channel_id, stream))
            entry.detail["session"] = session.id
        return session

    async def snapshot(self, who: Principal | Caller, channel_id: str, stream: int) -> bytes:
        """A JPEG of the channel's latest keyframe, authorised and audited like a live view."""
        async with self._live_audited(who, "video.snapshot", channel_id, stream):
            if self._executor is None:
                raise SourceError("the media service is not started")
            key = StreamKey(channel_id, stream)
            return await snapshot(self.hub, key, self._executor, self._snapshot_timeout)

    @contextlib.asynccontextmanager
    async def _live_audited(
        self, who: Principal | Caller, action: str, channel_id: str, stream: int
    ) -> AsyncIterator[AuditEntry]:
        """Authorise seeing the channel live, then run the block audited as ``action``."""
        caller = as_caller(who)
        await self.views.authorise(caller, ViewKind.live, channel_id)
        async with audited(
            self._audit,
            caller,
            action,
            f"channel:{channel_id}",
            channel_id=channel_id,
            detail={"stream": stream},
        ) as entry:
            yield entry

    async def _open_source(self, key: StreamKey) -> Source:
        async with self._db.session() as session:
            device = await session.scalar(
                select(Device)
                .join(Channel, Channel.device_id == Device.id)
                .where(Channel.id == key.channel_id)
            )
        if device is None:
            raise SourceError(f"channel {key.channel_id} does not exist")
        provider = self.providers.get(device.source)
        if provider is None:
            raise SourceError(f"no media provider for {device.source!r} devices (yet)")
        log.info("opening source", extra={"stream": str(key), "kind": device.source})
        return await provider.open(key, device)
