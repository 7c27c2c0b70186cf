"""Run every atheris fuzz target for a bounded time, each in its own process.

Each ``fuzz_*.py`` beside this file feeds random bytes to one network-facing parser and lets
anything other than that codec's own error type escape, which atheris reports as a crash (non-zero
exit). atheris.Fuzz() never returns, hence the subprocess.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).parent
TARGETS = sorted(p for p in HERE.glob("fuzz_*.py"))
SECONDS = int(os.environ.get("VIGIL_FUZZ_SECONDS", "12"))

pytestmark = pytest.mark.fuzz


@pytest.mark.skipif(importlib.util.find_spec("atheris") is None, reason="atheris is not installed")
@pytest.mark.parametrize("target", TARGETS, ids=[p.stem for p in TARGETS])
def test_fuzz_target_survives(target: Path, tmp_path: Path) -> None:
    result = subprocess.run(
        [
            sys.executable,
            str(target),
            f"-max_total_time={SECONDS}",
            "-rss_limit_mb=2048",
            "-max_len=4096",
            f"-artifact_prefix={tmp_path}/",
        ],
        capture_output=True,
        text=True,
        timeout=SECONDS + 120,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-4000:]
