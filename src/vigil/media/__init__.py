"""The media plane: receive, fan out, record and serve video without transcoding.

This is media's front door: the names below are the whole of what another part of Vigil (gb28181,
health, the API, the simulators, the composition root) may use; ``tests/unit/test_layering.py``
fails on an import of ``vigil.media.<internal>`` from outside the package. Each name is imported on
first use (:pep:`562`), so a simulator that needs only the RTP sinks does not load the recorder,
the store and the rest of the plane.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from vigil.lazy import lazy_exports

if TYPE_CHECKING:
    from vigil.media.fanout import ConsumerDropped, Subscription
    from vigil.media.hub import StreamHub
    from vigil.media.live.fmp4 import Fmp4Muxer, Fragment
    from vigil.media.masking.regions import RegionFinder
    from vigil.media.outbound.endpoint import MediaEndpoint
    from vigil.media.outbound.ps_rtp import PsRtpPacketizer, pts_for
    from vigil.media.outbound.recorded import RecordedStream
    from vigil.media.outbound.sender import PacketSender, relay
    from vigil.media.outbound.sinks import RtpSink, TcpSink, UdpSink
    from vigil.media.packet import Codec, MediaPacket, StreamKey
    from vigil.media.playback.export_job import ANONYMISE_KINDS, Anonymise, ExportJob
    from vigil.media.playback.jobs import VideoJobs
    from vigil.media.playback.packager import ExportPackager
    from vigil.media.playback.player import Player
    from vigil.media.playback.reader import StoredSegment
    from vigil.media.playback.service import MAX_EXPORT, PlaybackService, check_speed
    from vigil.media.recording.autostart import AutoRecorder
    from vigil.media.recording.on_demand import OnDemandRecording
    from vigil.media.recording.retention import RetentionClass, RetentionPolicy
    from vigil.media.recording.schedule import RecordingSchedule
    from vigil.media.recording.segment_file import SegmentWriter, TimedFrame
    from vigil.media.recording.service import RecordingConfig, RecordingService, check_range
    from vigil.media.recording.timeline import Timeline
    from vigil.media.service import MediaService
    from vigil.media.sources.base import PacketSink, SourceError, SourceStats
    from vigil.media.sources.gb import GbSource
    from vigil.media.sources.rtp_receiver import RtpReceiver, RtpTransport
    from vigil.media.views import View, ViewAccess, ViewKind

#: Each public name and the module inside ``vigil.media`` that defines it.
EXPORTS: dict[str, str] = {
    # The node's media plane and its stream hub
    "MediaService": "service",
    "StreamHub": "hub",
    "Codec": "packet",
    "MediaPacket": "packet",
    "StreamKey": "packet",
    "ConsumerDropped": "fanout",
    "Subscription": "fanout",
    "View": "views",
    "ViewAccess": "views",
    "ViewKind": "views",
    # Sources: what feeds the hub (a GB/T 28181 call among them)
    "PacketSink": "sources.base",
    "SourceError": "sources.base",
    "SourceStats": "sources.base",
    "GbSource": "sources.gb",
    "RtpReceiver": "sources.rtp_receiver",
    "RtpTransport": "sources.rtp_receiver",
    # Live muxing
    "Fmp4Muxer": "live.fmp4",
    "Fragment": "live.fmp4",
    # Outbound: video sent to upper platforms, by simulators
    "MediaEndpoint": "outbound.endpoint",
    "PsRtpPacketizer": "outbound.ps_rtp",
    "pts_for": "outbound.ps_rtp",
    "RecordedStream": "outbound.recorded",
    "PacketSender": "outbound.sender",
    "relay": "outbound.sender",
    "RtpSink": "outbound.sinks",
    "TcpSink": "outbound.sinks",
    "UdpSink": "outbound.sinks",
    # Recording
    "RecordingConfig": "recording.service",
    "RecordingService": "recording.service",
    "check_range": "recording.service",
    "AutoRecorder": "recording.autostart",
    "OnDemandRecording": "recording.on_demand",
    "RetentionPolicy": "recording.retention",
    "RetentionClass": "recording.retention",
    "RecordingSchedule": "recording.schedule",
    "SegmentWriter": "recording.segment_file",
    "TimedFrame": "recording.segment_file",
    "Timeline": "recording.timeline",
    # Playback and export
    "MAX_EXPORT": "playback.service",
    "ExportJob": "playback.export_job",
    "Anonymise": "playback.export_job",
    "ANONYMISE_KINDS": "playback.export_job",
    "RegionFinder": "masking.regions",
    "PlaybackService": "playback.service",
    "check_speed": "playback.service",
    "VideoJobs": "playback.jobs",
    "ExportPackager": "playback.packager",
    "Player": "playback.player",
    "StoredSegment": "playback.reader",
}

__all__ = [
    "ANONYMISE_KINDS",
    "MAX_EXPORT",
    "Anonymise",
    "AutoRecorder",
    "Codec",
    "ConsumerDropped",
    "ExportJob",
    "ExportPackager",
    "Fmp4Muxer",
    "Fragment",
    "GbSource",
    "MediaEndpoint",
    "MediaPacket",
    "MediaService",
    "OnDemandRecording",
    "PacketSender",
    "PacketSink",
    "PlaybackService",
    "Player",
    "PsRtpPacketizer",
    "RecordedStream",
    "RecordingConfig",
    "RecordingSchedule",
    "RecordingService",
    "RegionFinder",
    "RetentionClass",
    "RetentionPolicy",
    "RtpReceiver",
    "RtpSink",
    "RtpTransport",
    "SegmentWriter",
    "SourceError",
    "SourceStats",
    "StoredSegment",
    "StreamHub",
    "StreamKey",
    "Subscription",
    "TcpSink",
    "TimedFrame",
    "Timeline",
    "UdpSink",
    "VideoJobs",
    "View",
    "ViewAccess",
    "ViewKind",
    "check_range",
    "check_speed",
    "pts_for",
    "relay",
]


__getattr__, __dir__ = lazy_exports(__name__, EXPORTS, globals(), __all__)
