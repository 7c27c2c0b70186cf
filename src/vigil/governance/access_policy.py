"""The one access decision: may this subject do this action on this channel, now, for this reason?

:func:`decide` is pure: it is given who asks (role, permissions, organisation scopes, clearance),
the channel (organisation path, sensitivity), the action, the time, the access windows and the
stated purpose and case number, and returns a :class:`Decision` whose refusal says why in words a
person can act on ("needs clearance 2", "outside 08:00–20:00 …", "role viewer may not export").
The service :class:`vigil.governance.access_policy_service.AccessPolicy` loads these facts and
calls it at every video access and control point.

The rules, in the order they are checked (the first that fails is the reason):

1. **Role and permission.** Each action needs a permission (:data:`ACTION_PERMISSION`) and
   ``catalog:read``; a role without it "may not", an API token lacking it likewise.
2. **Organisation scope.** The channel must be filed under one of the caller's organisations,
   or — to watch it live only — be lent to one of them by a share in force
   (:mod:`vigil.governance.channel_shares`).
3. **Sensitivity versus clearance.** A channel has a sensitivity 0 (public) … 3 (secret), a user
   a clearance 0 … 3; a user sees a channel only when sensitivity <= clearance. Both default to
   0 and are set explicitly by an administrator: admins get no clearance by virtue of their role
   (an admin runs the platform; what it may watch is a separate grant, and it is audited). The
   platform itself (a principal without a user: start-up, linkage, the CLI) is trusted with
   clearance 3 and no time windows; what it does is audited under its own name.
4. **Time windows.** Windows are kept per role or per user, per action, optionally per days of
   the week, in the node's local time zone. A user's own windows for an action replace their
   role's; where none apply there is no time limit; where some apply, the time must fall inside
   one. A window whose end is before its start runs past midnight (22:00–06:00); its days are the
   days it starts on.
5. **Purpose.** Playback, download, export, search and unmask need a stated purpose (1 to
   :data:`MAX_PURPOSE` characters).
6. **Case number.** On a channel whose sensitivity is at least the setting
   ``access_case_from_sensitivity`` (default 2), those same actions also need a case number.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta, tzinfo

from vigil.errors import Forbidden, Param
from vigil.governance.permissions import ROLE_PERMISSIONS, Credential, Permission, Principal, Role

__all__ = [
    "ACTION_PERMISSION",
    "CASE_FROM_SENSITIVITY",
    "DAY_NAMES",
    "LENT_ACTIONS",
    "MAX_CASE",
    "MAX_PURPOSE",
    "MAX_SENSITIVITY",
    "NEEDS_PURPOSE",
    "AccessAction",
    "AccessWindow",
    "ChannelFacts",
    "Decision",
    "Justification",
    "Subject",
    "decide",
    "permitted",
    "windows_for",
]

MAX_SENSITIVITY = 3
"""Sensitivity and clearance run 0 (public) … 3 (secret)."""
MAX_PURPOSE = 200
"""Characters a stated purpose may have."""
MAX_CASE = 64
"""Characters a case number may have."""
CASE_FROM_SENSITIVITY = 2
"""Default sensitivity from which a case number is needed (setting
``access_case_from_sensitivity``)."""
DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
"""ISO weekdays 1 … 7, as a refusal names them."""


class AccessAction(enum.StrEnum):
    """What is done with a channel's video or its camera."""

    live = "live"
    playback = "playback"
    download = "download"
    export = "export"
    ptz = "ptz"
    unmask = "unmask"
    share = "share"
    search = "search"


ACTION_PERMISSION: Mapping[AccessAction, Permission] = {
    AccessAction.live: Permission.video_live,
    AccessAction.playback: Permission.video_playback,
    AccessAction.download: Permission.video_export,
    AccessAction.export: Permission.video_export,
    AccessAction.ptz: Permission.device_control,
    AccessAction.unmask: Permission.video_playback,
    AccessAction.share: Permission.video_export,
    AccessAction.search: Permission.video_playback,
}
"""The permission each action needs besides ``catalog:read``: getting video out of the platform
(download, export, a share) is ``video:export``; searching recorded video is ``video:playback``,
and so is seeing a masked channel unmasked — the same right as the approval workflow asks of an
unmask request (:data:`vigil.governance.approval_rules.KIND_RIGHT`), since an approved request is
what gates it."""

