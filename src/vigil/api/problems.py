"""Errors as ``application/problem+json`` (RFC 9457), each with a stable ``type``.

Every problem also carries ``code`` and ``params``: a stable reason the console words in the
user's language (``vigil.errors``); ``detail`` stays English for API users. A request that fails
validation (422) has the code ``request.invalid`` and ``errors``, one per broken field, each
with its ``loc``, pydantic's ``type`` (``string_too_short``, ``less_than_equal``, ``missing``, …),
the rule's figures in ``ctx`` (``{"max_length": 64}``) and the English ``msg``; ``params`` repeat
the first error's field, type and figures.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from vigil.errors import Param, VigilError

__all__ = ["install_problem_handlers", "problem"]

log = logging.getLogger(__name__)
TYPE_BASE = "https://vigil.example/problems/"
_HTTP_TYPES = {
    401: "unauthorized",
    403: "forbidden",
    404: "not-found",
    405: "method-not-allowed",
    413: "content-too-large",
}


def problem(
    status: int,
    type_: str,
    title: str,
    detail: str,
    code: str | None = None,
    params: Mapping[str, Param] | None = None,
    **extra: Any,
) -> JSONResponse:
    body = {
        "type": TYPE_BASE + type_,
        "title": title,
        "status": status,
        "detail": detail,
        "code": code or type_,
        "params": dict(params or {}),
        **extra,
    }
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    return JSONResponse(
        body, status_code=status, media_type="application/problem+json", headers=headers
    )


async def _vigil_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, VigilError)
    return problem(exc.status, exc.type, exc.title, str(exc), exc.code, exc.params)


async def _http_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, HTTPException)
    type_ = _HTTP_TYPES.get(exc.status_code, f"http-{exc.status_code}")
    return problem(exc.status_code, type_, type_.replace("-", " ").capitalize(), str(exc.detail))


def _scalars(context: object) -> dict[str, Param]:
    """The figures of a rule (``max_length``, ``ge``, ``expected``); not the exception objects
    that a custom validator's context may hold."""
    if not isinstance(context, Mapping):
        return {}
    return {str(k): v for k, v in context.items() if v is None or isinstance(v, str | int | float)}


async def _validation_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors: list[dict[str, Any]] = []
    params: dict[str, Param] = {"field": "", "type": "value_error"}
    detail = "invalid request"
    for e in exc.errors():
        loc = [str(p) for p in e.get("loc", ())]
        kind, context, msg = (
            str(e.get("type", "value_error")),
            _scalars(e.get("ctx")),
            str(e.get("msg", "")),
        )
        if not errors:
            params = {"field": ".".join(loc), "type": kind, **context}
            detail = f"{'.'.join(loc)}: {msg}"
        errors.append({"loc": loc, "type": kind, "ctx": context, "msg": msg})
    return problem(
        422, "invalid", "Invalid input", detail, "request.invalid", params, errors=errors
    )


async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    log.exception("unhandled error", extra={"path": request.url.path}, exc_info=exc)
    return problem(500, "internal-error", "Internal error", "the server failed; see its log")


def install_problem_handlers(app: FastAPI) -> None:
    app.add_exception_handler(VigilError, _vigil_error)
    app.add_exception_handler(HTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(Exception, _unexpected)
