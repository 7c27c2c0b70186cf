"""HLS (fMP4 segments) played by FFmpeg, JPEG snapshots, and the audit records of both."""

from __future__ import annotations

import asyncio
import io
import json
import shutil

import av
import httpx
import pytest

from tests.integration.media.live_support import (
    CHANNEL,
    GbTestProvider,
    admin_headers,
    media_node,
    open_live,
    serve,
)
from vigil.app import Vigil
from vigil.governance.audit import AuditFilter
from vigil.governance.permissions import SYSTEM
from vigil.store.models import Role

__all__ = ["media_node"]  # the fixture, imported

pytestmark = pytest.mark.timeout(90)


async def run(*command: str) -> tuple[int, str, str]:
    process = await asyncio.create_subprocess_exec(
        *command, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE
    )
    out, err = await asyncio.wait_for(process.communicate(), 60)
    assert process.returncode is not None
    return process.returncode, out.decode(), err.decode()


@pytest.mark.skipif(shutil.which("ffprobe") is None, reason="FFmpeg (Debian ffmpeg) not installed")
@pytest.mark.parametrize("codec", ["h264", "hevc"])
async def test_hls_plays_through_ffmpeg(media_node: Vigil, codec: str) -> None:
    media_node.media.register_provider("gb28181", GbTestProvider(media_node.media, codec))
    async with serve(media_node) as url:
        hls = (await open_live(url))["hls"]
        code, out, err = await run(
            "ffprobe", "-v", "error", "-show_entries", "stream=codec_name,width,height",
            "-of", "json", hls,
        )  # fmt: skip
        assert code == 0, err
        stream = json.loads(out)["streams"][0]
        assert (stream["codec_name"], stream["width"], stream["height"]) == (codec, 320, 240)
        # Decode two seconds of it: segments keep coming and follow one another.
        code, _, err = await run("ffmpeg", "-v", "error", "-i", hls, "-t", "2", "-f", "null", "-")
        assert code == 0 and "error" not in err.lower(), err
        async with httpx.AsyncClient() as http:
            playlist = (await http.get(hls)).text
        assert "#EXT-X-MAP:URI=" in playlist and ".m4s?token=" in playlist


async def test_snapshot_is_a_jpeg_and_views_are_audited(media_node: Vigil) -> None:
    media_node.media.register_provider("gb28181", GbTestProvider(media_node.media))
    await media_node.users.create(SYSTEM, "auditor1", "Auditor-Pass-12345", Role.auditor, [])
    async with serve(media_node) as url:
        await open_live(url)
        async with httpx.AsyncClient(base_url=url, headers=await admin_headers(url)) as http:
            response = await http.get(f"/api/v1/channels/{CHANNEL}/snapshot")
            assert response.status_code == 200, response.text
            assert response.headers["content-type"] == "image/jpeg"
            with av.open(io.BytesIO(response.content), "r") as image:
                frame = next(image.decode(video=0))
            assert (frame.width, frame.height) == (320, 240)
            token = await http.post(
                "/api/v1/auth/token",
                data={"username": "auditor1", "password": "Auditor-Pass-12345"},
            )
            auditor = {"Authorization": f"Bearer {token.json()['access_token']}"}
            refused = await http.post(f"/api/v1/channels/{CHANNEL}/live", headers=auditor)
            assert refused.status_code == 403
    records = await media_node.audit.page(SYSTEM, AuditFilter(channel_id=CHANNEL), None, 50)
    actions = sorted(r.action for r in records if r.outcome == "ok")
    assert actions == ["video.live", "video.snapshot"]
    assert all(r.actor == "admin" for r in records if r.outcome == "ok")
    # The access policy records the refusal too, with its reason.
    (refusal,) = [r for r in records if r.outcome != "ok"]
    assert (refusal.actor, refusal.action) == ("auditor1", "video.live")
    assert refusal.outcome == "forbidden"
