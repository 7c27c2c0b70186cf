"""Liveness for load balancers and operators; the only route that needs no token."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel
from sqlalchemy import text

from vigil import __version__
from vigil.api.deps import Node

router = APIRouter(tags=["health"])


class Health(BaseModel):
    status: str
    version: str
    database: str


@router.get("/health", response_model=Health)
async def health(node: Node) -> Health:
    async with node.db.session() as session:
        await session.execute(text("SELECT 1"))
    return Health(status="ok", version=__version__, database=node.db.dialect)
