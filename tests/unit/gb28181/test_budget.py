"""The rate budget: per key, overall, per window; what it refused is counted."""

from __future__ import annotations

from vigil.gb28181.sip.budget import RateBudget


def test_per_key_budget_refills_after_the_window() -> None:
    budget = RateBudget(per_key=2, window=60)
    assert [budget.take("10.0.0.1", now=t) for t in (0, 1, 2)] == [True, True, False]
    assert budget.take("10.0.0.2", now=3)  # another key has its own budget
    assert budget.take_skipped() == 1 and budget.take_skipped() == 0
    assert budget.take("10.0.0.1", now=60)


def test_total_budget_holds_against_many_keys() -> None:
    budget = RateBudget(per_key=5, total=10, window=60)
    allowed = sum(budget.take(f"10.0.{n // 256}.{n % 256}", now=1) for n in range(1000))
    assert allowed == 10 and budget.skipped == 990
    assert budget.take("10.9.9.9", now=61)


def test_memory_is_bounded() -> None:
    budget = RateBudget(per_key=1, max_keys=100)
    for n in range(1000):
        budget.take(f"10.0.{n // 256}.{n % 256}", now=0)
    assert len(budget._keys) <= 100
