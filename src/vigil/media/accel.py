"""The compiled per-packet path of the media plane, when it was built; None otherwise.

``vigil.media._accel`` (C, compiled at install by ``hatch_build.py``) does per packet what
:mod:`vigil.protocols` does in Python: RTP header parse, reorder and the joining of a frame's
payloads, Annex B to MP4 samples, and reading a UDP socket in batches. The Python code stays the
reference (tests hold the two to the same output) and the fallback: an install without a C
compiler runs it, slower. ``VIGIL_MEDIA_PYTHON=1`` forces the Python path (for comparisons).
The media service logs which path runs when it starts.
"""

from __future__ import annotations

import os
from types import ModuleType

__all__ = ["PATH", "native"]


def _load() -> ModuleType | None:
    if os.environ.get("VIGIL_MEDIA_PYTHON") == "1":
        return None
    try:
        from vigil.media import _accel
    except ImportError:
        return None
    return _accel


native = _load()
PATH = "compiled" if native is not None else "python"
"""Which per-packet path this process runs: ``compiled`` or ``python``."""
