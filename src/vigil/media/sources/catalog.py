"""The provider for devices added to the catalog by URL: ``rtsp``, ``rtmp`` and ``file``.

``Device.url`` says where the media is; for RTSP, ``Device.transport`` ``"udp"`` asks for RTP
over UDP and anything else for RTP interleaved in the RTSP TCP connection. Every channel of such
a device plays its device's URL (one stream per URL); a multi-channel RTSP encoder is added as
one device per channel.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from vigil.media.packet import StreamKey
from vigil.media.sources.av_pull import AvPullSource
from vigil.media.sources.base import SourceError
from vigil.media.sources.file import file_source
from vigil.media.sources.rtsp import rtsp_source

if TYPE_CHECKING:
    from vigil.store.models import Device

__all__ = ["URL_SOURCES", "UrlSourceProvider"]

URL_SOURCES = ("rtsp", "rtmp", "file")


class UrlSourceProvider:
    """Opens :func:`rtsp_source` or :func:`file_source` from the device's URL."""

    async def open(self, key: StreamKey, device: Device) -> AvPullSource:
        if not device.url:
            raise SourceError(f"device {device.id} has source {device.source!r} but no URL")
        if device.source == "file":
            return file_source(key, device.url)
        udp = device.transport == "udp" and device.source == "rtsp"
        return rtsp_source(key, device.url, "udp" if udp else "tcp")
