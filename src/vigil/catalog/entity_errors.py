"""The errors for a catalog object that does not exist, or already does: one wording and code
(``not_found``, ``exists``, with ``entity`` and ``id``) wherever the catalog raises them."""

from __future__ import annotations

from vigil.errors import Conflict, Invalid, NotFound

__all__ = ["already_exists", "missing"]


def _name(entity: str) -> str:
    return entity.replace("_", " ")


def missing(
    entity: str, id: str, error: type[NotFound | Invalid] = NotFound, role: str = ""
) -> NotFound | Invalid:
    """``entity`` ``id`` does not exist: ``NotFound`` when it was asked for, ``Invalid`` when the
    input only refers to it (``role`` says how, as in "parent organisation")."""
    what = f"{role} {_name(entity)}" if role else _name(entity)
    return error(f"{what} {id} does not exist", code="not_found", entity=entity, id=id)


def already_exists(entity: str, id: str) -> Conflict:
    """``entity`` ``id`` is there already: a new one may not take its ID."""
    return Conflict(f"{_name(entity)} {id} already exists", code="exists", entity=entity, id=id)
