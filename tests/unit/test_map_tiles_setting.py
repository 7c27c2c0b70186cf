"""VIGIL_MAP_TILES: unset means vector layers only; a set value must be an XYZ template."""

from __future__ import annotations

import pytest

from vigil.config import ConfigError, load_settings


def test_unset_by_default() -> None:
    assert load_settings().map_tiles is None


def test_xyz_template_is_accepted() -> None:
    url = "https://tiles.example.cn/{z}/{x}/{y}.png"
    assert load_settings(map_tiles=url).map_tiles == url


@pytest.mark.parametrize(
    "bad", ["tiles.example.cn/{z}/{x}/{y}", "https://tiles.example.cn/{z}/{x}"]
)
def test_other_values_are_refused(bad: str) -> None:
    with pytest.raises(ConfigError, match="VIGIL_MAP_TILES: must be an http"):
        load_settings(map_tiles=bad)
