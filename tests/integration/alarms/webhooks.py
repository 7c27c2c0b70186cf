"""A real HTTP server on loopback that receives linkage webhooks: the tests read what was POSTed
to it."""

from __future__ import annotations

import contextlib
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

__all__ = ["Received", "receiving_webhooks"]

#: The (path, JSON body) of each POST received, in order.
Received = list[tuple[str, dict[str, Any]]]


class _Receiver(BaseHTTPRequestHandler):
    received: Received

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.received.append((self.path, json.loads(body)))
        self.send_response(204)
        self.end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextlib.contextmanager
def receiving_webhooks(path: str = "/hooks/alarm") -> Iterator[tuple[str, Received]]:
    """A server on 127.0.0.1 (a free port) in a thread: the URL to give a webhook action (its
    ``path`` on the server) and the list of bodies it receives."""
    received: Received = []
    handler = type("Receiver", (_Receiver,), {"received": received})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, name="test.webhook", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}{path}", received
    finally:
        server.shutdown()
        server.server_close()
