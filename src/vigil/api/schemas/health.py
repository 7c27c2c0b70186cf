"""Liveness on the wire."""

from __future__ import annotations

from pydantic import BaseModel, Field

from vigil.lifecycle import State


class Health(BaseModel):
    """The node's liveness: ``ok`` or ``degraded``, its version, database and services."""

    status: str
    version: str
    database: str
    services: dict[str, State] = Field(
        description="Each long-running service's state, in start order; a node inside a test "
        "or an admin command leaves the serving ones (sip, …) stopped."
    )
