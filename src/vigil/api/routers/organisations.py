"""The organisation tree."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, status

from vigil.api.deps import CurrentPrincipal
from vigil.api.pagination import decode_cursor, page_of
from vigil.api.schemas.catalog import OrganisationCreate, OrganisationPublic, OrganisationUpdate
from vigil.api.schemas.common import CursorQuery, IdPath, LimitQuery, Page
from vigil.api.services import Organisations

router = APIRouter(prefix="/organisations", tags=["organisations"])


@router.get("", response_model=Page[OrganisationPublic])
async def list_organisations(
    principal: CurrentPrincipal,
    organisations: Organisations,
    parent_id: Annotated[str | None, Query(pattern=r"^[0-9]{1,20}$")] = None,
    limit: LimitQuery = 100,
    cursor: CursorQuery = None,
) -> Page[OrganisationPublic]:
    rows = await organisations.page(
        principal, decode_cursor(cursor, str), limit + 1, parent_id=parent_id
    )
    return page_of(rows, limit, OrganisationPublic.model_validate, lambda o: o.id)


@router.post("", response_model=OrganisationPublic, status_code=status.HTTP_201_CREATED)
async def create_organisation(
    body: OrganisationCreate, principal: CurrentPrincipal, organisations: Organisations
) -> OrganisationPublic:
    org = await organisations.create(principal, body.id, body.name, body.kind, body.parent_id)
    return OrganisationPublic.model_validate(org)


@router.get("/{org_id}", response_model=OrganisationPublic)
async def get_organisation(
    org_id: IdPath, principal: CurrentPrincipal, organisations: Organisations
) -> OrganisationPublic:
    return OrganisationPublic.model_validate(await organisations.get(principal, org_id))


@router.patch("/{org_id}", response_model=OrganisationPublic)
async def rename_organisation(
    org_id: IdPath,
    body: OrganisationUpdate,
    principal: CurrentPrincipal,
    organisations: Organisations,
) -> OrganisationPublic:
    return OrganisationPublic.model_validate(
        await organisations.rename(principal, org_id, body.name)
    )


@router.delete("/{org_id}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_organisation(
    org_id: IdPath, principal: CurrentPrincipal, organisations: Organisations
) -> None:
    await organisations.delete(principal, org_id)
