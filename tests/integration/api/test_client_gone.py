"""An answer to a client that has already gone ends the request quietly.

The race itself (uvicorn closing a connection after a pipelined request, before its handler
answers) depends on timing, so the network fuzz test only met it about one run in four. Here the
node's whole ASGI application is called with a ``send`` that fails the way uvloop's closed
transport does, so the outcome is certain; the transport is the one thing mocked.
"""

from __future__ import annotations

import logging

import pytest
from starlette.types import Message

from vigil.api.server import create_api
from vigil.app import Vigil

UVLOOP_CLOSED = (
    "unable to perform operation on <TCPTransport closed=True reading=False 0x1>; "
    "the handler is closed"
)


def _scope(method: str, path: str) -> dict[str, object]:
    return {
        "type": "http",
        "asgi": {"version": "3.0", "spec_version": "2.4"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(b"host", b"vigil.test")],
        "client": ("127.0.0.1", 40000),
        "server": ("127.0.0.1", 8080),
    }


async def _receive() -> Message:
    return {"type": "http.request", "body": b"", "more_body": False}


async def test_a_send_on_a_closed_transport_is_not_an_unhandled_error(
    node: Vigil, caplog: pytest.LogCaptureFixture
) -> None:
    sent: list[Message] = []

    async def closed(message: Message) -> None:
        sent.append(message)
        raise RuntimeError(UVLOOP_CLOSED)

    app = create_api(node)
    with caplog.at_level(logging.DEBUG):
        await app(_scope("GET", "/api/v1/health"), _receive, closed)
    assert [m["type"] for m in sent] == ["http.response.start"]  # no second try, no 500 after it
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert errors == [], [r.getMessage() for r in errors]
    assert any("client went away" in r.getMessage() for r in caplog.records)


async def test_any_other_failure_of_send_is_still_an_error(node: Vigil) -> None:
    async def broken(message: Message) -> None:
        raise RuntimeError("Invalid HTTP header value.")

    app = create_api(node)
    with pytest.raises(RuntimeError, match="Invalid HTTP header value"):
        await app(_scope("GET", "/api/v1/health"), _receive, broken)
