"""Organisation scopes as SQL: the list queries' half of ``Principal.sees_org_path``."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, false, or_, true

from vigil.governance.permissions import Principal

__all__ = ["scope_clause"]


def scope_clause(principal: Principal, path_column: Any) -> ColumnElement[bool]:
    """A WHERE condition keeping rows whose organisation path lies under one of the scopes."""
    if principal.scope_paths is None:
        return true()
    if not principal.scope_paths:
        return false()
    return or_(*(path_column.startswith(path, autoescape=True) for path in principal.scope_paths))
