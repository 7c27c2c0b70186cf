"""The web console: its built files at ``/`` with SPA fallback, and the settings it reads.

The console is a single-page application built from ``web/`` into ``web/dist`` (``make``
does it). Any GET for a path outside ``/api/`` that is not a file of the build answers
``index.html``, so the console's own routes (``/map``, ``/audit``, …) survive a reload. When the
build is missing, ``/`` says so in a plain page instead of failing obscurely. Nothing here fetches
from elsewhere: fonts, scripts and map layers all ship in the build.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

from fastapi import APIRouter, FastAPI, Request, Response
from fastapi.responses import FileResponse, HTMLResponse
from pydantic import BaseModel, Field
from starlette.routing import Route, Router

from vigil.api.deps import CurrentPrincipal, Node
from vigil.api.problems import problem

__all__ = ["DIST", "content_policy", "mount_web", "router"]

DIST = Path(__file__).resolve().parents[3] / "web" / "dist"
"""Where ``make`` builds the console, relative to a source checkout."""

NOT_BUILT = """<!doctype html><html lang="en"><meta charset="utf-8"><title>Vigil</title>
<body style="font-family:sans-serif;margin:3em"><h1>Vigil</h1>
<p>The web console was not built. Run <code>make demo</code> (or <code>cd web &amp;&amp; npm ci
&amp;&amp; npm run build</code>) and reload. The API is at <a href="/api/v1/docs">/api/v1/docs</a>.
</p></body></html>"""

router = APIRouter(prefix="/console", tags=["console"])


class ConsoleSettings(BaseModel):
    """What the console needs from the server's settings."""

    map_tiles: str | None = Field(
        description="XYZ raster tile URL template for a base map; null: vector layers only"
    )


@router.get("/settings", response_model=ConsoleSettings)
async def console_settings(_principal: CurrentPrincipal, node: Node) -> ConsoleSettings:
    return ConsoleSettings(map_tiles=node.settings.map_tiles)


_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
NAME_MAX = 255
"""Bytes in one path segment: longer names exist neither in the build nor among console routes."""


def _nameable(path: str) -> bool:
    """Whether ``path`` could name a file or a console page: no control character (a NUL
    cannot reach the file system) and no segment longer than a file name may be."""
    return not _CONTROL.search(path) and all(
        len(part.encode()) <= NAME_MAX for part in path.split("/")
    )


def _file_in(dist: Path, path: str) -> Path | None:
    """The build file ``path`` names, or None; never anything outside ``dist``."""
    try:
        candidate = (dist / path).resolve()
        if candidate.is_relative_to(dist) and candidate.is_file():
            return candidate
    except (OSError, ValueError):  # too long for the file system, or otherwise unnameable
        pass
    return None


def content_policy(map_tiles: str | None) -> str:
    """A CSP that lets the console load only from this server (and the tile server, if set).

    It makes "nothing is fetched from elsewhere" a property the browser enforces. WebSockets may
    go to any host, since live video can come from another media node of a cluster.
    """
    tiles = f" {urlsplit(map_tiles).scheme}://{urlsplit(map_tiles).netloc}" if map_tiles else ""
    return (
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
        f"img-src 'self' data: blob:{tiles}; connect-src 'self' ws: wss: blob:{tiles}; "
        "worker-src 'self' blob:; media-src 'self' blob:; font-src 'self'; object-src 'none'; "
        "base-uri 'self'; frame-ancestors 'none'"
    )


def mount_web(app: FastAPI, map_tiles: str | None, dist: Path = DIST) -> None:
    """Serve the console from ``dist`` below every API route (a mount at ``/`` matches last)."""
    dist = dist.resolve()
    index = dist / "index.html"
    page_headers = {
        "Cache-Control": "no-cache",
        "Content-Security-Policy": content_policy(map_tiles),
    }

    async def console(request: Request) -> Response:
        path = request.path_params["path"]
        if not _nameable(path):
            return problem(404, "not-found", "Not found", "no such page")
        if path == "api" or path.startswith("api/"):
            return problem(404, "not-found", "Not found", f"no API route /{path}")
        if request.method not in ("GET", "HEAD"):
            return problem(
                405, "method-not-allowed", "Method not allowed", "the console is read-only"
            )
        if not index.is_file():
            return HTMLResponse(NOT_BUILT, status_code=503 if path else 200)
        found = _file_in(dist, path) if path else None
        if found is not None:
            immutable = found.parent.name == "assets"  # Vite puts content hashes in these names
            cache = "public, max-age=31536000, immutable" if immutable else "no-cache"
            return FileResponse(found, headers={"Cache-Control": cache})
        return FileResponse(index, headers=page_headers)

    methods = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]
    app.mount("/", Router([Route("/{path:path}", console, methods=methods)]), name="console")
