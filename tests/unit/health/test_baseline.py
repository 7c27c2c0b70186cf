import pytest

from vigil.health.diagnosis import Baseline


def test_no_spread_until_enough_history() -> None:
    baseline = Baseline(min_samples=3)
    baseline.learn({"luma_mean": 100.0})
    baseline.learn({"luma_mean": 110.0})
    assert baseline.spread("luma_mean") is None and not baseline.ready
    baseline.learn({"luma_mean": 90.0})
    spread = baseline.spread("luma_mean")
    assert spread is not None and baseline.ready
    assert spread.median == 100.0
    assert spread.sigma == pytest.approx(1.4826 * 10.0)


def test_window_forgets_the_oldest_and_survives_json() -> None:
    baseline = Baseline(window=3, min_samples=1)
    for value in (1.0, 2.0, 3.0, 100.0):
        baseline.learn({"noise": value})
    again = Baseline.from_json(baseline.to_json(), window=3)
    assert again.to_json() == {"noise": [2.0, 3.0, 100.0]}
    spread = again.spread("noise")
    assert spread is not None and spread.median == 3.0
