"""Organisation scopes as SQL: the list queries' half of ``Principal.sees_org_path``."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, Select, false, or_, select, true

from vigil.governance.permissions import Principal
from vigil.store.models import Channel, Organisation
from vigil.store.models.platforms import virtual_group_channels

__all__ = ["filed_under", "scope_clause", "scoped_channels", "scoped_members"]


def scope_clause(principal: Principal, path_column: Any) -> ColumnElement[bool]:
    """A WHERE condition keeping rows whose organisation path lies under one of the scopes."""
    if principal.scope_paths is None:
        return true()
    if not principal.scope_paths:
        return false()
    return or_(*(path_column.startswith(path, autoescape=True) for path in principal.scope_paths))


def filed_under(model: Any, org_path: str) -> Select[Any]:
    """Rows of ``model`` filed under the organisation at ``org_path`` or below it, by id (the
    caller has checked that organisation against the principal's scope)."""
    return (
        select(model)
        .join(Organisation, Organisation.id == model.organisation_id)
        .where(Organisation.path.startswith(org_path, autoescape=True))
        .order_by(model.id)
    )


def scoped_channels(principal: Principal) -> Select[Channel]:
    """The channels ``principal`` may see: those filed under one of its scopes (an unscoped
    caller sees every channel, one filed nowhere included)."""
    return (
        select(Channel)
        .outerjoin(Organisation, Organisation.id == Channel.organisation_id)
        .where(scope_clause(principal, Organisation.path))
    )


def scoped_members(principal: Principal, group_id: str) -> Select[Channel]:
    """The member channels of virtual group ``group_id`` that ``principal`` may see."""
    return (
        scoped_channels(principal)
        .join(virtual_group_channels, virtual_group_channels.c.channel_id == Channel.id)
        .where(virtual_group_channels.c.group_id == group_id)
    )
