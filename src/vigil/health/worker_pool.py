"""The diagnosis worker process: decoding and diagnosis run here, off the event loop.

The pool spawns (not forks: a forked child would inherit the event loop and its threads) one
worker on the first job; the worker ends with its node (:mod:`vigil.child`).
"""

from __future__ import annotations

import os
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context

from vigil.child import follow_parent

__all__ = ["worker_pool"]


def worker_pool() -> ProcessPoolExecutor:
    """A one-worker pool whose worker stops with this process."""
    return ProcessPoolExecutor(
        max_workers=1,
        mp_context=get_context("spawn"),
        initializer=follow_parent,
        initargs=(os.getpid(),),
    )
