"""Liveness for load balancers and operators; the only route that needs no token.

Besides the database it names each long-running service of the node (in start order) with its
state — ``starting``, ``running``, ``stopping``, ``stopped`` or ``failed`` — and says ``degraded``
when one has failed.
"""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel, Field
from sqlalchemy import text

from vigil import __version__
from vigil.api.deps import Node
from vigil.lifecycle import State

router = APIRouter(tags=["health"])


class Health(BaseModel):
    """The node's liveness: ``ok`` or ``degraded``, its version, database and services."""

    status: str
    version: str
    database: str
    services: dict[str, State] = Field(
        description="Each long-running service's state, in start order; a node inside a test "
        "or an admin command leaves the serving ones (sip, …) stopped."
    )


@router.get("/health", response_model=Health)
async def health(node: Node) -> Health:
    async with node.db.session() as session:
        await session.execute(text("SELECT 1"))
    services = node.states()
    status = "degraded" if State.failed in services.values() else "ok"
    return Health(status=status, version=__version__, database=node.db.dialect, services=services)
