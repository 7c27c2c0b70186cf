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
from collections.abc import AsyncIterator, Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import select

from vigil.config import Settings
from vigil.errors import Conflict
from vigil.governance.audit import AuditLog
from vigil.governance.audited import AuditEntry, Caller, as_caller, audited
from vigil.governance.mask_service import MaskService, ViewMasks
from vigil.governance.permissions import Principal
from vigil.media import accel
from vigil.media.hub import StreamHub
from vigil.media.live.broadcast import Broadcasts
from vigil.media.live.hls import HlsPackagers
from vigil.media.live.snapshot import snapshot
from vigil.media.masking import MaskedSource
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

BannedBands = Callable[[str], Awaitable[list[tuple[str, tuple[float, float]]]]]
"""For a channel, each banned place its footprint overlaps: the place's name and the band of
picture columns (0–1, left to right) it takes (supplied by the coverage part)."""


async def _no_banned_places(_channel_id: str) -> list[tuple[str, tuple[float, float]]]:
    return []


class MediaService:
    """Live media of one node. ``linger``: seconds a source outlives its last consumer."""

    def __init__(
        self,
        settings: Settings,
        db: Database,
        audit: AuditLog,
        views: ViewAccess,
        masks: MaskService,
        *,
        linger: float = 10.0,
        snapshot_timeout: float = 10.0,
    ) -> None:
        self.media_ip = settings.media_ip
        self._db = db
        self._audit = audit
        self.views = views
        self.masks = masks
        masks.on_change(self._masks_changed)
        views.unmask_check = masks.recheck_unmask
        self.banned_bands: BannedBands = _no_banned_places
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

    async def open_live(
        self,
        who: Principal | Caller,
        channel_id: str,
        stream: int,
        unmask_approval: int | None = None,
    ) -> IssuedView:
        """Authorise a live view of a channel, audit it and issue its view and token (a view
        refused is the request's to record: it names no channel the caller may see).

        A channel with privacy masks is seen masked (a stream of its own, re-encoded with the
        masked regions blurred) unless ``unmask_approval`` names an approved unmask request of
        the caller's (:meth:`MaskService.for_view`); permanent masks stay on for everyone. A
        channel whose footprint overlaps a banned place does not go live while permanent masks
        leave part of that place's band of the picture uncovered."""
        caller = as_caller(who)
        async with self._live_audited(caller, "video.live", channel_id, stream) as entry:
            await self._check_banned_places(channel_id, entry)
            seen = await self.masks.for_view(caller, channel_id, unmask_approval)
            key = _view_key(channel_id, stream, seen)
            lifted_under = unmask_approval if seen.unmasked else None
            session = self.views.open(caller, ViewKind.live, key, lifted_under)
            entry.detail["session"] = session.id
            entry.detail["masks"] = len(seen.masks)
            if lifted_under is not None:
                entry.detail["unmask_approval"] = lifted_under
        return session

    async def snapshot(self, who: Principal | Caller, channel_id: str, stream: int) -> bytes:
        """A JPEG of the channel's latest keyframe, authorised and audited like a live view,
        its privacy masks blurred."""
        async with self._live_audited(who, "video.snapshot", channel_id, stream):
            if self._executor is None:
                raise SourceError("the media service is not started")
            seen = await self.masks.for_view(who, channel_id)
            key = StreamKey(channel_id, stream)
            masks = [m.points for m in seen.masks]
            return await snapshot(self.hub, key, self._executor, self._snapshot_timeout, masks)

    async def _check_banned_places(self, channel_id: str, entry: AuditEntry) -> None:
        bands = await self.banned_bands(channel_id)
        if not bands:
            return
        open_bands = await self.masks.banned_uncovered(channel_id, bands)
        if not open_bands:
            return
        name, (left, right) = open_bands[0]
        entry.detail["banned_places"] = [n for n, _ in open_bands]
        raise Conflict(
            f"channel {channel_id} looks at {name}, a place the law forbids filming: it cannot "
            f"go live until a permanent privacy mask covers {left:.0%}–{right:.0%} of the "
            "picture's width",
            code="live.banned_place",
            place=name,
            left=round(left, 4),
            right=round(right, 4),
        )

    def _masks_changed(self, channel_id: str) -> None:
        ended = self.views.end_channel(channel_id)
        log.info("privacy masks changed", extra={"channel_id": channel_id, "views_ended": ended})

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
        if key.masks:
            return MaskedSource(self.hub, key)
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


def _view_key(channel_id: str, stream: int, seen: ViewMasks) -> StreamKey:
    """The stream a viewer who sees ``seen`` watches: the camera's, or a masked one."""
    return StreamKey(channel_id, stream, tuple(m.points for m in seen.masks))
