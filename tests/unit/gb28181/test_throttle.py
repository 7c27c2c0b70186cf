"""Failed registrations from one address are throttled; others are not affected."""

from __future__ import annotations

from vigil.gb28181.sip.throttle import AuthThrottle


def test_blocks_after_max_failures_for_block_seconds() -> None:
    throttle = AuthThrottle(max_failures=3, block=300, window=60)
    assert not throttle.failed("10.0.0.1", now=0)
    assert not throttle.failed("10.0.0.1", now=1)
    assert throttle.failed("10.0.0.1", now=2)
    assert throttle.blocked("10.0.0.1", now=301)
    assert not throttle.blocked("10.0.0.1", now=302.1)
    assert not throttle.blocked("10.0.0.2", now=10)


def test_failures_outside_the_window_and_success_reset_the_count() -> None:
    throttle = AuthThrottle(max_failures=2, block=300, window=60)
    throttle.failed("10.0.0.1", now=0)
    assert not throttle.failed("10.0.0.1", now=61)
    throttle.succeeded("10.0.0.1")
    assert not throttle.failed("10.0.0.1", now=62)


def test_memory_is_bounded() -> None:
    throttle = AuthThrottle(max_failures=2, block=300, max_addresses=100)
    for n in range(1000):
        throttle.failed(f"10.0.{n // 256}.{n % 256}", now=0)
    assert len(throttle._records) <= 100
