"""The layering rule of DESIGN.md, checked on the imports of every module.

``vigil.protocols`` imports nothing else of Vigil's and no third-party package (it is sans-I/O and
standard library only); services never import ``vigil.api`` or ``vigil.cli``.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

SRC = Path(__file__).parents[2] / "src" / "vigil"


def imports_of(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def modules(package: str) -> list[Path]:
    return sorted((SRC / package).rglob("*.py"))


@pytest.mark.parametrize("path", modules("protocols"), ids=lambda p: str(p.relative_to(SRC)))
def test_protocols_use_only_the_standard_library(path: Path) -> None:
    outside = {
        name
        for name in imports_of(path)
        if not name.startswith("vigil.protocols")
        and name.split(".")[0] not in sys.stdlib_module_names
    }
    assert outside == set()


SERVICES = [
    p for p in SRC.iterdir() if p.is_dir() and p.name not in ("api", "protocols", "__pycache__")
]


@pytest.mark.parametrize("package", SERVICES, ids=lambda p: p.name)
def test_services_do_not_import_api_or_cli(package: Path) -> None:
    for path in package.rglob("*.py"):
        upward = {n for n in imports_of(path) if n.startswith(("vigil.api", "vigil.cli"))}
        assert upward == set(), f"{path.relative_to(SRC)} imports {upward}"
