"""A simulated GB camera → PS over RTP (UDP, TCP passive, TCP active) → hub → fMP4 over WebSocket.

The browser's part is played by a WebSocket client and PyAV: the init segment plus the very
first fragment must decode, for H.264 and H.265.
"""

from __future__ import annotations

import asyncio
import re

import httpx
import pytest
import websockets

from tests.integration.media.live_support import (
    GbTestProvider,
    decode,
    media_node,
    open_live,
    serve,
)
from vigil.app import Vigil

__all__ = ["media_node"]  # the fixture, imported

pytestmark = pytest.mark.timeout(60)


@pytest.mark.parametrize(
    ("codec", "transport"),
    [("h264", "udp"), ("hevc", "udp"), ("h264", "tcp_passive"), ("hevc", "tcp_active")],
)
async def test_gb_camera_to_websocket_decodes_from_first_fragment(
    media_node: Vigil, codec: str, transport: str
) -> None:
    provider = GbTestProvider(media_node.media, codec, transport)  # type: ignore[arg-type]
    media_node.media.register_provider("gb28181", provider)
    async with serve(media_node) as url:
        live = await open_live(url)
        async with websockets.connect(live["ws_fmp4"]) as ws:
            init = await asyncio.wait_for(ws.recv(), 10)
            first = await asyncio.wait_for(ws.recv(), 10)
            more = [await asyncio.wait_for(ws.recv(), 10) for _ in range(10)]
        assert isinstance(init, bytes) and init[4:8] == b"ftyp"
        assert isinstance(first, bytes) and first[4:8] == b"moof"
        frames = decode(init + first)
        assert len(frames) == 1
        assert (frames[0].width, frames[0].height) == (320, 240)
        everything = decode(init + first + b"".join(m for m in more if isinstance(m, bytes)))
        assert len(everything) == 11
        assert frames[0].key_frame
        # The viewer left: after the linger the source is stopped, BYE sent, port and SSRC back.
        for _ in range(100):
            if provider.byes and not media_node.media.ports.in_use:
                break
            await asyncio.sleep(0.05)
        assert provider.byes == 1
        assert media_node.media.ports.in_use == frozenset()
        assert media_node.media.ssrcs.in_use == frozenset()


async def test_bad_token_is_refused(media_node: Vigil) -> None:
    media_node.media.register_provider("gb28181", GbTestProvider(media_node.media))
    async with serve(media_node) as url:
        live, other = await open_live(url), await open_live(url)
        token = live["hls"].split("token=")[1]
        forged = f"token={token[:-1]}{'A' if token[-1] != 'A' else 'B'}"  # one character off
        theirs = f"token={other['hls'].split('token=')[1]}"  # another view's token
        for wrong in (forged, theirs):
            with pytest.raises(websockets.exceptions.InvalidStatus):
                async with websockets.connect(re.sub(r"token=.*", wrong, live["ws_fmp4"])) as ws:
                    await ws.recv()
        async with httpx.AsyncClient() as http:
            for wrong in (forged, theirs):
                response = await http.get(re.sub(r"token=.*", wrong, live["hls"]))
                assert response.status_code == 401
                assert response.headers["content-type"] == "application/problem+json"
            other_url = live["hls"].replace(f"/live/{live['session']}/", "/live/AAAAAAAAAAAAAAAA/")
            assert (await http.get(other_url)).status_code == 401
        assert media_node.media.ports.in_use == frozenset()
