"""The console's copy of the OpenAPI document is the one the routers make today.

The web console generates its API types from ``web/src/api/openapi.json`` when it builds; a router
change that is not carried into that copy would leave the console typed against an old API.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tools.openapi_dump import openapi_document, render

SNAPSHOT = Path(__file__).resolve().parents[2] / "web" / "src" / "api" / "openapi.json"
REGENERATE = "make openapi"


def differences(committed: dict[str, Any], current: dict[str, Any]) -> list[str]:
    """The paths and schemas that differ between two documents, by name."""
    found = []
    for section, key in (("path", "paths"), ("schema", "components")):
        old = committed.get(key, {}) if key == "paths" else committed[key].get("schemas", {})
        new = current.get(key, {}) if key == "paths" else current[key].get("schemas", {})
        found += [
            f"{section} {name}"
            for name in sorted(old.keys() | new.keys())
            if old.get(name) != new.get(name)
        ]
    return found


def test_committed_document_matches_the_routers() -> None:
    committed = json.loads(SNAPSHOT.read_text(encoding="utf-8"))
    current = openapi_document()
    assert committed == current, (
        f"web/src/api/openapi.json is stale ({', '.join(differences(committed, current)[:8])}); "
        f"regenerate it with `{REGENERATE}` and rebuild the console (cd web && npm run build)"
    )


def test_snapshot_is_written_as_the_dump_script_writes_it() -> None:
    """Byte for byte, so that a regeneration shows only real changes in a diff."""
    text = SNAPSHOT.read_text(encoding="utf-8")
    assert text == render(json.loads(text)), f"reformat it with `{REGENERATE}`"
