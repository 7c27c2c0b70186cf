"""The layering check: every import between parts of Vigil against :mod:`vigil.architecture`.

Every ``import`` and ``from … import`` in a module counts, wherever it stands (inside a function,
under ``if TYPE_CHECKING:``); relative imports are resolved. A finding names the file and line.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

from vigil.architecture import allowed, part_of

__all__ = ["check_tree", "module_of"]


def module_of(path: Path, root: Path) -> str:
    """The dotted name of the module at ``path`` in the source tree ``root`` (``src``)."""
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports(tree: ast.AST, module: str, is_package: bool) -> Iterator[tuple[int, str, list[str]]]:
    """(line, imported module, names taken from it) for every import in ``tree``."""
    package = module if is_package else module.rpartition(".")[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name, []
        elif isinstance(node, ast.ImportFrom):
            target = node.module or ""
            if node.level:
                base = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                target = ".".join([*base, target] if target else base)
            yield node.lineno, target, [alias.name for alias in node.names]


def _finding(root: Path, source: str, target: str, names: list[str]) -> str | None:
    """Why importing ``names`` from ``target`` in ``source`` breaks the table, if it does."""
    if target != "vigil" and not target.startswith("vigil."):
        return None
    mine, theirs = part_of(source), part_of(target)
    if theirs is None:
        return f"imports {target}, which no part of vigil.architecture holds"
    if mine is None or mine == theirs:
        return None
    if not allowed(mine.name, theirs.name):
        return f"part {mine.name} imports {target} (part {theirs.name}): no such arrow"
    if theirs.front_door:
        door = theirs.modules[0]
        inner = [n for n in names if _is_module(root, f"{door}.{n}")]
        if target != door or inner:
            what = f"{door}.{inner[0]}" if inner and target == door else target
            return f"part {mine.name} imports {what}: {theirs.name} is entered only through {door}"
    return None


def _is_module(root: Path, dotted: str) -> bool:
    path = root.joinpath(*dotted.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def check_tree(root: Path) -> list[str]:
    """Every import in ``root/vigil`` that the table does not allow, as ``file:line: why``."""
    findings = []
    for path in sorted((root / "vigil").rglob("*.py")):
        module = module_of(path, root)
        if part_of(module) is None:
            findings.append(f"{path}:1: module {module} belongs to no part of vigil.architecture")
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        for line, target, names in _imports(tree, module, path.name == "__init__.py"):
            why = _finding(root, module, target, names)
            if why is not None:
                findings.append(f"{path}:{line}: {why}")
    return findings
