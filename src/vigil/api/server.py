"""The FastAPI application: routers under /api/v1, problem+json errors, the audit middleware."""

from __future__ import annotations

from fastapi import APIRouter, FastAPI
from fastapi.routing import APIRoute

from vigil import __version__
from vigil.api.audit_middleware import AuditMiddleware
from vigil.api.problems import install_problem_handlers
from vigil.api.routers import (
    audit,
    auth,
    availability,
    channels,
    control,
    coverage,
    device_recordings,
    devices,
    events,
    filing,
    gb28181,
    gis,
    health,
    live,
    lower_platforms,
    organisations,
    recordings,
    reports,
    sessions,
    upper_platforms,
    users,
    virtual_groups,
)
from vigil.api.web import mount_web
from vigil.api.web import router as console_router
from vigil.app import Vigil

__all__ = ["create_api"]

PREFIX = "/api/v1"


def _operation_id(route: APIRoute) -> str:
    """Stable ``tag-name`` operation ids, so a generated client reads well."""
    return f"{route.tags[0]}-{route.name}" if route.tags else route.name


def create_api(node: Vigil) -> FastAPI:
    app = FastAPI(
        title="Vigil",
        version=__version__,
        openapi_url=f"{PREFIX}/openapi.json",
        docs_url=f"{PREFIX}/docs",
        redoc_url=None,
        generate_unique_id_function=_operation_id,
    )
    app.state.vigil = node
    api = APIRouter(prefix=PREFIX)
    for module in (health, auth, users, organisations, devices, channels, audit, events, live):
        api.include_router(module.router)
    api.include_router(gb28181.router)
    api.include_router(recordings.router)
    api.include_router(device_recordings.router)
    api.include_router(virtual_groups.router)
    api.include_router(control.router)
    api.include_router(sessions.router)
    for module in (gis, coverage, filing, reports):
        api.include_router(module.router)
    api.include_router(availability.router)
    api.include_router(upper_platforms.router)
    api.include_router(lower_platforms.router)
    api.include_router(console_router)
    app.include_router(api)
    mount_web(app, node.settings.map_tiles)
    install_problem_handlers(app)
    app.add_middleware(AuditMiddleware, audit=node.audit)
    return app
