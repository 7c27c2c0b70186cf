""" "Just now" plays back: a channel recording for 30 s, its one segment still open (no index row
yet), is listed with that open span and plays back from 20 s ago over the WebSocket, from the
fragments already on disk. Runs on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import dataclasses
import json
import time
from collections.abc import AsyncIterator
from datetime import datetime

import httpx
import websockets

from tests.integration.media.live_support import admin_headers, serve
from tests.integration.media.recording_synthetic import stream
from tests.integration.media.test_recording_export import CHANNEL, KEY, add_channel
from tests.integration.media.test_recording_playback import decoded_frames
from vigil.app import Vigil
from vigil.media.packet import Codec, MediaPacket
from vigil.media.recording.index import utc


async def until_stopped(node: Vigil, now: float) -> asyncio.Task[None]:
    """Record the 30 s before ``now`` (fed at once, 5 fps, a keyframe every 2 s); the camera then
    goes on sending nothing, so the segment stays open. Returns once all 30 s were taken."""
    fed = asyncio.Event()

    async def camera() -> AsyncIterator[MediaPacket]:
        for packet in stream(Codec.H264, 30, start=now - 30):
            yield packet
        fed.set()
        await asyncio.Event().wait()

    # A silent camera would have its segment closed after 5 s: not within this test.
    node.recording.config = dataclasses.replace(node.recording.config, idle_close=3600)
    task = await node.recording.record(KEY, camera())
    await asyncio.wait_for(fed.wait(), 30)
    return task


async def test_the_open_segment_is_listed_and_plays_back(node: Vigil) -> None:
    await add_channel(node)
    now = float(int(time.time()))
    await until_stopped(node, now)
    assert await node.recording.index.segments(CHANNEL, utc(now - 60), utc(now + 60)) == []

    async with serve(node) as url:
        headers = await admin_headers(url)
        async with httpx.AsyncClient(base_url=url, headers=headers) as http:
            listing = await http.get(
                f"/api/v1/channels/{CHANNEL}/recordings",
                params={"start": utc(now - 60).isoformat(), "end": utc(now + 60).isoformat()},
            )
            assert listing.status_code == 200, listing.text
            [segment] = listing.json()["segments"]
            assert segment["open"] is True and segment["id"] is None and segment["sha256"] is None
            assert datetime.fromisoformat(segment["start"]) == utc(now - 30)
            # Its last frame arrived 0.2 s before now: the span reaches now.
            assert datetime.fromisoformat(segment["end"]) == utc(now)
            assert segment["size"] > 0

            body = {
                "start": utc(now - 20).isoformat(),
                "end": utc(now + 60).isoformat(),
                "purpose": "open segment test",
            }
            started = await http.post(
                f"/api/v1/channels/{CHANNEL}/playback", json={**body, "speed": 8}
            )
            assert started.status_code == 201, started.text
            session = started.json()
        assert session["segments"] == 1

        async with websockets.connect(session["ws_fmp4"]) as ws:
            init = json.loads(await asyncio.wait_for(ws.recv(), 10))
            assert init["type"] == "init", init
            first = datetime.fromisoformat(init["at"]).timestamp()
            assert abs(first - (now - 20)) < 0.001  # the keyframe at now - 20 s
            chunks: list[bytes] = []
            while isinstance(message := await asyncio.wait_for(ws.recv(), 10), bytes):
                chunks.append(message)
            assert json.loads(message) == {"type": "end"}
    # From 20 s ago up to the last complete fragment on disk: the newest GOP or two (2 s each)
    # are still in the muxer, so at least 14 s of the 20 (70 frames at 5 fps), all decodable.
    frames = len(chunks) - 1
    assert 70 <= frames <= 100, frames
    assert decoded_frames(chunks) == frames
