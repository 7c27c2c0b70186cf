"""RTSP and RTMP cameras pulled with PyAV: TCP or UDP transport, credentials in the URL.

``rtsp://user:password@host:554/path`` carries the credentials (FFmpeg answers Basic and Digest
challenges); ``transport`` picks RTP over the RTSP TCP connection (the default: it crosses NAT
and firewalls and loses nothing) or over UDP. ``rtmp://`` URLs are read by FFmpeg's RTMP client.
"""

from __future__ import annotations

from typing import Literal

from vigil.media.packet import StreamKey
from vigil.media.sources.av_pull import AvPullSource, PullOptions

__all__ = ["rtsp_source"]


def rtsp_source(
    key: StreamKey,
    url: str,
    transport: Literal["tcp", "udp"] = "tcp",
    *,
    backoff: float = 1.0,
    max_backoff: float = 30.0,
) -> AvPullSource:
    """A source for an RTSP or RTMP URL, retried after ``backoff`` seconds, doubling."""
    av_options: dict[str, str] = {}
    if url.startswith(("rtsp://", "rtsps://")):
        av_options = {"rtsp_transport": transport, "fflags": "nobuffer"}
    return AvPullSource(key, PullOptions(url, av_options, backoff=backoff, max_backoff=max_backoff))
