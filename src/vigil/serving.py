"""Serving a node: what ``vigil serve`` and ``vigil demo`` run, start to stop.

In order: the data dir's lock (one serving process per data dir, :mod:`vigil.data_dir`), the HTTP
socket (bound and listening before anything starts, so a busy port costs nothing and the banner
never precedes it), the node with SIP, whatever the command adds (the demo's cameras), the banner,
then HTTP until SIGINT or SIGTERM. Whatever happened, the node is stopped — its diagnosis worker
process included — before the process exits.

Signals belong to this loop, not to uvicorn (which would re-raise a signal once it had stopped,
ending the process before the node was stopped). A signal while the node starts cancels the
start, whose clean-up stops what had started; one while it serves ends serving (requests get
:data:`GRACE` seconds to finish; a second signal cuts that short); one while it stops is ignored.
Log lines are held until the banner (:class:`~vigil.logs.HeldLog`), so a start that fails for a
known cause (a :class:`~vigil.errors.VigilError`: busy port, data dir, database) is the one line
the caller prints.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import signal
import socket
from collections.abc import Callable, Generator
from contextlib import AbstractAsyncContextManager
from typing import Literal

import uvicorn
import uvloop

from vigil.api.server import create_api
from vigil.app import Vigil
from vigil.config import Settings
from vigil.data_dir import hold_data_dir
from vigil.errors import Unavailable, VigilError
from vigil.logs import HeldLog

__all__ = ["GRACE", "Extra", "Say", "bind_http", "run_server"]

#: Seconds open requests (a download, a live WebSocket) get to finish once serving ends.
GRACE = 10.0
_BACKLOG = 2048

#: What a command adds to a started node (the demo's cameras) for as long as it serves; it
#: yields the banner's lines.
Extra = Callable[[Vigil], AbstractAsyncContextManager[list[str]]]
#: Writes one line for the operator (standard output).
Say = Callable[[str], None]


def run_server(settings: Settings, extra: Extra, say: Say, *, announce_admin: bool = True) -> None:
    """Serve until SIGINT or SIGTERM. Raises the :class:`VigilError` a start failed with."""
    held = HeldLog()
    tune_collector()
    try:
        uvloop.run(_run(settings, extra, say if announce_admin else None, say, held))
    except VigilError:
        held.discard()
        raise
    finally:
        held.release()  # an unexpected error's traceback comes with the lines before it


def tune_collector() -> None:
    """Fewer, cheaper garbage collections for a long-running node.

    A node holds hundreds of thousands of long-lived objects (per device: registration,
    transactions, subscriptions; the ORM's caches), which CPython's default thresholds
    (700, 10, 10) traverse again and again. Objects made while importing are frozen out of
    collection, and the youngest generation is collected after 20,000 allocations instead of 700.
    """
    gc.freeze()
    gc.set_threshold(20_000, 20, 20)


def bind_http(host: str, port: int) -> socket.socket:
    """A listening TCP socket on ``host``:``port``, or an :class:`Unavailable` saying why not."""
    sock: socket.socket | None = None
    try:
        family, kind, proto, _, address = socket.getaddrinfo(
            host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
        )[0]
        sock = socket.socket(family, kind, proto)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # not a busy listener
        sock.bind(address)
        sock.listen(_BACKLOG)
    except OSError as exc:
        if sock is not None:
            sock.close()
        reason = exc.strerror or exc
        raise Unavailable(f"cannot listen for HTTP on {host}:{port}: {reason}") from None
    return sock


class _Server(uvicorn.Server):
    """uvicorn's server without its own signal handling (see the module's doc)."""

    @contextlib.contextmanager
    def capture_signals(self) -> Generator[None, None, None]:
        yield


class _Signals:
    """SIGINT and SIGTERM, by phase: ``starting`` cancels the start, ``serving`` ends serving,
    ``stopping`` ignores them."""

    def __init__(self) -> None:
        self.phase: Literal["starting", "serving", "stopping"] = "starting"
        self.received = 0
        self.server: uvicorn.Server | None = None
        self._task = asyncio.current_task()

    def install(self) -> None:
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(signum, self._on_signal)

    def _on_signal(self) -> None:
        self.received += 1
        if self.phase == "starting" and self.received == 1 and self._task is not None:
            self._task.cancel()
        elif self.phase == "serving" and self.server is not None:
            self.server.should_exit = True
            self.server.force_exit = self.received > 1


async def _run(
    settings: Settings, extra: Extra, admin: Say | None, say: Say, held: HeldLog
) -> None:
    signals = _Signals()
    signals.install()
    try:
        with hold_data_dir(settings.data_dir):
            sock = bind_http(settings.http_host, settings.http_port)
            try:
                await _serve(Vigil(settings), sock, extra, admin, say, held, signals)
            finally:
                sock.close()
    except asyncio.CancelledError:
        if not signals.received:
            raise
        # Stopped by a signal while starting: everything that had started has stopped.


async def _serve(
    node: Vigil,
    sock: socket.socket,
    extra: Extra,
    admin: Say | None,
    say: Say,
    held: HeldLog,
    signals: _Signals,
) -> None:
    try:

        def show(password: str) -> None:  # at once: a later failure must not lose it
            if admin is not None:
                admin(f"created user admin with password {password} (shown once)")

        await node.start(serving=True, on_admin_password=show)
        async with extra(node) as banner:
            config = uvicorn.Config(
                create_api(node),
                host=node.settings.http_host,
                port=node.settings.http_port,
                loop="none",
                lifespan="off",
                log_config=None,
                access_log=False,
                timeout_graceful_shutdown=int(GRACE),
            )
            signals.server = server = _Server(config)
            signals.phase = "serving"
            for line in banner:
                say(line)
            held.release()
            await server.serve(sockets=[sock])
            signals.phase = "stopping"  # before the extra's clean-up, too
    finally:
        signals.phase = "stopping"
        await node.stop()
