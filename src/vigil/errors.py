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
API: rename none. An error raised without one has its ``type`` as its code.
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
    status, type, title = 422, "invalid", "Invalid input"


class Unauthorized(VigilError):
    status, type, title = 401, "unauthorized", "Authentication required"


class Forbidden(VigilError):
    status, type, title = 403, "forbidden", "Not allowed"


class NotFound(VigilError):
    status, type, title = 404, "not-found", "Not found"


class Conflict(VigilError):
    status, type, title = 409, "conflict", "Conflict"


class RateLimited(VigilError):
    status, type, title = 429, "rate-limited", "Too many attempts"


class Unavailable(VigilError):
    status, type, title = 503, "unavailable", "Unavailable"


class NoDatabase(Unavailable):
    type, title = "no-database", "No database"
