"""Alarms on the wire: an alarm and its handling, counts per state, notes, linkage rules."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import Field, StringConstraints

from vigil.api.schemas.common import Public, Strict, printable


class AlarmOut(Public):
    """One alarm: what raised it, where, when, its evidence and its handling."""

    id: int
    source: str = Field(description="device, analytics or availability")
    kind: str = Field(description="gb.<method>[.<type>] (device), the rule's kind, fault.<kind>")
    level: int = Field(description="1 (most urgent) to 4, as GB/T 28181's AlarmPriority")
    channel_id: str | None
    device_id: str | None
    at: datetime
    raised_at: datetime
    description: str | None
    detail: dict[str, Any]
    snapshot_path: str | None = Field(description="Under the data directory; null: none")
    clip_start: datetime | None = Field(description="The recording the alarm points at")
    clip_end: datetime | None
    state: str = Field(description="new, acknowledged or closed")
    acknowledged_at: datetime | None
    acknowledged_by: str | None
    acknowledged_note: str | None
    closed_at: datetime | None
    closed_by: str | None
    closed_note: str | None


class AlarmCountsOut(Strict):
    """How many alarms are in each state (within the filters and the caller's scope)."""

    new: int
    acknowledged: int
    closed: int


class NoteIn(Strict):
    """What the operator says about the step."""

    note: Annotated[str, printable(500)] | None = None


class EvidenceLockIn(Strict):
    """Lock the recording over the alarm's clip range against retention."""

    type: Literal["evidence_lock"]


class MqttIn(Strict):
    """Publish the alarm as JSON; the topic may hold {source}, {kind} and {channel}."""

    type: Literal["mqtt"]
    host: Annotated[str, printable(253, 1)] = "127.0.0.1"
    port: int = Field(1883, ge=1, le=65535)
    topic: Annotated[str, printable(200, 1)] = "vigil/alarms/{source}/{kind}"
    qos: int = Field(1, ge=0, le=2)


class WebhookIn(Strict):
    """POST the alarm as JSON to the URL."""

    type: Literal["webhook"]
    url: str = Field(
        pattern=r"^https?://[^\s/\x00-\x1f\x7f]+(/[^\s\x00-\x1f\x7f]*)?$", max_length=2000
    )
    timeout: float = Field(5.0, gt=0, le=60)


class ForwardUpperIn(Strict):
    """Send an analytics or availability alarm of a shared channel up to the upper platforms
    (GB/T 28181 Alarm: method 5 with the analysis type, or 6 for a picture fault)."""

    type: Literal["forward_upper"]


class PtzPresetIn(Strict):
    """Send a dome to a preset: the alarm's channel, or the one named."""

    type: Literal["ptz_preset"]
    preset: int = Field(ge=1, le=255)
    channel_id: Annotated[str, StringConstraints(pattern=r"^[0-9]{20}$")] | None = None


class RecordIn(Strict):
    """Record the alarm's channel for some seconds when it is not recording already."""

    type: Literal["record"]
    seconds: int = Field(ge=10, le=3600)


class WallIn(Strict):
    """Show the alarm's channel on the operators' open live walls (the one named, or all)."""

    type: Literal["wall"]
    wall: Annotated[str, printable(64, 1)] | None = None


ActionIn = Annotated[
    EvidenceLockIn | MqttIn | WebhookIn | ForwardUpperIn | PtzPresetIn | RecordIn | WallIn,
    Field(discriminator="type"),
]


class LinkageRuleIn(Strict):
    """Which alarms a rule matches (empty: any) and the actions run for each."""

    name: Annotated[str, printable(64, 1)]
    source: Literal["device", "analytics", "availability"] | None = None
    kind: Annotated[str, printable(64)] | None = Field(
        None, description="An alarm kind, or rule:<id> for an analytics rule"
    )
    enabled: bool = True
    actions: list[ActionIn] = Field(max_length=16)


class LinkageRulesIn(Strict):
    """Every linkage rule (replaces the stored ones)."""

    rules: list[LinkageRuleIn] = Field(max_length=200)


class LinkageRuleOut(Public):
    """A stored linkage rule."""

    id: int
    name: str
    source: str | None
    kind: str | None
    enabled: bool
    actions: list[dict[str, Any]]
