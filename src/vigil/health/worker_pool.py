"""The diagnosis worker process: decoding and diagnosis run here, off the event loop.

The pool spawns (not forks: a forked child would inherit the event loop and its threads) one
worker on the first job. The worker leaves signals to its parent: a terminal's Ctrl-C reaches the
whole process group, and the parent, not the worker, decides when work stops (its service's
``stop`` shuts the pool down). Should the parent die without that (SIGKILL, a crash), the kernel
ends the worker too (Linux ``PR_SET_PDEATHSIG``), so no worker outlives its node, and with it
goes the last holder of multiprocessing's resource tracker.
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context

__all__ = ["worker_pool"]

_PR_SET_PDEATHSIG = 1


def worker_pool() -> ProcessPoolExecutor:
    """A one-worker pool whose worker stops with this process."""
    return ProcessPoolExecutor(
        max_workers=1,
        mp_context=get_context("spawn"),
        initializer=_follow_parent,
        initargs=(os.getpid(),),
    )


def _follow_parent(parent: int) -> None:
    """Run in the worker before its first job."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if sys.platform == "linux":
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
    if os.getppid() != parent:  # the parent died before the death signal was armed
        os._exit(0)
