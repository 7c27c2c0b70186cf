"""The password-hash cost nodes in the suite run at: OWASP's minimum for Argon2id (19 MiB, two
passes), a setting an operator may choose too, rather than the default's 64 MiB and three passes.

Hundreds of tests create and log in users; at the default cost each hash or check takes about
0.14 s of CPU. ``tests/unit/governance/test_password_cost.py`` checks the default cost itself.
"""

from __future__ import annotations

import os

__all__ = ["HASH_COST_ENV", "apply"]

HASH_COST_ENV = {
    "VIGIL_PASSWORD_HASH_MEMORY_KIB": "19456",
    "VIGIL_PASSWORD_HASH_TIME_COST": "2",
}


def apply(env: dict[str, str] | os._Environ[str]) -> None:
    """Set the suite's cost in ``env`` where a test has not set one itself."""
    for name, value in HASH_COST_ENV.items():
        env.setdefault(name, value)
