"""Liveness for load balancers and operators; the only route that needs no token."""

from __future__ import annotations

from fastapi import APIRouter

from vigil import __version__
from vigil.api.deps import Node
from vigil.api.schemas.health import Health
from vigil.store.queries.health import ping

router = APIRouter(tags=["health"])


@router.get("/health", response_model=Health)
async def health(node: Node) -> Health:
    await ping(node.db)
    return Health(status="ok", version=__version__, database=node.db.dialect)
