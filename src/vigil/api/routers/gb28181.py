"""GB/T 28181 device operations: set a device's SIP password, refresh its catalog."""

from __future__ import annotations

from fastapi import APIRouter, status

from vigil.api.deps import CurrentCaller, CurrentPrincipal, Node
from vigil.api.schemas.common import IdPath
from vigil.api.schemas.gb28181 import CatalogRefreshPublic, DevicePassword
from vigil.errors import Conflict
from vigil.gb28181 import TransactionTimeout

router = APIRouter(prefix="/devices", tags=["gb28181"])


@router.put("/{device_id}/password", status_code=status.HTTP_204_NO_CONTENT)
async def set_device_password(
    device_id: IdPath,
    body: DevicePassword,
    caller: CurrentCaller,
    node: Node,
) -> None:
    await node.gb.set_password(caller, device_id, body.password)


@router.post("/{device_id}/catalog/refresh", response_model=CatalogRefreshPublic)
async def refresh_device_catalog(
    device_id: IdPath, principal: CurrentPrincipal, node: Node
) -> CatalogRefreshPublic:
    try:
        result = await node.gb.refresh_catalog(principal, device_id)
    except TransactionTimeout:
        raise Conflict(
            f"device {device_id} did not answer the catalog query",
            code="device.no_answer",
            id=device_id,
        ) from None
    return CatalogRefreshPublic(
        received=len(result.items), expected=result.expected, complete=result.complete
    )
