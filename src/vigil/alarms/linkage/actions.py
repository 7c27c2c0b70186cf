"""Linkage actions as data: what an operator stores in a rule, parsed into typed values.

A rule's actions are JSON objects with a ``type``; each type is a frozen dataclass here, and
:func:`parse_action` turns a stored object into one (``Invalid`` naming the problem otherwise).
A new action type is a dataclass, a row in ``_TYPES`` and a performer in :mod:`.runner`.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from vigil.errors import Invalid

__all__ = [
    "Action",
    "EvidenceLock",
    "ForwardUpper",
    "MqttPublish",
    "PtzPreset",
    "Record",
    "Wall",
    "Webhook",
    "parse_action",
]


@dataclass(frozen=True, kw_only=True)
class EvidenceLock:
    """Lock the recording over the alarm's clip range against retention (channel alarms of a
    channel that records)."""

    type: str = "evidence_lock"


class _Blank(dict[str, str]):
    """Placeholder values; an unknown placeholder is ``_``."""

    def __missing__(self, key: str) -> str:
        return "_"


def _fill(topic: str, source: object, kind: object, channel: object) -> str:
    """``topic`` with its placeholders filled; MQTT's ``+``, ``#`` and ``/`` in values become
    ``_`` so a value can neither add levels nor wildcards."""
    values = _Blank()
    for key, value in (("source", source), ("kind", kind), ("channel", channel)):
        values[key] = str(value).replace("+", "_").replace("#", "_").replace("/", "_")
    return topic.format_map(values)


@dataclass(frozen=True, kw_only=True)
class MqttPublish:
    """Publish the alarm as JSON to an MQTT broker. ``topic`` may hold ``{source}``, ``{kind}``
    and ``{channel}``."""

    type: str = "mqtt"
    host: str = "127.0.0.1"
    port: int = 1883
    topic: str = "vigil/alarms/{source}/{kind}"
    qos: int = 1

    def __post_init__(self) -> None:
        if not 0 < self.port < 65536 or self.qos not in (0, 1, 2) or not self.host:
            raise Invalid("mqtt action: bad host, port or qos", code="alarms.linkage.action")
        try:
            sample = _fill(self.topic, "s", "k", "c")
        except (ValueError, IndexError):  # "{", "}" or "{0}" in the topic
            sample = "+"
        if not sample or "+" in sample or "#" in sample or "\x00" in sample:
            raise Invalid(
                "mqtt action: the topic must be a topic name without wildcards, with only "
                "{source}, {kind} and {channel} as placeholders",
                code="alarms.linkage.action",
            )

    def topic_for(self, alarm: dict[str, Any]) -> str:
        """The topic for ``alarm`` (as :func:`~vigil.alarms.linkage.runner.alarm_json` gives)."""
        return _fill(self.topic, alarm["source"], alarm["kind"], alarm["channel_id"])


@dataclass(frozen=True, kw_only=True)
class Webhook:
    """POST the alarm as JSON to ``url`` (http or https)."""

    type: str = "webhook"
    url: str
    timeout: float = 5.0

    def __post_init__(self) -> None:
        try:
            parts = urlsplit(self.url)
            good = parts.scheme in ("http", "https") and bool(parts.hostname)
        except ValueError:  # a malformed authority (http://[)
            good = False
        if not good:
            raise Invalid(
                "webhook action: url must be http(s)://host/...", code="alarms.linkage.action"
            )
        if not 0 < self.timeout <= 60:
            raise Invalid(
                "webhook action: timeout must be in (0, 60] s", code="alarms.linkage.action"
            )


def _bad(text: str) -> Invalid:
    return Invalid(text, code="alarms.linkage.action")


def _whole(value: object, low: int, high: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and low <= value <= high


@dataclass(frozen=True, kw_only=True)
class ForwardUpper:
    """Pass an analytics or availability alarm of a shared channel up to the upper platforms
    as a GB/T 28181 Alarm (device alarms go up always, without a rule)."""

    type: str = "forward_upper"


@dataclass(frozen=True, kw_only=True)
class PtzPreset:
    """Send a dome to ``preset`` (1–255): the alarm's channel, or ``channel_id``."""

    type: str = "ptz_preset"
    preset: int
    channel_id: str | None = None

    def __post_init__(self) -> None:
        if not _whole(self.preset, 1, 255):
            raise _bad("ptz_preset action: preset must be a whole number 1..255")
        channel = self.channel_id
        if channel is not None and not (
            isinstance(channel, str)
            and len(channel) == 20
            and channel.isascii()
            and channel.isdigit()
        ):
            raise _bad("ptz_preset action: channel_id must be a 20-digit GB/T 28181 ID")


@dataclass(frozen=True, kw_only=True)
class Record:
    """Record the alarm's channel for ``seconds`` (10–3600) when it is not recording already."""

    type: str = "record"
    seconds: int

    def __post_init__(self) -> None:
        if not _whole(self.seconds, 10, 3600):
            raise _bad("record action: seconds must be a whole number 10..3600")


@dataclass(frozen=True, kw_only=True)
class Wall:
    """Show the alarm's channel on the operators' open live walls (``wall``: one wall's name,
    or every wall when empty)."""

    type: str = "wall"
    wall: str | None = None

    def __post_init__(self) -> None:
        name = self.wall
        if name is not None and not (
            isinstance(name, str)
            and 0 < len(name) <= 64
            and not any(ord(c) < 32 or ord(c) == 127 for c in name)
        ):
            raise _bad("wall action: wall is a name of 1 to 64 characters, no control characters")


Action = EvidenceLock | MqttPublish | Webhook | ForwardUpper | PtzPreset | Record | Wall

_TYPES: dict[str, type[Action]] = {
    "evidence_lock": EvidenceLock,
    "mqtt": MqttPublish,
    "webhook": Webhook,
    "forward_upper": ForwardUpper,
    "ptz_preset": PtzPreset,
    "record": Record,
    "wall": Wall,
}


def parse_action(raw: dict[str, Any]) -> Action:
    """The action a stored object describes; ``Invalid`` for an unknown type or field."""
    kind = _TYPES.get(str(raw.get("type")))
    if kind is None:
        raise Invalid(
            f"unknown linkage action type {raw.get('type')!r}", code="alarms.linkage.action"
        )
    names = {f.name for f in dataclasses.fields(kind)}
    unknown = sorted(set(raw) - names)
    if unknown:
        raise Invalid(
            f"unknown fields {unknown} in a {kind.__name__} action", code="alarms.linkage.action"
        )
    try:
        return kind(**raw)
    except TypeError as exc:
        raise Invalid(f"bad {kind.__name__} action: {exc}", code="alarms.linkage.action") from None
