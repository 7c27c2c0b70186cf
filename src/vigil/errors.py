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
"""

from __future__ import annotations

__all__ = [
    "Conflict",
    "Forbidden",
    "Invalid",
    "NoDatabase",
    "NotFound",
    "RateLimited",
    "Unauthorized",
    "Unavailable",
    "VigilError",
]


class VigilError(Exception):
    """Base of every error a service reports to its caller."""

    status = 500
    type = "internal-error"
    title = "Internal error"


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
