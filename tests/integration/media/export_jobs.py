"""Waiting on an export job through the API (shared by the export tests)."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx


async def finished(client: httpx.AsyncClient, who: dict[str, str], job: str) -> dict[str, Any]:
    """The export job's status once it is no longer running (within 20 s)."""
    for _ in range(400):
        status: dict[str, Any] = (await client.get(f"/api/v1/exports/{job}", headers=who)).json()
        if status["state"] != "running":
            return status
        await asyncio.sleep(0.05)
    raise AssertionError("export did not finish within 20 s")
