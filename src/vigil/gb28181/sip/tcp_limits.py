"""How many SIP TCP connections a node accepts, from whom, and for how long.

Every accepted connection holds a file descriptor, and so does every HTTP client, database
connection, media socket and recording file. Left unbounded, ~1,000 idle TCP peers under a 1,024
descriptor limit once took the HTTP API down without a word. So at start the node raises its soft
``RLIMIT_NOFILE`` to the hard limit (:func:`raise_open_file_limit`), and :func:`tcp_limits` turns
the settings and that limit into :class:`TcpLimits`:

* ``first_message``: a new connection must deliver a complete SIP message within this many
  seconds (a peer that connects and says nothing, or trickles bytes, is closed);
* ``idle``: afterwards it may go this long without a complete message — by default twice the time
  after which a silent device is offline, so a registered device that keeps its connection
  (GB/T 28181-2022) never loses it while it keeps alive;
* ``per_address``: connections from one host at once;
* ``total``: connections at once, never more than half the open-file limit.

:class:`TcpAdmission` counts the connections open against the two caps.
"""

from __future__ import annotations

import resource
from dataclasses import dataclass

from vigil.config import Settings

__all__ = [
    "MAX_TCP_CONNECTIONS",
    "TcpAdmission",
    "TcpLimits",
    "raise_open_file_limit",
    "tcp_limits",
]

#: Connections accepted at once when the setting is unset (and the open-file limit allows).
MAX_TCP_CONNECTIONS = 20_000
#: The shortest default idle timeout, whatever the keepalive settings.
MIN_IDLE_SECONDS = 60.0
#: What "unlimited" means for the open-file limit (Linux refuses more than fs.nr_open anyway).
_UNLIMITED_FILES = 1 << 20


@dataclass(frozen=True, slots=True)
class TcpLimits:
    """See the module docstring."""

    first_message: float
    idle: float
    per_address: int
    total: int


def raise_open_file_limit() -> int:
    """Raise the soft ``RLIMIT_NOFILE`` to the hard one where allowed; the soft limit after."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = _UNLIMITED_FILES if hard == resource.RLIM_INFINITY else hard
    if soft != resource.RLIM_INFINITY and soft < target:
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
        except (ValueError, OSError):
            return soft
        return target
    return _UNLIMITED_FILES if soft == resource.RLIM_INFINITY else soft


def tcp_limits(settings: Settings, open_files: int) -> TcpLimits:
    """The limits for ``settings`` under a soft open-file limit of ``open_files``."""
    idle = settings.sip_tcp_idle_seconds
    if idle is None:
        offline_after = settings.keepalive_interval * settings.keepalive_missed
        idle = max(MIN_IDLE_SECONDS, 2.0 * offline_after)
    wanted = settings.sip_tcp_max_connections or MAX_TCP_CONNECTIONS
    total = max(1, min(wanted, open_files // 2))
    return TcpLimits(
        first_message=settings.sip_tcp_first_message_seconds,
        idle=idle,
        per_address=min(settings.sip_tcp_max_per_address, total),
        total=total,
    )


class TcpAdmission:
    """The accepted connections open now, per host and in all; which cap a new one would pass."""

    def __init__(self, limits: TcpLimits) -> None:
        self.limits = limits
        self.open = 0
        self._per_host: dict[str, int] = {}

    def admit(self, host: str) -> str | None:
        """Count a new connection from ``host``; or, uncounted, the cap it would pass
        (``"total"`` or ``"per address"``)."""
        if self.open >= self.limits.total:
            return "total"
        count = self._per_host.get(host, 0)
        if count >= self.limits.per_address:
            return "per address"
        self._per_host[host] = count + 1
        self.open += 1
        return None

    def release(self, host: str) -> None:
        """An admitted connection from ``host`` closed."""
        count = self._per_host.pop(host, 0) - 1
        if count > 0:
            self._per_host[host] = count
        self.open -= 1
