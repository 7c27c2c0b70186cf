"""Print the API's OpenAPI document, as ``GET /api/v1/openapi.json`` serves it, without a server.

The console's TypeScript types are generated from a committed copy of it
(``web/src/api/openapi.json``); ``make openapi`` rewrites that copy, and
``tests/unit/test_openapi_snapshot.py`` fails when it no longer matches the routers.
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path
from typing import Any

from vigil.api.server import create_api
from vigil.app import Vigil
from vigil.config import load_settings


def openapi_document() -> dict[str, Any]:
    """The document of an app built on a node that is never started (nothing opened, no I/O)."""
    with tempfile.TemporaryDirectory(prefix="vigil-openapi-") as scratch:
        settings = load_settings(data_dir=Path(scratch), admin_password="not-used-Openapi-1")
        document: dict[str, Any] = create_api(Vigil(settings)).openapi()
    return document


def render(document: dict[str, Any]) -> str:
    """Stable text: sorted keys, two-space indent, non-ASCII kept, a final newline."""
    return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def main() -> None:
    sys.stdout.write(render(openapi_document()))


if __name__ == "__main__":
    main()
