"""How each SQLite connection is set up: durable writes by default, a page cache that holds
a large ledger's indexes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from stockkeeper.core.db import Database
from stockkeeper.core.settings import Settings


def _pragmas(tmp_path: Path, **settings: Any) -> tuple[str, int, int, int]:
    url = f"sqlite:///{tmp_path / 'x.db'}"
    database = Database(Settings(database_url=url, environment="test", **settings))
    try:
        with database.engine.connect() as connection:
            return (
                connection.exec_driver_sql("PRAGMA journal_mode").scalar_one(),
                connection.exec_driver_sql("PRAGMA synchronous").scalar_one(),
                connection.exec_driver_sql("PRAGMA cache_size").scalar_one(),
                connection.exec_driver_sql("PRAGMA foreign_keys").scalar_one(),
            )
    finally:
        database.dispose()


def test_defaults_are_wal_with_full_sync_and_a_32_mb_cache(tmp_path: Path) -> None:
    assert _pragmas(tmp_path) == ("wal", 2, -32 * 1024, 1)


def test_synchronous_and_cache_follow_the_settings(tmp_path: Path) -> None:
    assert _pragmas(tmp_path, sqlite_synchronous="NORMAL", sqlite_cache_mb=8) == (
        "wal",
        1,
        -8 * 1024,
        1,
    )
