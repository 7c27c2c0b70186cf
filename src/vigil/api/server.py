"""The FastAPI application: routers under /api/v1, problem+json errors, body limits, audit."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.routing import APIRoute

from vigil import __version__
from vigil.api.audit_middleware import AuditMiddleware
from vigil.api.body_limit import MIB, BodyLimit, RouteLimit
from vigil.api.client_gone import ClientGone
from vigil.api.problems import install_problem_handlers
from vigil.api.routers import (
    access_policy,
    alarms,
    analytics,
    analytics_tracks,
    approvals,
    audit,
    auth,
    availability,
    channel_shares,
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
    masks,
    organisations,
    recordings,
    reports,
    sessions,
    tree,
    upper_platforms,
    users,
    video_search,
    views,
    virtual_groups,
)
from vigil.api.web import mount_web
from vigil.api.web import router as console_router
from vigil.app import Vigil

__all__ = ["create_api"]

PREFIX = "/api/v1"

BODY_LIMITS = (
    # A GeoJSON layer: up to 10,000 features (a district's roads run to a few MB).
    RouteLimit("POST", f"{PREFIX}/gis/layers/{{kind}}", 16 * MIB),
    # Up to 10,000 share entries of about 130 bytes each.
    RouteLimit("PUT", f"{PREFIX}/upper-platforms/{{platform_id}}/shares", 4 * MIB),
)
"""Routes whose bodies may be bigger than the default 1 MiB (see :mod:`vigil.api.body_limit`)."""


#: The API's routers in the order their routes are matched and listed in the OpenAPI document.
ROUTERS = (
    health, auth, users, organisations, devices, channels, audit, events, live, views, gb28181,
    recordings, device_recordings, virtual_groups, tree, control, sessions, access_policy, gis,
    coverage, filing, reports, availability, alarms, analytics, analytics_tracks, approvals, masks,
    channel_shares, video_search, upper_platforms, lower_platforms,
)  # fmt: skip


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
    # Each router straight into the app: a router included into another and that one into the
    # app has every route's dependencies analysed twice (a node's API is built in 0.08 s, not 0.16).
    for module in ROUTERS:
        app.include_router(module.router, prefix=PREFIX)
    app.include_router(console_router, prefix=PREFIX)
    mount_web(app, node.settings.map_tiles)
    install_problem_handlers(app)
    # Added last is outermost: a refused body is still audited, as any other refusal.
    app.add_middleware(BodyLimit, routes=BODY_LIMITS)
    app.add_middleware(AuditMiddleware, audit=node.audit)
    app.add_middleware(ClientGone)
    return app