NEEDS_PURPOSE = frozenset(
    {
        AccessAction.playback,
        AccessAction.download,
        AccessAction.export,
        AccessAction.search,
        AccessAction.unmask,
    }
)
"""Actions that need a stated purpose (and, on sensitive channels, a case number)."""

LENT_ACTIONS = frozenset({AccessAction.live})
"""What a share lets the organisation it lends a channel to do: watch it live, nothing more (no
recordings, no export, no sharing on)."""

_VERB: Mapping[AccessAction, str] = {
    AccessAction.live: "watch live video",
    AccessAction.playback: "play back",
    AccessAction.download: "download",
    AccessAction.export: "export",
    AccessAction.ptz: "control the camera",
    AccessAction.unmask: "unmask",
    AccessAction.share: "share",
    AccessAction.search: "search video",
}


@dataclass(frozen=True, slots=True)
class AccessWindow:
    """A time of day when a role or a user may do an action (``days``: ISO weekdays 1–7, None
    for every day). Exactly one of ``role`` and ``user_id`` is set."""

    action: AccessAction
    start: time
    end: time
    days: frozenset[int] | None = None
    role: Role | None = None
    user_id: int | None = None

    def __post_init__(self) -> None:
        if (self.role is None) == (self.user_id is None):
            raise ValueError("a window belongs to a role or to a user")
        if self.start == self.end:
            raise ValueError("a window's start and end must differ")
        if self.days is not None and (not self.days or not self.days <= set(range(1, 8))):
            raise ValueError("days are ISO weekdays 1 (Monday) to 7 (Sunday)")

    def covers(self, local: datetime) -> bool:
        """Whether the local time ``local`` falls inside the window."""
        clock = local.time().replace(tzinfo=None)
        if self.start < self.end:
            return self.start <= clock < self.end and self._on(local)
        if clock >= self.start:
            return self._on(local)  # the evening part, on its own day
        return clock < self.end and self._on(local - timedelta(days=1))

    def _on(self, day: datetime) -> bool:
        return self.days is None or day.isoweekday() in self.days

    def describe(self) -> str:
        """``08:00–20:00`` or ``08:00–20:00 Mon,Tue,Wed``."""
        span = f"{self.start:%H:%M}–{self.end:%H:%M}"
        if self.days is None:
            return span
        return f"{span} {','.join(DAY_NAMES[d - 1] for d in sorted(self.days))}"


@dataclass(frozen=True, slots=True)
class Subject:
    """Who asks: the principal and its clearance (0 … 3)."""

    principal: Principal
    clearance: int = 0

    @property
    def is_platform(self) -> bool:
        """The platform itself (no user behind it): full clearance, no windows."""
        return self.principal.user_id is None


@dataclass(frozen=True, slots=True)
class ChannelFacts:
    """What the decision needs to know about a channel."""

    id: str
    device_id: str
    org_path: str | None
    sensitivity: int = 0
    lent_to: tuple[str, ...] = ()
    """The paths of the organisations the channel is lent to now (see :data:`LENT_ACTIONS`)."""


@dataclass(frozen=True, slots=True)
class Justification:
    """Why the caller asks: a purpose, and for sensitive channels a case number."""

    purpose: str | None = None
    case: str | None = None


@dataclass(frozen=True, slots=True)
class Decision:
    """Allowed, or refused with a reason (English) and a stable code with its params."""

    allowed: bool
    reason: str = ""
    code: str = ""
    params: Mapping[str, Param] = field(default_factory=dict)

    @classmethod
    def refuse(cls, reason: str, code: str, **params: Param) -> Decision:
        return cls(False, reason, code, params)

    def enforce(self) -> None:
        """Raise :class:`~vigil.errors.Forbidden` with the reason when refused."""
        if not self.allowed:
            raise Forbidden(self.reason, code=self.code, **self.params)


ALLOWED = Decision(True)


def windows_for(
    subject: Subject, action: AccessAction, windows: Iterable[AccessWindow]
) -> list[AccessWindow]:
    """The windows that limit ``subject``'s ``action``: its own where it has any, else its
    role's (none: no time limit)."""
    principal = subject.principal
    relevant = [w for w in windows if w.action is action]
    own = [w for w in relevant if w.user_id is not None and w.user_id == principal.user_id]
    return own or [w for w in relevant if w.role is principal.role]


