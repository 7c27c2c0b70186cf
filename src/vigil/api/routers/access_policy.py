"""Access windows: when a role or a user may do an action (administrators; the access policy
service checks and audits). A channel's sensitivity is set under ``/channels``, a user's
clearance under ``/users``."""

from __future__ import annotations

from fastapi import APIRouter

from vigil.api.deps import CurrentCaller, CurrentPrincipal, Node
from vigil.api.schemas.access_policy import AccessWindowIn, AccessWindowList
from vigil.api.schemas.from_attrs import from_attrs
from vigil.governance.access_policy import AccessAction, AccessWindow
from vigil.governance.permissions import Role

router = APIRouter(prefix="/access-windows", tags=["access-policy"])


def _window(body: AccessWindowIn) -> AccessWindow:
    return AccessWindow(
        action=AccessAction(body.action),
        start=body.start.replace(tzinfo=None),
        end=body.end.replace(tzinfo=None),
        days=frozenset(body.days) if body.days is not None else None,
        role=Role(body.role) if body.role is not None else None,
        user_id=body.user_id,
    )


def _listed(windows: list[AccessWindow]) -> AccessWindowList:
    return AccessWindowList(
        windows=[
            from_attrs(
                AccessWindowIn,
                w,
                action=w.action.value,
                days=sorted(w.days) if w.days is not None else None,
                role=w.role.value if w.role is not None else None,
            )
            for w in windows
        ]
    )


@router.get("", response_model=AccessWindowList)
async def list_access_windows(principal: CurrentPrincipal, node: Node) -> AccessWindowList:
    return _listed(await node.access_policy_admin.windows(principal))


@router.put("", response_model=AccessWindowList)
async def replace_access_windows(
    body: AccessWindowList, caller: CurrentCaller, node: Node
) -> AccessWindowList:
    windows = [_window(w) for w in body.windows]
    return _listed(await node.access_policy_admin.replace_windows(caller, windows))
