"""The lockout counts failures per (address, account), expires, and stays bounded."""

from __future__ import annotations

from vigil.governance.login_lockout import LoginLockout


def test_locks_the_pair_not_the_account() -> None:
    lockout = LoginLockout(max_failures=3, lock_seconds=60)
    assert [lockout.failed(("10.0.0.9", "admin"), t) for t in (0, 1, 2)] == [False, False, True]
    assert lockout.locked(("10.0.0.9", "admin"), 3)
    assert not lockout.locked(("10.0.0.1", "admin"), 3)
    assert not lockout.locked(("10.0.0.9", "zhang.wei"), 3)
    assert not lockout.locked(("10.0.0.9", "admin"), 63)


def test_success_and_time_reset_the_count() -> None:
    lockout = LoginLockout(max_failures=2, lock_seconds=60)
    lockout.failed(("a", "u"), 0)
    lockout.succeeded(("a", "u"))
    assert not lockout.failed(("a", "u"), 1)
    assert not lockout.failed(("a", "u"), 100)  # more than a lock time after the last one
    assert lockout.failed(("a", "u"), 101)


def test_setting_the_password_unlocks_every_address() -> None:
    lockout = LoginLockout(max_failures=1, lock_seconds=60)
    lockout.failed(("a", "u"), 0)
    lockout.failed(("b", "u"), 0)
    lockout.forget_account("u")
    assert not lockout.locked(("a", "u"), 1) and not lockout.locked(("b", "u"), 1)


def test_table_is_bounded() -> None:
    lockout = LoginLockout(max_failures=5, lock_seconds=10, max_keys=100)
    for i in range(1000):
        lockout.failed((f"10.0.{i // 256}.{i % 256}", "admin"), float(i))
    assert len(lockout._failures) <= 100
