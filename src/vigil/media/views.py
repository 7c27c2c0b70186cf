"""Video views (live, recorded playback, device playback) and the one rule for who may keep one.

A browser cannot put an ``Authorization`` header on a WebSocket or on an HLS player's requests,
so a view's URLs carry a token of its own. That token is not a bearer link: the view remembers
the login session that opened it (the access token's row id, never the token) and
:meth:`ViewAccess.check` asks again — at the WebSocket handshake, on every HLS request, and
every :data:`RECHECK_SECONDS` on an open WebSocket — that

* the view has not expired;
* the login session is neither revoked (logout, password change) nor expired, and its user
  exists and is not disabled;
* the access policy (:mod:`vigil.governance.access_policy`) still lets the user, through that
  session, watch the channel this way: permission (``video:live`` or ``video:playback``),
  organisation scope, clearance for the channel's sensitivity, and the time windows of the
  user's role or the user (a view opened at 19:59 in a window ending at 20:00 stops at the
  next check), with the purpose and case number given when it was opened.

**Expiry.** A view lives :data:`VIEW_TTL` seconds from its opening or its last renewal. Its own
login session renews it while it watches (``POST /api/v1/views/{id}/renew``; the console does so
every third of the lifetime), so a live wall plays for hours, while a URL copied out of the
console stops within :data:`VIEW_TTL` of the console going away, and never outlives the login.
At expiry an open WebSocket is closed (4401) and HLS requests answer 401.

The token is 32 random bytes; only its SHA-256 is kept. Views live in this process's memory: a
restart ends them and clients open new ones.
"""

from __future__ import annotations

import enum
import hashlib
import hmac
import secrets
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from vigil.errors import Forbidden, NotFound, Unauthorized
from vigil.governance.access_policy import AccessAction, ChannelFacts
from vigil.governance.access_policy_service import AccessPolicy
from vigil.governance.audited import Caller, as_caller
from vigil.governance.auth import AuthService
from vigil.governance.permissions import Principal
from vigil.media.packet import StreamKey

__all__ = ["RECHECK_SECONDS", "VIEW_TTL", "IssuedView", "View", "ViewAccess", "ViewKind"]

VIEW_TTL = 300.0
"""Seconds a view lives unless renewed."""
RECHECK_SECONDS = 15.0
"""Seconds between re-checks of an open video WebSocket."""


class ViewKind(enum.StrEnum):
    """The kinds of video view, each an access policy action."""

    live = "live"
    playback = "playback"
    device_playback = "device-playback"


ACTION = {
    ViewKind.live: AccessAction.live,
    ViewKind.playback: AccessAction.playback,
    ViewKind.device_playback: AccessAction.playback,
}


def _digest(token: str) -> bytes:
    return hashlib.sha256(token.encode()).digest()


@dataclass(eq=False, slots=True)
class View:
    """One view: what it shows, whose login session opened it, until when it may be watched."""

    id: str
    kind: ViewKind
    key: StreamKey
    user_id: int
    username: str
    access_id: int
    expires: float
    digest: bytes = field(repr=False)
    purpose: str | None = None
    case: str | None = None
    unmask_approval: int | None = None
    """The approved unmask request this view shows the channel unmasked under (None: masked
    as the channel's privacy masks say)."""

    @property
    def unmasked(self) -> bool:
        return self.unmask_approval is not None


UnmaskCheck = Callable[[Caller, str, int], Awaitable[None]]
"""Raises unless the caller may still see the channel unmasked under the approval."""


@dataclass(frozen=True, slots=True)
class IssuedView:
    """A new view and its token, which goes into the URLs and is not kept."""

    view: View
    token: str = field(repr=False)

    @property
    def id(self) -> str:
        return self.view.id

    @property
    def expires(self) -> float:
        return self.view.expires


