"""Worker processes that never outlive their node.

A worker (video diagnosis, live analytics) leaves signals to its parent: a terminal's Ctrl-C
reaches the whole process group, and the parent, not the worker, decides when work stops. Should
the parent die without stopping it (SIGKILL, a crash), the kernel ends the worker too (Linux
``PR_SET_PDEATHSIG``), and with the last worker goes multiprocessing's resource tracker.
Each worker calls :func:`follow_parent` first, with the parent's pid taken before it started.
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys

__all__ = ["follow_parent"]

_PR_SET_PDEATHSIG = 1


def follow_parent(parent: int) -> None:
    """In a worker process: ignore SIGINT, and end with the parent ``parent`` (its pid)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if sys.platform == "linux":
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
    if os.getppid() != parent:  # the parent died before the death signal was armed
        os._exit(0)
