"""Upper platforms Vigil registers to (cascade), their live state and what each may see."""

from __future__ import annotations

from fastapi import APIRouter, status

from vigil.api.deps import CurrentPrincipal
from vigil.api.schemas.common import IntIdPath
from vigil.api.schemas.from_attrs import from_attrs
from vigil.api.schemas.upper_platforms import (
    NetworkingRate,
    PlatformCountersPublic,
    ShareEntryModel,
    SharesBody,
    UpperPlatformCreate,
    UpperPlatformCreated,
    UpperPlatformPublic,
    UpperPlatformUpdate,
)
from vigil.api.services import UpperPlatforms
from vigil.gb28181.cascade.platforms import ShareEntry, ShareKind, UpperPlatformStatus

router = APIRouter(prefix="/upper-platforms", tags=["upper-platforms"])


def _public(status: UpperPlatformStatus) -> UpperPlatformPublic:
    p, state, counters = status.platform, status.state, status.counters
    return from_attrs(
        UpperPlatformPublic,
        p,
        registered=state.registered,
        last_error=state.last_error,
        last_error_code=state.last_error_code,
        last_error_params=dict(state.last_error_params),
        last_registered_at=state.last_registered_at,
        counters=from_attrs(
            PlatformCountersPublic,
            counters,
            registrations=state.registrations,
            register_failures=state.register_failures,
            keepalives=state.keepalives,
        ),
    )


@router.get("", response_model=list[UpperPlatformPublic])
async def list_upper_platforms(
    principal: CurrentPrincipal, upper_platforms: UpperPlatforms
) -> list[UpperPlatformPublic]:
    return [_public(s) for s in await upper_platforms.all(principal)]


@router.post("", response_model=UpperPlatformCreated, status_code=status.HTTP_201_CREATED)
async def create_upper_platform(
    body: UpperPlatformCreate, principal: CurrentPrincipal, upper_platforms: UpperPlatforms
) -> UpperPlatformCreated:
    created = await upper_platforms.create(principal, body.model_dump(exclude_none=True))
    return UpperPlatformCreated(id=created.platform.id)


@router.get("/networking-rate", response_model=NetworkingRate)
async def get_networking_rate(
    principal: CurrentPrincipal, upper_platforms: UpperPlatforms
) -> NetworkingRate:
    shared, total = await upper_platforms.networking(principal)
    return NetworkingRate(
        shared_online=shared, channels=total, rate=shared / total if total else None
    )


@router.get("/{platform_id}", response_model=UpperPlatformPublic)
async def get_upper_platform(
    platform_id: IntIdPath, principal: CurrentPrincipal, upper_platforms: UpperPlatforms
) -> UpperPlatformPublic:
    return _public(await upper_platforms.get(principal, platform_id))


@router.patch("/{platform_id}", response_model=UpperPlatformPublic)
async def update_upper_platform(
    platform_id: IntIdPath,
    body: UpperPlatformUpdate,
    principal: CurrentPrincipal,
    upper_platforms: UpperPlatforms,
) -> UpperPlatformPublic:
    fields = body.model_dump(exclude_unset=True)
    return _public(await upper_platforms.update(principal, platform_id, fields))


@router.delete("/{platform_id}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_upper_platform(
    platform_id: IntIdPath, principal: CurrentPrincipal, upper_platforms: UpperPlatforms
) -> None:
    await upper_platforms.delete(principal, platform_id)


@router.get("/{platform_id}/shares", response_model=SharesBody)
async def get_shares(
    platform_id: IntIdPath, principal: CurrentPrincipal, upper_platforms: UpperPlatforms
) -> SharesBody:
    entries = await upper_platforms.shares(principal, platform_id)
    return SharesBody(entries=[from_attrs(ShareEntryModel, e, kind=e.kind.value) for e in entries])


@router.put("/{platform_id}/shares", status_code=status.HTTP_204_NO_CONTENT)
async def put_shares(
    platform_id: IntIdPath,
    body: SharesBody,
    principal: CurrentPrincipal,
    upper_platforms: UpperPlatforms,
) -> None:
    entries = [
        ShareEntry(ShareKind(e.kind), e.target_id, e.outward_id, e.parent_group_id)
        for e in body.entries
    ]
    await upper_platforms.set_shares(principal, platform_id, entries)
