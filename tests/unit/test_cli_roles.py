"""``vigil users add --role`` offers exactly the roles there are (spelled out in the CLI so that
its help needs no database code)."""

from __future__ import annotations

from typing import get_args

from vigil.cli import RoleName
from vigil.store.models import Role


def test_role_choices_are_the_roles() -> None:
    assert get_args(RoleName) == tuple(role.value for role in Role)
