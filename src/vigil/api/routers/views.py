"""Renewing a video view: the console keeps its live and playback URLs working while it plays.

A view (live, recorded playback, device playback; see :mod:`vigil.media.views`) lives a few
minutes; ``POST /views/{id}/renew`` with the bearer token of the login session that opened it
extends it from now and answers the new ``expires_at``. Any other session gets 404. Opening the
view was the audited access, so a renewal writes no audit record of its own.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Path

from vigil.api.deps import CurrentPrincipal, Node
from vigil.api.schemas.views import (
    ViewRenewed,
)

router = APIRouter(tags=["views"])

ViewPath = Annotated[str, Path(pattern=r"^[A-Za-z0-9_-]{1,32}$")]


@router.post("/views/{view_id}/renew", response_model=ViewRenewed)
async def renew_view(view_id: ViewPath, principal: CurrentPrincipal, node: Node) -> ViewRenewed:
    view = await node.views.renew(principal, view_id)
    return ViewRenewed(session=view.id, expires_at=datetime.fromtimestamp(view.expires, UTC))
