"""The layering rule of DESIGN.md, checked on the imports of every module.

``vigil.protocols`` imports nothing else of Vigil's and no third-party package (it is sans-I/O and
standard library only); services never import ``vigil.api`` or ``vigil.cli``; and every import
from one part into another follows an arrow of the table in :mod:`vigil.architecture`
(``python -m vigil.architecture`` prints it), entering media only through ``vigil.media``.
"""

from __future__ import annotations

import ast
import importlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

import vigil.media as media
from tests.unit.layering import check_tree
from vigil.architecture import PARTS, Part, describe

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


# --- the table of parts (vigil.architecture) ----------------------------------------------------


def test_every_import_follows_the_table_of_parts() -> None:
    assert check_tree(SRC.parent) == []


def write_tree(root: Path, files: dict[str, str]) -> Path:
    """A source tree under ``root`` with the given modules (path under ``vigil/``: text)."""
    for name, text in files.items():
        path = root / "vigil" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root


def test_an_arrow_outside_the_table_is_reported_with_file_and_line(tmp_path: Path) -> None:
    root = write_tree(
        tmp_path,
        {
            "api/__init__.py": "",
            "store/__init__.py": '"""Store."""\n\nfrom vigil.errors import VigilError\n',
            "store/models.py": "import os\n\nfrom vigil.api import create_api\n",
        },
    )
    assert check_tree(root) == [
        f"{root / 'vigil/store/models.py'}:3: part store imports vigil.api (part api): "
        "no such arrow"
    ]


def test_a_type_checking_or_relative_import_counts_like_any_other(tmp_path: Path) -> None:
    root = write_tree(
        tmp_path,
        {
            "store/__init__.py": "",
            "bus.py": (
                "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from .store import x\n"
            ),
            "protocols/sdp.py": "def f():\n    from ..config import Settings\n",
        },
    )
    assert check_tree(root) == [
        f"{root / 'vigil/bus.py'}:3: part bus imports vigil.store (part store): no such arrow",
        f"{root / 'vigil/protocols/sdp.py'}:2: part protocols imports vigil.config (part config): "
        "no such arrow",
    ]


def test_media_is_entered_only_through_its_front_door(tmp_path: Path) -> None:
    root = write_tree(
        tmp_path,
        {
            "media/__init__.py": "",
            "media/hub.py": "from vigil.media.packet import StreamKey\n",
            "media/packet.py": "",
            "gb28181/call.py": (
                "from vigil.media import StreamHub\n"
                "from vigil.media.hub import StreamHub\n"
                "from vigil.media import hub\n"
            ),
        },
    )
    call = root / "vigil/gb28181/call.py"
    why = "part gb28181 imports vigil.media.hub: media is entered only through vigil.media"
    assert check_tree(root) == [f"{call}:2: {why}", f"{call}:3: {why}"]


def test_a_module_outside_every_part_is_reported(tmp_path: Path) -> None:
    root = write_tree(tmp_path, {"scheduler.py": "import asyncio\n"})
    assert check_tree(root) == [
        f"{root / 'vigil/scheduler.py'}:1: module vigil.scheduler belongs to no part of "
        "vigil.architecture"
    ]


def test_the_table_prints_one_line_per_part() -> None:
    printed = subprocess.run(
        [sys.executable, "-m", "vigil.architecture"],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONPATH": str(SRC.parent)},
    ).stdout.splitlines()
    assert printed == describe()
    assert len(printed) == len(PARTS)
    assert "- media (entered only through vigil.media)" in printed[PARTS.index(part("media"))]
    assert printed[0].endswith("Imports: nothing of Vigil's.")


def part(name: str) -> Part:
    return next(p for p in PARTS if p.name == name)


def test_the_media_front_door_names_resolve_to_their_modules() -> None:
    init = SRC / "media" / "__init__.py"
    typed = {
        alias.name: node.module
        for node in ast.walk(ast.parse(init.read_text()))
        if isinstance(node, ast.ImportFrom)
        for alias in node.names
        if node.module and node.module.startswith("vigil.media.")
    }
    assert sorted(media.__all__) == sorted(media.EXPORTS) == sorted(typed)
    for name, module in media.EXPORTS.items():
        assert typed[name] == f"vigil.media.{module}"
        assert getattr(media, name) is getattr(importlib.import_module(typed[name]), name)
    with pytest.raises(AttributeError, match="no attribute 'internals'"):
        _ = media.internals
