"""Liveness on the wire."""

from __future__ import annotations

from pydantic import BaseModel


class Health(BaseModel):
    """The node answers: its version and the database engine it runs on."""

    status: str
    version: str
    database: str
