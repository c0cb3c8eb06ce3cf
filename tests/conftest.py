"""Test fixtures: every database test runs on SQLite and on PostgreSQL.

Each test run migrates its own databases (a SQLite file, and a PostgreSQL database created
for the run and dropped after it), so runs never see each other's data. Within a run, each
test gets a company of its own: tenancy keeps tests apart without rebuilding the schema.

PostgreSQL comes from ``STOCKKEEPER_TEST_POSTGRES_URL`` (default: the local server's
``test`` database, used only to create and drop the run's own database). When it is not
reachable the PostgreSQL half is skipped with a plain message, unless
``STOCKKEEPER_TEST_REQUIRE_POSTGRES=1``, which makes that an error.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from stockkeeper.alerts.service import raising
from stockkeeper.api.app import create_app
from stockkeeper.bookkeeping.service import closing
from stockkeeper.core.db import Database, connection_problem
from stockkeeper.core.migrate import upgrade
from stockkeeper.core.settings import Settings
from tests.support import Api, Tenant, make_tenant

POSTGRES_ADMIN_URL = os.environ.get(
    "STOCKKEEPER_TEST_POSTGRES_URL", "postgresql+psycopg://127.0.0.1:5432/test"
)
REQUIRE_POSTGRES = os.environ.get("STOCKKEEPER_TEST_REQUIRE_POSTGRES") == "1"


def pytest_configure(config: pytest.Config) -> None:
    problem = connection_problem(POSTGRES_ADMIN_URL)
    if problem and REQUIRE_POSTGRES:
        raise pytest.UsageError(
            f"PostgreSQL is required (STOCKKEEPER_TEST_REQUIRE_POSTGRES=1) but "
            f"{POSTGRES_ADMIN_URL} is not reachable: {problem}"
        )
    config.stash[_BACKENDS] = ["sqlite"] if problem else ["sqlite", "postgresql"]
    config.stash[_SKIPPED] = problem or ""


_BACKENDS = pytest.StashKey[list[str]]()
_SKIPPED = pytest.StashKey[str]()


def pytest_report_header(config: pytest.Config) -> str:
    if config.stash[_SKIPPED]:
        return (
            f"databases: SQLite only. PostgreSQL SKIPPED: {POSTGRES_ADMIN_URL} is not "
            f"reachable ({config.stash[_SKIPPED]})"
        )
    return f"databases: SQLite and PostgreSQL ({POSTGRES_ADMIN_URL})"


def pytest_terminal_summary(
    terminalreporter: pytest.TerminalReporter, config: pytest.Config
) -> None:
    if config.stash[_SKIPPED]:
        terminalreporter.write_line(
            "NOTE: the PostgreSQL half of the suite was skipped: no server was reachable at "
            f"{POSTGRES_ADMIN_URL}. Set STOCKKEEPER_TEST_POSTGRES_URL to run it.",
            yellow=True,
        )


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "backend" in metafunc.fixturenames:
        backends = metafunc.config.stash[_BACKENDS]
        metafunc.parametrize("backend", [*backends], scope="session")


def _postgres_database() -> Iterator[str]:
    name = f"sk_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(POSTGRES_ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="session")
def database_url(backend: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path_factory.mktemp('db') / 'stockkeeper.db'}"
    else:
        yield from _postgres_database()


@pytest.fixture(scope="session")
def settings(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Settings:
    return Settings(
        environment="test",
        database_url=database_url,
        data_dir=Path(tmp_path_factory.mktemp("data")),
        webhook_allow_private=True,  # the tests' webhook receivers listen on loopback
    )


@pytest.fixture(scope="session", autouse=True)
def hooks() -> None:
    """The hooks every face installs before it posts (alerts on the ledger), for service
    tests too: what a posting announces must not depend on which test ran first."""
    raising.install()
    closing.install()


@pytest.fixture(scope="session")
def database(settings: Settings) -> Iterator[Database]:
    upgrade(settings)
    db = Database(settings)
    yield db
    db.dispose()


@pytest.fixture(scope="session")
def app(database: Database, settings: Settings) -> FastAPI:
    return create_app(settings, database)


@pytest.fixture(scope="session")
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app) as test_client:
        yield test_client


@pytest.fixture
def tenant(database: Database) -> Tenant:
    return make_tenant(database)


@pytest.fixture
def api(client: TestClient, tenant: Tenant) -> Api:
    return Api(client, tenant, tenant.admin_key)


@pytest.fixture
def session(database: Database) -> Iterator[Session]:
    """A write session for service tests; rolled back at the end."""
    with database.new_session() as s:
        s.begin()
        yield s
        s.rollback()
