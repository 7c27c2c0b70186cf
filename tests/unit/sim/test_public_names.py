"""``vigil.sim`` loads its modules when a name is first used: every public name resolves."""

from __future__ import annotations

import inspect

import pytest

import vigil.sim


@pytest.mark.parametrize("name", vigil.sim.__all__)
def test_public_name_resolves(name: str) -> None:
    value = getattr(vigil.sim, name)
    if inspect.isclass(value) or inspect.isfunction(value):
        assert value.__module__.startswith("vigil.sim.") and value.__name__ == name
    else:  # a type alias (GbVersion)
        assert value is not None


def test_an_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no attribute 'Nothing'"):
        vigil.sim.Nothing  # noqa: B018
