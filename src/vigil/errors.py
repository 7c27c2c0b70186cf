"""Errors the services raise; the API turns each into problem+json with its stable ``type``.

VigilError
 ├── Invalid         422  input breaks a rule (the message names it)
 ├── Unauthorized    401  no or bad credentials
 ├── Forbidden       403  authenticated, but not allowed (role, token scope or organisation)
 ├── NotFound        404
 ├── Conflict        409  already exists / still referenced
 ├── RateLimited     429  too many attempts from one address
 └── Unavailable     503  the node cannot start: a busy port, an unusable data dir, an
      │                   unreachable database (the ``vigil`` command prints it as one line)
      └── NoDatabase      an admin command found no database to work on (it creates none)

Besides the English message (the problem's ``detail``, for API users and logs), an error that a
person may read carries a stable ``code`` and its ``params``: the console words the reason in the
user's language from them (``password.too_short`` with ``{"counted": 8, "min": 10}``). Codes are
API: rename none. An error raised without one has its ``type`` as its code. :func:`missing` and
:func:`already_exists` word the commonest two (``not_found``, ``exists``, with ``entity`` and
``id``) the same wherever a part raises them.
"""

from __future__ import annotations

from collections.abc import Mapping

__all__ = [
    "Conflict",
    "Forbidden",
    "Invalid",
    "NoDatabase",
    "NotFound",
    "Param",
    "RateLimited",
    "Unauthorized",
    "Unavailable",
    "VigilError",
    "already_exists",
    "missing",
]


Param = str | int | float | bool | None
"""A parameter of a coded reason: what the console interpolates into its sentence."""


class VigilError(Exception):
    """Base of every error a service reports to its caller."""

    status = 500
    type = "internal-error"
    title = "Internal error"

    def __init__(self, detail: str = "", *, code: str | None = None, **params: Param) -> None:
        super().__init__(detail)
        self.code: str = code or self.type
        self.params: Mapping[str, Param] = params


class Invalid(VigilError):
    """The input breaks a rule (422); the message and code name the rule."""

    status, type, title = 422, "invalid", "Invalid input"


class Unauthorized(VigilError):
    """No credentials, or bad ones (401)."""

    status, type, title = 401, "unauthorized", "Authentication required"


class Forbidden(VigilError):
    """The caller is known but not allowed: role, token scope or organisation (403)."""

    status, type, title = 403, "forbidden", "Not allowed"


class NotFound(VigilError):
    """What was asked for does not exist (404)."""

    status, type, title = 404, "not-found", "Not found"


class Conflict(VigilError):
    """It already exists, or something still refers to it (409)."""

    status, type, title = 409, "conflict", "Conflict"


class RateLimited(VigilError):
    """Too many attempts from one address; try again later (429)."""

    status, type, title = 429, "rate-limited", "Too many attempts"


class Unavailable(VigilError):
    """The node cannot serve: a busy port, an unusable data dir, no database (503)."""

    status, type, title = 503, "unavailable", "Unavailable"


class NoDatabase(Unavailable):
    """An admin command found no database to work on (it never creates one)."""

    type, title = "no-database", "No database"


def _name(entity: str) -> str:
    return entity.replace("_", " ")


def missing(
    entity: str, id: str | int, error: type[NotFound | Invalid] = NotFound, role: str = ""
) -> NotFound | Invalid:
    """``entity`` ``id`` does not exist: ``NotFound`` when it was asked for, ``Invalid`` when the
    input only refers to it (``role`` says how, as in "parent organisation")."""
    what = f"{role} {_name(entity)}" if role else _name(entity)
    return error(f"{what} {id} does not exist", code="not_found", entity=entity, id=id)


def already_exists(entity: str, id: str) -> Conflict:
    """``entity`` ``id`` is there already: a new one may not take its ID."""
    return Conflict(f"{_name(entity)} {id} already exists", code="exists", entity=entity, id=id)
