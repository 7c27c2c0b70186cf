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


def _compact(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def _entries(mapping: dict[str, Any], indent: str) -> list[str]:
    """One line per entry of ``mapping`` (an operation path, a schema), in key order."""
    keys = sorted(mapping)
    return [
        f"{indent}{_compact(key)}: {_compact(mapping[key])}{',' if i < len(keys) - 1 else ''}"
        for i, key in enumerate(keys)
    ]


def render(document: dict[str, Any]) -> str:
    """Stable text: keys sorted, non-ASCII kept, one line per path and per schema (so a change to
    an operation or a schema is a changed line in a diff, and the ~300-line file reads as the
    API's table of contents), everything else compact; a final newline."""
    lines = ["{"]
    keys = sorted(document)
    for i, key in enumerate(keys):
        value = document[key]
        comma = "," if i < len(keys) - 1 else ""
        if key == "paths":
            lines += [f"  {_compact(key)}: {{", *_entries(value, "    "), f"  }}{comma}"]
        elif key == "components":
            parts = sorted(value)
            lines.append(f"  {_compact(key)}: {{")
            for j, part in enumerate(parts):
                inner = "," if j < len(parts) - 1 else ""
                if part == "schemas":
                    lines += [f"    {_compact(part)}: {{", *_entries(value[part], "      ")]
                    lines.append(f"    }}{inner}")
                else:
                    lines.append(f"    {_compact(part)}: {_compact(value[part])}{inner}")
            lines.append(f"  }}{comma}")
        else:
            lines.append(f"  {_compact(key)}: {_compact(value)}{comma}")
    return "\n".join([*lines, "}"]) + "\n"


def main() -> None:
    sys.stdout.write(render(openapi_document()))


if __name__ == "__main__":
    main()
