"""The login limiter counts per key inside a sliding window and forgets idle keys."""

from __future__ import annotations

from vigil.governance.rate_limit import SlidingWindowLimiter


def test_limit_per_key_and_window() -> None:
    limiter = SlidingWindowLimiter(limit=3, window=60)
    assert [limiter.allow("a", t) for t in (0, 1, 2, 3)] == [True, True, True, False]
    assert limiter.allow("b", 3)
    assert limiter.allow("a", 61)


def test_table_is_bounded() -> None:
    limiter = SlidingWindowLimiter(limit=1, window=10, max_keys=100)
    for i in range(1000):
        limiter.allow(f"10.0.{i // 256}.{i % 256}", float(i))
    assert len(limiter._events) <= 100