class ViewAccess:
    """Opens, admits, re-checks and renews views; built once by :class:`vigil.app.Vigil`.

    ``ttl`` and ``recheck`` default to :data:`VIEW_TTL` and :data:`RECHECK_SECONDS`.
    """

    def __init__(
        self,
        auth: AuthService,
        policy: AccessPolicy,
        *,
        ttl: float = VIEW_TTL,
        recheck: float = RECHECK_SECONDS,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._auth = auth
        self._policy = policy
        self.ttl = ttl
        self.recheck = recheck
        self._clock = clock
        self._views: dict[str, View] = {}
        self.unmask_check: UnmaskCheck | None = None
        """Asked on every re-check of an unmasked view (set by the node: the approval may have
        been revoked or have expired)."""

    def __len__(self) -> int:
        return len(self._views)

    async def authorise(
        self, who: Principal | Caller, kind: ViewKind, channel_id: str
    ) -> ChannelFacts:
        """Whether the caller may watch ``channel_id`` this way, with the purpose and case it
        gave: the channel, or Forbidden (recorded) or NotFound. The one decision, at opening."""
        return await self._policy.check(who, channel_id, ACTION[kind])

    async def _recheck(self, principal: Principal, view: View) -> None:
        """The opening's question asked again, now, with its purpose; refusals unrecorded."""
        caller = Caller(principal, purpose=view.purpose, case=view.case)
        await self._policy.check(
            caller, view.key.channel_id, ACTION[view.kind], record_refusal=False
        )
        if view.unmask_approval is not None:
            if self.unmask_check is None:
                raise Forbidden("unmasked views cannot be checked here", code="approval.required")
            await self.unmask_check(caller, view.key.channel_id, view.unmask_approval)

    def open(
        self,
        who: Principal | Caller,
        kind: ViewKind,
        key: StreamKey,
        unmask_approval: int | None = None,
    ) -> IssuedView:
        """A new view for a caller :meth:`authorise` has let through (and, with
        ``unmask_approval``, the masks service has let see the channel unmasked)."""
        caller = as_caller(who)
        principal = caller.principal
        if principal.user_id is None or principal.access_id is None:
            raise Forbidden("a video view belongs to a user's login session", code="session_only")
        now = self._clock()
        self._prune(now)
        token = secrets.token_urlsafe(32)
        view = View(
            id=secrets.token_urlsafe(12),
            kind=kind,
            key=key,
            user_id=principal.user_id,
            username=principal.username,
            access_id=principal.access_id,
            expires=now + self.ttl,
            digest=_digest(token),
            purpose=caller.purpose,
            case=caller.case,
            unmask_approval=unmask_approval,
        )
        self._views[view.id] = view
        return IssuedView(view, token)

    async def admit(self, view_id: str, token: str | None, kind: ViewKind) -> View:
        """The view a URL names, if ``token`` is its token and :meth:`check` passes."""
        view = self._views.get(view_id)
        if view is None or view.kind is not kind or not token:
            raise Unauthorized(f"unknown {kind.value} view or missing token", code="view.unknown")
        if not hmac.compare_digest(view.digest, _digest(token)):
            raise Unauthorized(f"the token is not this {kind.value} view's", code="view.unknown")
        await self.check(view)
        return view

    async def check(self, view: View) -> None:
        """Unauthorized when the view or its login session has ended (expired, revoked, user
        disabled); Forbidden or NotFound when the access policy now refuses it."""
        if self._views.get(view.id) is not view:
            raise Unauthorized(f"the {view.kind.value} view has ended", code="view.ended")
        if view.expires <= self._clock():
            raise Unauthorized(
                f"the {view.kind.value} view expired; open a new one", code="view.expired"
            )
        principal = await self._auth.session_principal(view.access_id)
        await self._recheck(principal, view)

    async def renew(self, principal: Principal, view_id: str) -> View:
        """Extend a view of the caller's own login session by ``ttl`` from now.

        ``principal`` was just authenticated by that session's bearer token; a view that is
        unknown, another session's or already expired is NotFound (the session itself is fine:
        open a new view), one the access policy now refuses Forbidden.
        """
        view = self._views.get(view_id)
        now = self._clock()
        if view is None or principal.access_id is None or view.access_id != principal.access_id:
            raise NotFound(f"no view {view_id} in this login session", code="view.unknown")
        if view.expires <= now:
            raise NotFound(
                f"the {view.kind.value} view {view_id} has expired; open a new one",
                code="view.expired",
            )
        await self._recheck(principal, view)
        view.expires = now + self.ttl
        return view

    def end_channel(self, channel_id: str) -> int:
        """End every view of ``channel_id`` (its privacy masks changed: what a view shows was
        decided at opening, so viewers open new views); how many ended."""
        ended = [v.id for v in self._views.values() if v.key.channel_id == channel_id]
        for view_id in ended:
            del self._views[view_id]
        return len(ended)

    def end(self, view_id: str) -> None:
        """Forget a view (its stream is over); its URLs stop working."""
        self._views.pop(view_id, None)

    def next_check_in(self, view: View) -> float:
        """Seconds until an open WebSocket's view must be checked again: the re-check period,
        or sooner when it expires sooner."""
        return max(0.0, min(self.recheck, view.expires - self._clock()))

    def _prune(self, now: float) -> None:
        for view_id in [v.id for v in self._views.values() if v.expires <= now]:
            del self._views[view_id]
