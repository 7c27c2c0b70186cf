"""The addresses the API hands a client for what it opened (a view's WebSocket, its HLS list):
under ``/api/v1`` of this server, as the client reached it."""

from __future__ import annotations

from fastapi import Request

__all__ = ["api_url", "ws_url"]


def api_url(request: Request, path: str) -> str:
    """``path`` under ``/api/v1/``, an http(s) address."""
    return f"{request.base_url}api/v1/{path}"


def ws_url(request: Request, path: str) -> str:
    """``path`` under ``/api/v1/``, a WebSocket (ws or wss) address."""
    return api_url(request, path).replace("http://", "ws://", 1).replace("https://", "wss://", 1)
