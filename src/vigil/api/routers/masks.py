"""Privacy masks of a channel: read (``catalog:read``) and replace (``users:manage`` and
``catalog:write``, audited).

Viewers without an approved unmask see the channel with these regions blurred (live, snapshots);
see :mod:`vigil.governance.mask_service`.
"""

from __future__ import annotations

from collections.abc import Sequence

from fastapi import APIRouter

from vigil.api.deps import CurrentCaller, CurrentPrincipal
from vigil.api.schemas.common import IdPath
from vigil.api.schemas.masks import MaskList, MaskOut, MasksIn
from vigil.api.services import Masks
from vigil.governance.masks import MaskPolygon

router = APIRouter(tags=["masks"])


def _listed(channel_id: str, masks: Sequence[MaskPolygon]) -> MaskList:
    return MaskList(
        channel_id=channel_id,
        masks=[
            MaskOut(
                label=m.label,
                points=[list(p) for p in m.points],
                permanent=m.permanent,
                preset=m.preset,
            )
            for m in masks
        ],
    )


@router.get("/channels/{channel_id}/masks", response_model=MaskList)
async def get_masks(channel_id: IdPath, principal: CurrentPrincipal, masks: Masks) -> MaskList:
    return _listed(channel_id, await masks.masks(principal, channel_id))


@router.put("/channels/{channel_id}/masks", response_model=MaskList)
async def put_masks(
    channel_id: IdPath, body: MasksIn, caller: CurrentCaller, masks: Masks
) -> MaskList:
    asked = [
        MaskPolygon(m.label, tuple((p[0], p[1]) for p in m.points), m.permanent, m.preset)
        for m in body.masks
    ]
    return _listed(channel_id, await masks.replace(caller, channel_id, asked))
