"""Files a service stored under the data directory (an alarm's snapshot, a track's crop), and
pictures made on demand, sent so that no cache keeps them."""

from __future__ import annotations

from pathlib import Path

from fastapi.responses import FileResponse

from vigil.errors import NotFound

__all__ = ["NO_STORE", "stored_file"]

NO_STORE = {"Cache-Control": "no-store"}
"""The headers of a picture of a channel: access to it is checked and audited at each request."""


def stored_file(data_dir: Path, stored: str, missing: NotFound) -> FileResponse:
    """The file at ``stored`` (a path relative to the data directory); ``missing`` when there
    is no such file, or when the path leads outside the data directory."""
    root = data_dir.resolve()
    path = (root / stored).resolve()
    if not path.is_relative_to(root) or not path.is_file():
        raise missing
    return FileResponse(path, headers=NO_STORE)
