"""The data dir: created private (0700), and held by one serving process at a time.

Recordings, exports, keys and (by default) the SQLite database live in the data dir, so it is
created readable by its owner only. An existing dir keeps its mode; a warning names one that other
users can read.

``serve`` and ``demo`` hold an exclusive ``flock`` on ``<data_dir>/vigil.lock`` for as long as they
run: a second server on the same dir would index the first one's open recording segments as if a
crash had left them (recovery) and both would record the same streams. The kernel drops the lock
when the holder exits, however it exits, so a stale lock file never blocks a start. Admin commands
(``users``, ``audit``) take no lock: they run beside the server and never touch recordings.
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import os
import stat
from collections.abc import Iterator
from pathlib import Path

from vigil.errors import Unavailable

__all__ = ["LOCK_NAME", "hold_data_dir", "prepare_data_dir"]

log = logging.getLogger(__name__)

LOCK_NAME = "vigil.lock"
_PRIVATE_DIR = 0o700
_PRIVATE_FILE = 0o600


def prepare_data_dir(path: Path) -> int:
    """Create ``path`` (0700) unless it exists; its mode. An unusable path is an
    :class:`Unavailable`."""
    try:
        if not path.is_dir():
            path.mkdir(mode=_PRIVATE_DIR, parents=True, exist_ok=True)
            path.chmod(_PRIVATE_DIR)  # whatever the umask was
        return stat.S_IMODE(path.stat().st_mode)
    except OSError as exc:
        raise Unavailable(f"cannot use the data dir {path}: {exc.strerror or exc}") from None


@contextlib.contextmanager
def hold_data_dir(path: Path) -> Iterator[None]:
    """Prepare ``path`` and hold its lock until the block ends; a dir another process holds is
    an :class:`Unavailable` naming that process."""
    mode = prepare_data_dir(path)
    if mode & 0o077:
        log.warning("data dir open to other users", extra={"path": str(path), "mode": oct(mode)})
    lock = path / LOCK_NAME
    try:
        fd = os.open(lock, os.O_RDWR | os.O_CREAT, _PRIVATE_FILE)  # not inherited by children
    except OSError as exc:
        raise Unavailable(f"cannot use the data dir {path}: {exc.strerror or exc}") from None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 32, 0).decode(errors="replace").strip() or "unknown"
            raise Unavailable(
                f"the data dir {path} is in use by another vigil (pid {holder}); "
                "one serving process per data dir"
            ) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        yield
    finally:
        os.close(fd)  # releases the lock
