"""A response model filled from a domain value whose attributes bear the model's field names."""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel

__all__ = ["from_attrs"]

M = TypeVar("M", bound=BaseModel)


def from_attrs(model: type[M], source: object, **given: Any) -> M:
    """``model`` with the ``given`` fields, and each other field from ``source``'s attribute of
    its name (so a field the source lacks and nobody gives fails loudly). Fields are passed by
    name: for models without validation aliases."""
    taken = {name: getattr(source, name) for name in model.model_fields if name not in given}
    return model(**taken, **given)
