"""Liveness for load balancers and operators; the only route that needs no token.

Besides the database it names each long-running service of the node (in start order) with its
state — ``starting``, ``running``, ``stopping``, ``stopped`` or ``failed`` — and says ``degraded``
when one has failed.
"""

from __future__ import annotations

from fastapi import APIRouter

from vigil import __version__
from vigil.api.deps import Node
from vigil.api.schemas.health import Health
from vigil.lifecycle import State
from vigil.store.queries.health import ping

router = APIRouter(tags=["health"])


@router.get("/health", response_model=Health)
async def health(node: Node) -> Health:
    await ping(node.db)
    services = node.states()
    status = "degraded" if State.failed in services.values() else "ok"
    return Health(status=status, version=__version__, database=node.db.dialect, services=services)