def decide(
    subject: Subject,
    channel: ChannelFacts,
    action: AccessAction,
    now: datetime,
    windows: Sequence[AccessWindow],
    why: Justification = Justification(),
    *,
    zone: tzinfo,
    case_from: int = CASE_FROM_SENSITIVITY,
) -> Decision:
    """Whether ``subject`` may do ``action`` on ``channel`` at ``now`` (aware), with the
    windows in force (local time in ``zone``) and the reasons given; see the module docstring."""
    for step in (
        _permission(subject.principal, action),
        _scope(subject.principal, channel, action),
        _clearance(subject, channel),
        _window(subject, action, now, windows, zone),
        _justified(channel, action, why, case_from),
    ):
        if not step.allowed:
            return step
    return ALLOWED


def permitted(principal: Principal, action: AccessAction) -> Decision:
    """Step 1 alone, for a channel that does not exist: refuse before saying "not found"."""
    return _permission(principal, action)


def _permission(principal: Principal, action: AccessAction) -> Decision:
    verb = _VERB[action]
    for needed in (ACTION_PERMISSION[action], Permission.catalog_read):
        if principal.has(needed):
            continue
        if needed not in ROLE_PERMISSIONS[principal.role]:
            who = f"role {principal.role.value}"
        elif principal.credential is Credential.api_token:
            who = "this API token"
        else:
            who = principal.username
        return Decision.refuse(
            f"{who} may not {verb}",
            "permission",
            permission=needed.value,
            action=action.value,
            role=principal.role.value,
        )
    return ALLOWED


def _scope(principal: Principal, channel: ChannelFacts, action: AccessAction) -> Decision:
    if principal.sees_org_path(channel.org_path):
        return ALLOWED
    if action in LENT_ACTIONS and any(principal.sees_org_path(p) for p in channel.lent_to):
        return ALLOWED
    return Decision.refuse(
        f"channel {channel.id} is outside your organisations",
        "out_of_scope",
        entity="channel",
        id=channel.id,
    )


def _clearance(subject: Subject, channel: ChannelFacts) -> Decision:
    if subject.is_platform or channel.sensitivity <= subject.clearance:
        return ALLOWED
    return Decision.refuse(
        f"channel {channel.id} needs clearance {channel.sensitivity}; "
        f"{subject.principal.username} has {subject.clearance}",
        "access.clearance",
        id=channel.id,
        needed=channel.sensitivity,
        clearance=subject.clearance,
    )


def _window(
    subject: Subject,
    action: AccessAction,
    now: datetime,
    windows: Sequence[AccessWindow],
    zone: tzinfo,
) -> Decision:
    if subject.is_platform:
        return ALLOWED
    limits = windows_for(subject, action, windows)
    local = now.astimezone(zone)
    if not limits or any(w.covers(local) for w in limits):
        return ALLOWED
    principal = subject.principal
    own = limits[0].user_id is not None
    who = principal.username if own else f"role {principal.role.value}"
    spans = ", ".join(w.describe() for w in limits)
    return Decision.refuse(
        f"outside {spans} ({zone}), when {who} may {_VERB[action]}; now {local:%a %H:%M}",
        "access.window",
        action=action.value,
        windows=spans,
        now=f"{local:%H:%M}",
    )


def _justified(
    channel: ChannelFacts, action: AccessAction, why: Justification, case_from: int
) -> Decision:
    if action not in NEEDS_PURPOSE:
        return ALLOWED
    verb = _VERB[action]
    purpose = (why.purpose or "").strip()
    if not purpose:
        return Decision.refuse(
            f"to {verb} you must state a purpose", "access.purpose", action=action.value
        )
    if len(purpose) > MAX_PURPOSE:
        return Decision.refuse(
            f"the purpose may be at most {MAX_PURPOSE} characters",
            "access.purpose_length",
            max=MAX_PURPOSE,
        )
    if channel.sensitivity >= case_from and not (why.case or "").strip():
        return Decision.refuse(
            f"channel {channel.id} has sensitivity {channel.sensitivity}: to {verb} you must "
            "give a case number",
            "access.case",
            id=channel.id,
            sensitivity=channel.sensitivity,
            action=action.value,
        )
    return ALLOWED
