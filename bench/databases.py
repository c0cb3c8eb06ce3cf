"""Scratch databases for a benchmark run, migrated to the latest schema and removed afterwards.

SQLite is a file in a temporary directory; PostgreSQL is a database created for the run on
the server named by ``STOCKKEEPER_BENCH_POSTGRES_URL`` (default: the local ``test`` database,
used only to create and drop the run's own database).
"""

from __future__ import annotations

import os
import sys
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from tempfile import TemporaryDirectory

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from stockkeeper.core.db import Database, connection_problem
from stockkeeper.core.migrate import upgrade
from stockkeeper.core.settings import Settings

ENGINES = ("sqlite", "postgresql")
POSTGRES_ADMIN_URL = os.environ.get(
    "STOCKKEEPER_BENCH_POSTGRES_URL", "postgresql+psycopg://127.0.0.1:5432/test"
)


def postgres_problem(admin_url: str) -> str | None:
    """Why PostgreSQL cannot be used, or None when it answers."""
    return connection_problem(admin_url)


def chosen_engines(choice: str) -> list[str] | None:
    """The engines an ``--engine`` choice (sqlite, postgresql or both) names that can run
    here, saying on stderr what is skipped; None when PostgreSQL alone was asked for and
    does not answer."""
    engines = list(ENGINES) if choice == "both" else [choice]
    if "postgresql" in engines and (problem := postgres_problem(POSTGRES_ADMIN_URL)):
        if choice == "postgresql":
            print(f"PostgreSQL is not reachable: {problem}", file=sys.stderr)
            return None
        print(f"skipping PostgreSQL: {problem}", file=sys.stderr)
        engines = ["sqlite"]
    return engines


@contextmanager
def _sqlite_url() -> Iterator[str]:
    with TemporaryDirectory(prefix="sk-bench-") as directory:
        yield f"sqlite:///{Path(directory) / 'bench.db'}"


@contextmanager
def _postgres_url(admin_url: str) -> Iterator[str]:
    name = f"sk_bench_{uuid.uuid4().hex[:12]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        try:
            yield make_url(admin_url).set(database=name).render_as_string(hide_password=False)
        finally:
            with admin.connect() as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        admin.dispose()


@contextmanager
def scratch_database(engine: str, admin_url: str = POSTGRES_ADMIN_URL) -> Iterator[Database]:
    """An empty, migrated database of the given engine; gone when the block exits."""
    urls = _sqlite_url() if engine == "sqlite" else _postgres_url(admin_url)
    with urls as url, TemporaryDirectory(prefix="sk-bench-data-") as data_dir:
        settings = Settings(environment="test", database_url=url, data_dir=Path(data_dir))
        upgrade(settings)
        database = Database(settings)
        try:
            yield database
        finally:
            database.dispose()


def server_version(database: Database) -> str:
    query = "SELECT sqlite_version()" if database.dialect == "sqlite" else "SHOW server_version"
    with database.engine.connect() as connection:
        return str(connection.exec_driver_sql(query).scalar_one())
