"""Live view sessions and their short-lived URL tokens.

A browser cannot put an ``Authorization`` header on a WebSocket or on the requests an HLS player
makes, so the live URLs carry a token instead: HMAC-SHA256 over session id, user, channel, stream
and expiry. It is checked on every request (playlist, segment, WebSocket upgrade) and is useless
for another channel, another user or after it expires.

The HMAC key is 32 random bytes held in memory by this process and sessions live in memory too:
a restart invalidates every live URL, and clients simply ask for a new session. (A cluster with
a load balancer would need the key shared; a media node serves the sessions it issued.)
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass

from vigil.errors import Unauthorized
from vigil.media.packet import StreamKey

__all__ = ["LiveSession", "LiveSessions"]


@dataclass(frozen=True, slots=True)
class LiveSession:
    id: str
    user: str
    key: StreamKey
    expires: int
    token: str


class LiveSessions:
    """Issues and checks live sessions; expired ones are forgotten as new ones are made."""

    def __init__(self, ttl: float = 300.0, clock: Callable[[], float] = time.time) -> None:
        self.ttl = ttl
        self._clock = clock
        self._key = secrets.token_bytes(32)
        self._sessions: dict[str, LiveSession] = {}

    def __len__(self) -> int:
        return len(self._sessions)

    def create(self, user: str, key: StreamKey) -> LiveSession:
        now = self._clock()
        self._prune(now)
        session_id = secrets.token_urlsafe(12)
        expires = int(now + self.ttl)
        token = f"{expires}.{self._sign(session_id, user, key, expires)}"
        session = LiveSession(session_id, user, key, expires, token)
        self._sessions[session_id] = session
        return session

    def check(self, session_id: str, token: str | None) -> LiveSession:
        """The session, if ``token`` is its valid, unexpired token; else :class:`Unauthorized`."""
        session = self._sessions.get(session_id)
        if session is None or not token:
            raise Unauthorized("unknown live session or missing token")
        expires_text, _, signature = token.partition(".")
        if not expires_text.isdigit():
            raise Unauthorized("malformed live token")
        expires = int(expires_text)
        expected = self._sign(session.id, session.user, session.key, expires)
        if not hmac.compare_digest(signature, expected):
            raise Unauthorized("live token does not match this session")
        if expires <= self._clock():
            raise Unauthorized("live token has expired; ask for a new live session")
        return session

    def _sign(self, session_id: str, user: str, key: StreamKey, expires: int) -> str:
        message = f"{session_id}|{user}|{key.channel_id}|{key.stream}|{expires}".encode()
        digest = hmac.new(self._key, message, hashlib.sha256).digest()
        return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()

    def _prune(self, now: float) -> None:
        expired = [sid for sid, s in self._sessions.items() if s.expires <= now]
        for sid in expired:
            del self._sessions[sid]
