"""VIGIL_KPI_TARGETS moves the target lines of /kpis (and so of the report and the map)."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from tests.conftest import ADMIN_PASSWORD
from tests.integration.api.coverage_layout import build_layout
from vigil.config import ConfigError, Settings, load_settings

OVERRIDES = {"road_coverage": 0.9, "intact_rate_industry": 0.97}


@pytest.fixture
def settings(tmp_path: Path, database_url: str) -> Settings:
    return load_settings(
        data_dir=tmp_path / "data",
        database_url=database_url,
        admin_password=ADMIN_PASSWORD,
        kpi_targets=OVERRIDES,
    )


async def test_targets_follow_the_setting(client: httpx.AsyncClient, admin: dict[str, str]) -> None:
    await build_layout(client, admin)
    kpis = (await client.get("/api/v1/kpis", params={"org": "3401"}, headers=admin)).json()
    assert kpis["road_coverage"]["target"] == 0.9
    assert kpis["intact_rate"]["target"] == 0.97  # no key-area camera: industry sites' target
    assert kpis["coverage_rate"]["target"] == 1.0  # a default left alone


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ('{"coverage": 0.9}', "unknown KPI 'coverage'"),
        ('{"hd_ratio": 1.5}', "target of hd_ratio must lie in (0, 1], got 1.5"),
        ('{"hd_ratio": 0}', "target of hd_ratio must lie in (0, 1], got 0"),
    ],
)
def test_bad_targets_stop_start_up(
    monkeypatch: pytest.MonkeyPatch, value: str, message: str
) -> None:
    monkeypatch.setenv("VIGIL_KPI_TARGETS", value)
    with pytest.raises(ConfigError) as caught:
        load_settings()
    assert str(caught.value).startswith("invalid setting VIGIL_KPI_TARGETS")
    assert message in str(caught.value)


def test_targets_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VIGIL_KPI_TARGETS", '{"intact_rate": 0.99}')
    assert load_settings().kpi_targets == {"intact_rate": 0.99}
