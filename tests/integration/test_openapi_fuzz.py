"""Schemathesis against the published OpenAPI document of a running server: no 5xx, ever.

Valid and invalid requests alike (both generation modes), bounded to a fixed number of cases per
operation and mode. Valid requests reach the services and the database, so they run on both
engines; invalid ones break the schema and are refused by the API's validation before any service
or database sees them, so they run once, on PostgreSQL. Each run is split in two halves of the
operations (tests that a parallel run spreads over its workers). Hypothesis drives schemathesis'
strategies directly because its pytest plugin does not load under pytest 9. Logout and password
change are left out: they would end the session the run authenticates with.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TypedDict

import httpx
import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis.core.errors import InvalidSchema
from schemathesis.core.result import Err, Result

from tests.conftest import scratch_pg_database
from tests.integration.live import LiveServer, live_vigil

ADMIN_PASSWORD = "Schemathesis-Run-77"
# Seconds a setup request may take: the server builds its OpenAPI document at the first ask, and
# six runs starting together on a loaded two-core machine once took schemathesis's 10 s over it.
LOADED = 60.0
# Cases per operation and run. Hypothesis draws new ones every run (and replays a failure from its
# database first), so what a run leaves unexplored the next one may reach: 15 (30 until
# 2026-12-08) halves the six runs' 330 CPU-seconds, a fifth of the suite's, on a two-core machine.
EXAMPLES = 15
# schemathesis's own signatures leave an operation's four type parameters open.
Operation = schemathesis.APIOperation[Any, Any, Any, Any]


class Database(TypedDict, total=False):
    """The server's database setting when it is not the default SQLite file."""

    database_url: str


def operation_of(result: Result[Operation, InvalidSchema]) -> Operation:
    """The operation a schema result holds; the schema's error when it holds none."""
    if isinstance(result, Err):
        raise result.err()
    return result.ok()


@pytest.fixture(scope="module")
def server(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LiveServer]:
    data_dir: Path = tmp_path_factory.mktemp("schemathesis")
    with contextlib.ExitStack() as stack:
        extra: Database = {}
        if request.param == "postgresql":
            extra["database_url"] = stack.enter_context(scratch_pg_database())
        with live_vigil("serve", data_dir, admin_password=ADMIN_PASSWORD, **extra) as live:
            yield live


@pytest.fixture(scope="module")
def token(server: LiveServer) -> str:
    response = httpx.post(
        f"{server.url}/api/v1/auth/token",
        data={"username": "admin", "password": ADMIN_PASSWORD},
        timeout=LOADED,
    )
    token: str = response.json()["access_token"]
    return token


POSITIVE, NEGATIVE = schemathesis.GenerationMode.POSITIVE, schemathesis.GenerationMode.NEGATIVE
#: (engine, mode, which operations: all, or one of two halves).
RUNS = [
    pytest.param("sqlite", POSITIVE, slice(0, None, 2), id="sqlite-positive-even"),
    pytest.param("sqlite", POSITIVE, slice(1, None, 2), id="sqlite-positive-odd"),
    pytest.param("postgresql", POSITIVE, slice(0, None, 2), id="postgresql-positive-even"),
    pytest.param("postgresql", POSITIVE, slice(1, None, 2), id="postgresql-positive-odd"),
    pytest.param("postgresql", NEGATIVE, slice(0, None, 2), id="postgresql-negative-even"),
    pytest.param("postgresql", NEGATIVE, slice(1, None, 2), id="postgresql-negative-odd"),
]


# Above the suite's 300 s: every operation of the half gets its cases, and the resource tree's
# seven (/tree/…) add about 30 s of them on a busy two-core machine.
@pytest.mark.timeout(420)
@pytest.mark.parametrize(("server", "mode", "part"), RUNS, indirect=["server"])
def test_no_server_errors(
    server: LiveServer, token: str, mode: schemathesis.GenerationMode, part: slice
) -> None:
    document = httpx.get(f"{server.url}/api/v1/openapi.json", timeout=LOADED).json()
    schema = schemathesis.openapi.from_dict(document).exclude(
        path_regex=r"/auth/(logout|password)$"
    )
    headers = {"Authorization": f"Bearer {token}"}
    every = [operation_of(result) for result in schema.get_all_operations()]
    assert len(every) >= 40
    operations = every[part]

    with requests.Session() as session:
        for operation in operations:

            @given(case=operation.as_strategy(generation_mode=mode))
            @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
            def no_5xx(case: schemathesis.Case[Operation]) -> None:
                response = case.call(base_url=server.url, headers=headers, session=session)
                where = f"{case.method} {case.formatted_path}"
                assert response.status_code < 500, f"{where}: {response.text}"
                if response.status_code >= 400:
                    assert response.headers["content-type"] == ["application/problem+json"], where

            try:
                no_5xx()
            except Unsatisfiable:
                # An operation that takes no input has no invalid request to generate.
                assert mode is NEGATIVE, operation.label
