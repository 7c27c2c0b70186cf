"""Every table, imported here so Alembic and ``Base.metadata`` see the whole schema."""

from vigil.store.models.access_policy import AccessWindowRow
from vigil.store.models.alarms import Alarm, AlarmLinkage
from vigil.store.models.analytics import AnalyticsTrack
from vigil.store.models.analytics_rules import AnalyticsRuleSet
from vigil.store.models.approvals import Approval
from vigil.store.models.audit import AuditRecord, AuditTreeHead
from vigil.store.models.availability import (
    ChannelDiagnosis,
    ChannelReference,
    VideoFault,
    WorkOrder,
)
from vigil.store.models.catalog import Channel, Device, Organisation, OrgKind
from vigil.store.models.channel_shares import ChannelShare
from vigil.store.models.filing import SystemFiling
from vigil.store.models.gb28181 import (
    DeviceAlarm,
    DevicePosition,
    DeviceStatusEvent,
    GbRegistration,
)
from vigil.store.models.gis import GisFeature, LayerKind
from vigil.store.models.masks import PrivacyMask
from vigil.store.models.media import StreamResolution
from vigil.store.models.platforms import (
    Platform,
    PlatformDirection,
    PlatformShare,
    ShareKind,
    VirtualGroup,
    VirtualGroupKind,
)
from vigil.store.models.recordings import RecordingGap, RecordingPlan, RecordingSegment
from vigil.store.models.users import AccessToken, Role, User, UserScope

__all__ = [
    "AccessToken",
    "AccessWindowRow",
    "Alarm",
    "AlarmLinkage",
    "AnalyticsRuleSet",
    "AnalyticsTrack",
    "Approval",
    "AuditRecord",
    "AuditTreeHead",
    "Channel",
    "ChannelDiagnosis",
    "ChannelReference",
    "ChannelShare",
    "Device",
    "DeviceAlarm",
    "DevicePosition",
    "DeviceStatusEvent",
    "GbRegistration",
    "GisFeature",
    "LayerKind",
    "OrgKind",
    "Organisation",
    "Platform",
    "PlatformDirection",
    "PlatformShare",
    "PrivacyMask",
    "RecordingGap",
    "RecordingPlan",
    "RecordingSegment",
    "Role",
    "ShareKind",
    "StreamResolution",
    "SystemFiling",
    "User",
    "UserScope",
    "VideoFault",
    "VirtualGroup",
    "VirtualGroupKind",
    "WorkOrder",
]
