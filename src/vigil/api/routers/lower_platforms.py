"""Lower platforms registered with Vigil (cascade): live state, counters, tree; delete."""

from __future__ import annotations

from fastapi import APIRouter, status

from vigil.api.deps import CurrentCaller, CurrentPrincipal, Node
from vigil.api.schemas.common import IntIdPath
from vigil.api.schemas.from_attrs import from_attrs
from vigil.api.schemas.lower_platforms import (
    LowerChannelNode,
    LowerCounters,
    LowerDeviceNode,
    LowerGroupNode,
    LowerPlatformDetail,
    LowerPlatformPublic,
    LowerRegionNode,
)
from vigil.gb28181.lower.lower_platform_service import LowerPlatformState

router = APIRouter(prefix="/lower-platforms", tags=["lower-platforms"])


def _public(state: LowerPlatformState) -> dict[str, object]:
    p, c = state.platform, state.counters
    return {
        "id": p.id,
        "sip_id": p.sip_id,
        "domain": p.domain,
        "name": state.device.name,
        "host": state.host,
        "port": state.port,
        "transport": state.transport,
        "online": state.online,
        "registered_at": state.registered_at,
        "expires_at": state.expires_at,
        "last_keepalive": state.device.last_keepalive,
        "devices": state.devices,
        "channels": state.channels,
        "channels_online": state.channels_online,
        "groups": state.groups,
        "counters": LowerCounters(requests=c.requests, streams=c.streams, failures=c.failures),
    }


@router.get("", response_model=list[LowerPlatformPublic])
async def list_lower_platforms(
    principal: CurrentPrincipal, node: Node
) -> list[LowerPlatformPublic]:
    states = await node.lower_platforms.all(principal)
    return [LowerPlatformPublic.model_validate(_public(s)) for s in states]


@router.get("/{platform_id}", response_model=LowerPlatformDetail)
async def get_lower_platform(
    platform_id: IntIdPath, principal: CurrentPrincipal, node: Node
) -> LowerPlatformDetail:
    state, tree = await node.lower_platforms.get(principal, platform_id)
    return LowerPlatformDetail.model_validate(
        {
            **_public(state),
            "tree_groups": [LowerGroupNode.model_validate(g) for g in tree.groups],
            "tree_devices": [LowerDeviceNode.model_validate(d) for d in tree.devices],
            "tree_channels": [
                from_attrs(LowerChannelNode, c, group_ids=groups) for c, groups in tree.channels
            ],
            "tree_regions": [LowerRegionNode.model_validate(r) for r in tree.regions],
        }
    )


@router.delete("/{platform_id}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_lower_platform(platform_id: IntIdPath, caller: CurrentCaller, node: Node) -> None:
    await node.lower_platforms.delete(caller, platform_id)
