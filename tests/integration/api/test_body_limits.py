"""Request bodies are bounded: 200 MB sent to a real ``vigil serve`` is refused with 413 early.

Each oversized request is written over a raw socket, as fast as the server takes it, and stops
as soon as the server answers (or hangs up): a server that buffered the body would read all
200 MB first. Its peak memory (``VmHWM``) must barely move. A GIS layer import, which may be
bigger than the default limit, still works within its own.
"""

from __future__ import annotations

import json
import select
import socket
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest

from tests.integration.api.coverage_layout import lonlat
from tests.integration.live import LiveServer, live_vigil

ADMIN_PASSWORD = "Body-Limit-Pass-1"
TOTAL = 200 * 1024 * 1024
PIECE = 256 * 1024
PROBLEM = "https://vigil.example/problems/content-too-large"

pytestmark = pytest.mark.timeout(120)


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes
    sent: int


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    data_dir: Path = tmp_path_factory.mktemp("body-limits")
    with live_vigil("serve", data_dir, admin_password=ADMIN_PASSWORD) as live:
        yield live


def peak_rss(server: LiveServer) -> int:
    """The server process's peak resident memory in bytes (``VmHWM``)."""
    status = Path(f"/proc/{server.process.pid}/status").read_text()
    (line,) = [row for row in status.splitlines() if row.startswith("VmHWM:")]
    return int(line.split()[1]) * 1024


def _parse(raw: bytes, sent: int) -> Answer:
    head, _, body = raw.partition(b"\r\n\r\n")
    status_line, *lines = head.decode("latin-1").split("\r\n")
    headers = {k.strip().lower(): v.strip() for k, _, v in (ln.partition(":") for ln in lines)}
    return Answer(int(status_line.split()[1]), headers, body, sent)


def _read_answer(sock: socket.socket) -> bytes:
    raw = b""
    while True:
        try:
            data = sock.recv(65536)
        except ConnectionResetError:
            return raw
        if not data:
            return raw
        raw += data
        head, sep, body = raw.partition(b"\r\n\r\n")
        if sep and b"content-length:" in head.lower():
            length = int(head.lower().split(b"content-length:")[1].split(b"\r\n")[0])
            if len(body) >= length:
                return raw


def post_huge(server: LiveServer, path: str, *, chunked: bool) -> Answer:
    """POST ``TOTAL`` bytes to ``path`` without a token; stop writing once the server answers."""
    where = urlsplit(server.url)
    framing = "Transfer-Encoding: chunked" if chunked else f"Content-Length: {TOTAL}"
    head = (
        f"POST {path} HTTP/1.1\r\nHost: {where.netloc}\r\n"
        f"Content-Type: application/json\r\n{framing}\r\n\r\n"
    ).encode()
    piece = b"[" * PIECE
    if chunked:
        piece = f"{PIECE:x}\r\n".encode() + piece + b"\r\n"
    with socket.create_connection((where.hostname, where.port), timeout=30) as sock:
        sock.sendall(head)
        sock.setblocking(False)
        sent = 0
        while sent < TOTAL:
            readable, writable, _ = select.select([sock], [sock], [], 30)
            if readable:
                break
            if writable:
                try:
                    sock.send(piece)  # a partial write only shortens the body: fine here
                except (BrokenPipeError, ConnectionResetError):
                    break
                except BlockingIOError:
                    continue
                sent += PIECE
        else:
            if chunked:
                sock.setblocking(True)
                sock.sendall(b"0\r\n\r\n")
        sock.setblocking(True)
        return _parse(_read_answer(sock), sent)


def test_a_200_mb_body_is_refused_early_and_memory_stays_flat(server: LiveServer) -> None:
    # Warm up the paths the refusals take, so that only the body could raise the peak.
    warm = httpx.post(f"{server.url}/api/v1/organisations", json={"id": "34", "name": "x"})
    assert warm.status_code == 401
    before = peak_rss(server)
    answers = [
        post_huge(server, "/api/v1/organisations", chunked=False),
        post_huge(server, "/api/v1/organisations", chunked=True),
        post_huge(server, "/api/v1/gis/layers/road", chunked=False),
        post_huge(server, "/api/v1/gis/layers/road", chunked=True),
    ]
    grown = peak_rss(server) - before
    for answer in answers:
        assert answer.status == 413, answer
        assert answer.headers["content-type"] == "application/problem+json"
        assert json.loads(answer.body)["type"] == PROBLEM
        assert answer.headers.get("connection") == "close"
        assert answer.sent < TOTAL // 2  # the server answered long before the body's end
    assert grown < 20 * 1024 * 1024, f"peak RSS grew by {grown / 2**20:.1f} MiB"
    # The server is still well after it.
    assert httpx.get(f"{server.url}/api/v1/health").status_code == 200


def test_a_gis_import_bigger_than_the_default_limit_works_within_its_own(
    server: LiveServer,
) -> None:
    login = httpx.post(
        f"{server.url}/api/v1/auth/token", data={"username": "admin", "password": ADMIN_PASSWORD}
    )
    headers = {"Authorization": f"Bearer {login.json()['access_token']}"}
    roads = [
        {
            "type": "Feature",
            "properties": {"name": f"road {i}"},
            "geometry": {
                "type": "LineString",
                "coordinates": [lonlat(i * 3.0, step * 0.5) for step in range(400)],
            },
        }
        for i in range(200)
    ]
    body = json.dumps({"type": "FeatureCollection", "features": roads}).encode()
    assert 2 * 1024 * 1024 < len(body) < 8 * 1024 * 1024, len(body)
    imported = httpx.post(
        f"{server.url}/api/v1/gis/layers/road",
        content=body,
        headers={**headers, "Content-Type": "application/json"},
        timeout=60,
    )
    assert imported.status_code == 201, imported.text
    assert imported.json() == {"imported": 200}
    # Any other route keeps the default limit, with a token or without.
    big = httpx.post(
        f"{server.url}/api/v1/organisations",
        content=body,
        headers={**headers, "Content-Type": "application/json"},
    )
    assert big.status_code == 413
    assert big.json()["type"] == PROBLEM
