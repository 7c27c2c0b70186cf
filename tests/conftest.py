"""Shared fixtures: a started Vigil node on each database engine, and an HTTP client for it.

Every test that takes ``node`` or ``client`` runs once on SQLite and once on PostgreSQL; each
PostgreSQL run gets a database of its own. The server is ``VIGIL_TEST_PG_URL`` when set (empty:
SQLite only), else the PostgreSQL answering on 127.0.0.1:5432 with trust authentication, as on the
machines the suite runs on; a run without either skips the PostgreSQL half and says so.

The session ends with the skips counted by reason, so a run that skipped something says what.
"""

from __future__ import annotations

import asyncio
import collections
import concurrent.futures
import contextlib
import os
import shutil
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import asyncpg
import httpx
import pytest
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from sqlalchemy.engine import make_url

from tests import hash_cost
from tests.pg_scratch import (
    ScratchDatabases,
    create_statements,
    drop_statement,
    new_name,
    run_sql,
)
from tests.scheduling import pytest_collection_modifyitems  # noqa: F401  (the hook, for xdist)
from vigil.api.server import create_api
from vigil.app import Vigil
from vigil.config import Settings, load_settings
from vigil.store.database import Database
from vigil.store.migrate import upgrade

hash_cost.apply(os.environ)

# Hypothesis' per-example deadline and its "generation is slow" check time the wall clock, which
# parallel workers (and anything else on the machine) stretch; they say nothing about the code.
# A test that sets its own settings keeps them.
hypothesis_settings.register_profile(
    "suite", deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
hypothesis_settings.load_profile("suite")

ADMIN_PASSWORD = "Correct-Horse-42"
LOCAL_PG_URL = "postgresql+asyncpg://postgres@127.0.0.1:5432/postgres"


def _pg_dsn(url: str, database: str) -> str:
    parsed = make_url(url).set(drivername="postgresql", database=database)
    return parsed.render_as_string(hide_password=False)


def _find_pg() -> str | None:
    configured = os.environ.get("VIGIL_TEST_PG_URL")
    if configured is not None:
        return configured or None

    async def probe() -> None:
        connection = await asyncpg.connect(_pg_dsn(LOCAL_PG_URL, "postgres"), timeout=3)
        await connection.close()

    # A thread of its own: a benchmark imports this module from inside a running event loop.
    try:
        with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
            pool.submit(asyncio.run, probe()).result()
    except (OSError, TimeoutError, asyncpg.PostgresError):
        return None
    return LOCAL_PG_URL


PG_URL = _find_pg()


@contextlib.contextmanager
def scratch_pg_database(template: str | None = None) -> Iterator[str]:
    """A fresh PostgreSQL database for one test (a copy of ``template`` when named), dropped
    afterwards; skips without a server."""
    maintenance = _maintenance_dsn()
    name = new_name()
    run_sql(maintenance, *create_statements(name, template))
    try:
        yield _url_of(name)
    finally:
        run_sql(maintenance, drop_statement(name))


def _maintenance_dsn() -> str:
    if not PG_URL:
        pytest.skip("no PostgreSQL: VIGIL_TEST_PG_URL is unset and none answers on 127.0.0.1:5432")
    return _pg_dsn(PG_URL, make_url(PG_URL).database or "postgres")


def _url_of(database: str) -> str:
    assert PG_URL is not None
    return make_url(PG_URL).set(database=database).render_as_string(hide_password=False)


async def _migrate(url: str) -> None:
    database = Database(url)
    try:
        database.create_file()
        await upgrade(database.engine)
    finally:
        await database.dispose()


# A node's first start migrates its database; most tests' nodes start from a copy of one that a
# worker migrated once (SQLite: the file; PostgreSQL: CREATE DATABASE … TEMPLATE), which is the
# same schema at a fraction of the cost. tests/integration/test_migrations.py migrates for real.
@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "vigil.db"
    asyncio.run(_migrate(f"sqlite+aiosqlite:///{path}"))
    return path


@pytest.fixture(scope="session")
def pg_scratch() -> Iterator[ScratchDatabases]:
    """This worker's migrated template and the copies of it that tests take (see pg_scratch)."""
    with scratch_pg_database() as url:
        asyncio.run(_migrate(url))
        template = make_url(url).database
        assert template is not None
        scratch = ScratchDatabases(_maintenance_dsn(), template)
        try:
            yield scratch
        finally:
            scratch.close()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A migrated database without users, of each engine."""
    if request.param == "sqlite":
        file = tmp_path / "vigil.db"
        shutil.copyfile(request.getfixturevalue("sqlite_template"), file)
        file.chmod(0o600)
        yield f"sqlite+aiosqlite:///{file}"
        return
    scratch: ScratchDatabases = request.getfixturevalue("pg_scratch")
    name = scratch.take()
    try:
        yield _url_of(name)
    finally:
        scratch.give_back(name)


@pytest.fixture
def settings(tmp_path: Path, database_url: str) -> Settings:
    return load_settings(
        data_dir=tmp_path / "data", database_url=database_url, admin_password=ADMIN_PASSWORD
    )


@pytest.fixture
async def node(settings: Settings) -> AsyncIterator[Vigil]:
    vigil = Vigil(settings)
    await vigil.start()
    try:
        yield vigil
    finally:
        await vigil.stop()


@pytest.fixture
async def client(node: Vigil) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=create_api(node), client=("127.0.0.9", 40000))
    async with httpx.AsyncClient(transport=transport, base_url="http://vigil.test") as http:
        yield http


async def login(client: httpx.AsyncClient, username: str, password: str) -> dict[str, str]:
    """Log in through the OAuth2 endpoint and return the Authorization header."""
    response = await client.post(
        "/api/v1/auth/token", data={"username": username, "password": password}
    )
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


@pytest.fixture
async def admin(client: httpx.AsyncClient) -> dict[str, str]:
    return await login(client, "admin", ADMIN_PASSWORD)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> Iterator[None]:
    """The skips counted by reason, after pytest's own short summary, just above its totals."""
    yield
    reasons: collections.Counter[str] = collections.Counter()
    for report in terminalreporter.stats.get("skipped", []):
        longrepr = report.longrepr
        reason = longrepr[2] if isinstance(longrepr, tuple) else str(longrepr)
        reasons[reason.removeprefix("Skipped: ")] += 1
    if reasons:
        terminalreporter.section(f"{sum(reasons.values())} skipped, by reason")
        for reason, count in reasons.most_common():
            terminalreporter.write_line(f"{count:5}  {reason}")
