"""One dependency per service: a router asks for the services it calls, not the whole node.

``Devices`` is the node's ``DeviceService``, and so on; each is an ``Annotated`` type to put on
a handler's parameter.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from vigil.alarms import AlarmCentre
from vigil.analytics.live import TrackReader
from vigil.analytics.rules_service import AnalyticsRules
from vigil.analytics.video_search import VideoSearch
from vigil.api.deps import Node
from vigil.catalog.channels import ChannelService
from vigil.catalog.devices import DeviceService
from vigil.catalog.organisations import OrganisationService
from vigil.catalog.tree import ResourceTree
from vigil.catalog.tree_search import TreeSearch
from vigil.catalog.virtual_groups import VirtualGroupService
from vigil.coverage.filing import FilingService
from vigil.coverage.layers import GisLayerService
from vigil.coverage.service import CoverageService
from vigil.coverage.system_filing import SystemFilingService
from vigil.gb28181.cascade.platforms import UpperPlatformService
from vigil.governance.approvals import ApprovalService
from vigil.governance.audit import AuditLog
from vigil.governance.auth import AuthService
from vigil.governance.channel_shares import ChannelShares
from vigil.governance.mask_service import MaskService
from vigil.governance.tree_heads import TreeHeads
from vigil.governance.users import UserService
from vigil.health.intact_rate import IntactRateService
from vigil.health.service import AvailabilityService
from vigil.media import MediaService, PlaybackService, RecordingService, ViewAccess
from vigil.reports.kpi_report import KpiReportService

__all__ = [
    "Alarms",
    "AnalyticsRuleSets",
    "AnalyticsTracks",
    "Approvals",
    "Audit",
    "AuditHeads",
    "Auth",
    "Availability",
    "Channels",
    "Coverage",
    "Devices",
    "Filing",
    "Gis",
    "Intact",
    "Masks",
    "Media",
    "Organisations",
    "Playback",
    "Recording",
    "Reports",
    "Shares",
    "SystemFiling",
    "Tree",
    "UpperPlatforms",
    "Users",
    "VideoSearches",
    "Views",
    "VirtualGroups",
]


def _audit(node: Node) -> AuditLog:
    return node.audit


Audit = Annotated[AuditLog, Depends(_audit)]


def _tree_heads(node: Node) -> TreeHeads:
    return node.tree_heads


AuditHeads = Annotated[TreeHeads, Depends(_tree_heads)]


def _auth(node: Node) -> AuthService:
    return node.auth


Auth = Annotated[AuthService, Depends(_auth)]


def _users(node: Node) -> UserService:
    return node.users


Users = Annotated[UserService, Depends(_users)]


def _organisations(node: Node) -> OrganisationService:
    return node.organisations


Organisations = Annotated[OrganisationService, Depends(_organisations)]


def _devices(node: Node) -> DeviceService:
    return node.devices


Devices = Annotated[DeviceService, Depends(_devices)]


def _channels(node: Node) -> ChannelService:
    return node.channels


Channels = Annotated[ChannelService, Depends(_channels)]


def _virtual_groups(node: Node) -> VirtualGroupService:
    return node.virtual_groups


VirtualGroups = Annotated[VirtualGroupService, Depends(_virtual_groups)]


def _tree(node: Node) -> ResourceTree:
    return node.tree


Tree = Annotated[ResourceTree, Depends(_tree)]


def _tree_search(node: Node) -> TreeSearch:
    return node.tree_search


Search = Annotated[TreeSearch, Depends(_tree_search)]


def _gis(node: Node) -> GisLayerService:
    return node.gis


Gis = Annotated[GisLayerService, Depends(_gis)]


def _coverage(node: Node) -> CoverageService:
    return node.coverage


Coverage = Annotated[CoverageService, Depends(_coverage)]


def _filing(node: Node) -> FilingService:
    return node.filing


Filing = Annotated[FilingService, Depends(_filing)]


def _system_filing(node: Node) -> SystemFilingService:
    return node.system_filing


SystemFiling = Annotated[SystemFilingService, Depends(_system_filing)]


def _intact(node: Node) -> IntactRateService:
    return node.intact


Intact = Annotated[IntactRateService, Depends(_intact)]


def _availability(node: Node) -> AvailabilityService:
    return node.availability


Availability = Annotated[AvailabilityService, Depends(_availability)]


def _reports(node: Node) -> KpiReportService:
    return node.reports


Reports = Annotated[KpiReportService, Depends(_reports)]


def _upper_platforms(node: Node) -> UpperPlatformService:
    return node.upper_platforms


UpperPlatforms = Annotated[UpperPlatformService, Depends(_upper_platforms)]


def _views(node: Node) -> ViewAccess:
    return node.views


Views = Annotated[ViewAccess, Depends(_views)]


def _media(node: Node) -> MediaService:
    return node.media


Media = Annotated[MediaService, Depends(_media)]


def _recording(node: Node) -> RecordingService:
    return node.recording


Recording = Annotated[RecordingService, Depends(_recording)]


def _playback(node: Node) -> PlaybackService:
    return node.playback


Playback = Annotated[PlaybackService, Depends(_playback)]


def _alarms(node: Node) -> AlarmCentre:
    return node.alarms


Alarms = Annotated[AlarmCentre, Depends(_alarms)]


def _analytics_rules(node: Node) -> AnalyticsRules:
    return node.analytics_rules


AnalyticsRuleSets = Annotated[AnalyticsRules, Depends(_analytics_rules)]


def _analytics_tracks(node: Node) -> TrackReader:
    return node.analytics_tracks


AnalyticsTracks = Annotated[TrackReader, Depends(_analytics_tracks)]


def _approvals(node: Node) -> ApprovalService:
    return node.approvals


Approvals = Annotated[ApprovalService, Depends(_approvals)]


def _shares(node: Node) -> ChannelShares:
    return node.shares


Shares = Annotated[ChannelShares, Depends(_shares)]


def _video_search(node: Node) -> VideoSearch:
    return node.video_search


VideoSearches = Annotated[VideoSearch, Depends(_video_search)]


def _masks(node: Node) -> MaskService:
    return node.masks


Masks = Annotated[MaskService, Depends(_masks)]
