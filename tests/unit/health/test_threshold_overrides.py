"""A channel's threshold overrides: applied over the defaults, refused when they make no sense."""

from __future__ import annotations

import math

import pytest

from vigil.errors import Invalid
from vigil.health.diagnosis import Thresholds
from vigil.health.threshold_overrides import with_overrides


def test_overrides_replace_only_their_fields() -> None:
    base = Thresholds()
    mine = with_overrides(base, {"dark_prior": 20, "ptz_still": 0.9})
    assert (mine.dark_prior, mine.ptz_still) == (20.0, 0.9)
    assert mine.bright_prior == base.bright_prior
    assert with_overrides(base, {}) == base


@pytest.mark.parametrize(
    "overrides", [{"nope": 1.0}, {"dark_prior": -0.5}, {"dark_prior": math.nan}, {"roll": True}]
)
def test_nonsense_is_refused(overrides: dict[str, float]) -> None:
    with pytest.raises(Invalid):
        with_overrides(Thresholds(), overrides)
