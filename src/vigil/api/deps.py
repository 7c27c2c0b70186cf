"""Typed dependencies: the Vigil node, the authenticated principal, the caller, the services.

A router asks for what it uses: ``Caller`` (built once per request: the principal, the source
address) and the services it calls (``Devices``, ``Media``…), not the whole node.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import OAuth2PasswordBearer

from vigil.app import Vigil
from vigil.governance.audited import Caller
from vigil.governance.permissions import Principal

__all__ = ["AnonymousCaller", "CurrentCaller", "CurrentPrincipal", "Node", "SourceAddress", "Token"]

_bearer = OAuth2PasswordBearer(tokenUrl="/api/v1/auth/token")


def _node(request: Request) -> Vigil:
    node: Vigil = request.app.state.vigil
    return node


Node = Annotated[Vigil, Depends(_node)]
Token = Annotated[str, Depends(_bearer)]


async def _principal(request: Request, node: Node, token: Token) -> Principal:
    principal = await node.auth.authenticate(token)
    request.state.principal = principal
    return principal


def _source(request: Request) -> str | None:
    return request.client.host if request.client else None


CurrentPrincipal = Annotated[Principal, Depends(_principal)]
SourceAddress = Annotated[str | None, Depends(_source)]


def _caller(request: Request, principal: CurrentPrincipal, source: SourceAddress) -> Caller:
    """The request's caller; the audit middleware finds it on the request's state."""
    caller = Caller(principal, source)
    request.state.caller = caller
    return caller


def _anonymous(request: Request, source: SourceAddress) -> Caller:
    caller = Caller.anonymous(source)
    request.state.caller = caller
    return caller


CurrentCaller = Annotated[Caller, Depends(_caller)]
AnonymousCaller = Annotated[Caller, Depends(_anonymous)]
