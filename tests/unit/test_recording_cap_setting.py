"""The recording cap: unset by default, in GB (10⁹ bytes), refused unless positive; the demo
sets its own unless one was given."""

from __future__ import annotations

from pathlib import Path

import pytest

from vigil.config import ConfigError, load_settings
from vigil.demo import DEMO_RECORDING_MAX_GB, demo_settings


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    for key in list(os.environ):
        if key.startswith("VIGIL_"):
            monkeypatch.delenv(key)


def test_unset_by_default_and_in_gigabytes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert load_settings(data_dir=tmp_path).recording_max_bytes is None
    monkeypatch.setenv("VIGIL_RECORDING_MAX_GB", "2.5")
    assert load_settings(data_dir=tmp_path).recording_max_bytes == 2_500_000_000


def test_a_cap_must_be_positive(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="VIGIL_RECORDING_MAX_GB"):
        load_settings(data_dir=tmp_path, recording_max_gb=0)


def test_the_demo_caps_recordings_unless_told_otherwise(tmp_path: Path) -> None:
    assert demo_settings(load_settings(data_dir=tmp_path)).recording_max_gb == DEMO_RECORDING_MAX_GB
    assert DEMO_RECORDING_MAX_GB == 5
    chosen = load_settings(data_dir=tmp_path, recording_max_gb=40)
    assert demo_settings(chosen).recording_max_gb == 40
