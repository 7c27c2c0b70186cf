"""Binding a media socket to a local address and port, the same way for every stream."""

from __future__ import annotations

import socket

__all__ = ["bound_socket"]

# A camera sends a keyframe (100+ packets at 4 Mbit/s) in one burst; the default receive buffer
# (about 200 KB) overflows while the loop serves other sockets. The kernel caps it at rmem_max.
_UDP_RECEIVE_BUFFER = 2 << 20


def bound_socket(host: str, port: int, kind: socket.SocketKind) -> socket.socket:
    """A non-blocking socket bound to ``port`` (``0``: any) on ``host``.

    UDP gets a large receive buffer (see ``_UDP_RECEIVE_BUFFER``). TCP (this side connects from
    the port) gets SO_REUSEADDR: the port comes from a pool and may have served an earlier
    connection that is still in TIME_WAIT; without address reuse the bind fails and the peer is
    never reached.
    """
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, kind)
    try:
        if kind == socket.SOCK_DGRAM:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, _UDP_RECEIVE_BUFFER)
        else:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.setblocking(False)
        sock.bind((host, port))
    except BaseException:
        sock.close()
        raise
    return sock
