"""Front doors that import on first use (:pep:`562`): public names, each from its module.

A package whose ``__init__`` lists its public names as a table (name → submodule) gets its module
``__getattr__`` and ``__dir__`` from :func:`lazy_exports`, so importing the package loads none of
its submodules until a name is used (``vigil --help`` must not load PyAV and the SIP stack).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable, Mapping
from typing import Any

__all__ = ["lazy_exports"]


def lazy_exports(
    package: str, where: Mapping[str, str], namespace: dict[str, Any], public: Iterable[str]
) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """The ``__getattr__`` and ``__dir__`` of ``package``: a name in ``where`` is imported from
    ``package.<where[name]>`` when first asked for and kept in ``namespace`` (the package's
    globals), so the next use costs nothing."""
    names = frozenset(public)

    def getattr_(name: str) -> Any:
        module = where.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(f"{package}.{module}"), name)
        namespace[name] = value
        return value

    def dir_() -> list[str]:
        return sorted({*namespace, *names})

    return getattr_, dir_
