"""The password-hash cost: RFC 9106's second option by default, an operator's setting no lower
than OWASP's minimum, and a hash made at another cost is made again (at the next login)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from vigil.config import ConfigError, load_settings
from vigil.governance.passwords import HashCost, Passwords


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for key in list(os.environ):
        if key.startswith("VIGIL_"):
            monkeypatch.delenv(key)


def test_the_default_cost_is_64_mib_and_three_passes(tmp_path: Path) -> None:
    settings = load_settings(data_dir=tmp_path)
    cost = HashCost(settings.password_hash_memory_kib, settings.password_hash_time_cost)
    assert cost == HashCost(65536, 3) == HashCost()


async def test_a_hash_carries_its_cost_and_another_cost_asks_for_a_new_one() -> None:
    low, high = Passwords(HashCost(19456, 2)), Passwords(HashCost(20480, 2))
    stored = await low.hash("Correct-Horse-42")
    assert "$argon2id$" in stored and "m=19456,t=2," in stored
    assert await high.verify(stored, "Correct-Horse-42")  # the hash names its own parameters
    assert not await high.verify(stored, "Correct-Horse-43")
    assert not low.needs_rehash(stored)
    assert high.needs_rehash(stored)
    assert not await low.verify(None, "Correct-Horse-42")  # unknown user: same work, refused


@pytest.mark.parametrize(
    ("name", "value"),
    [("VIGIL_PASSWORD_HASH_MEMORY_KIB", "8192"), ("VIGIL_PASSWORD_HASH_TIME_COST", "1")],
)
def test_a_cost_below_owasps_minimum_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, value: str
) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(ConfigError, match=name):
        load_settings(data_dir=tmp_path)
