"""SQLite in a backup: a copy through SQLite's online backup API while the server keeps
writing, and a restore through the same API into the configured file.

The copy is one snapshot: the source connection opens a read transaction before the first
step and holds it to the last, so every step copies the database as it was at that moment
(in WAL mode writers go on meanwhile). Without it, each commit by a writer would start the
copy over, and under a steady stream of writes it might never end.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy.engine import make_url

from stockkeeper.cli.backup_archive import BackupError
from stockkeeper.cli.backup_files import database_files
from stockkeeper.cli.progress import progress

# one step of the copy, and of its progress: 4 MB at the default page size of 4 kB
PAGES_PER_STEP = 1024
BUSY_TIMEOUT_SECONDS = 10


@dataclass(frozen=True)
class Copy:
    path: Path
    revision: str
    server_version: str


def database_path(database_url: str) -> Path:
    """The SQLite file of the URL."""
    database = make_url(database_url).database
    if not database or database == ":memory:":
        raise BackupError("the SQLite database is in memory: it has no file", "no_database_file")
    return Path(database)


def copy(database: Path, target: Path) -> Copy:
    """Copies the database as it is now to ``target`` (a new file), with its revision."""
    if not database.is_file():
        raise BackupError(
            f"no SQLite database at {database} (run stockkeeper db upgrade)", "no_database"
        )
    source = _connect(database)
    try:
        source.execute("BEGIN")
        revision = _revision(source, database)  # the snapshot starts with this first read
        pages = source.execute("PRAGMA page_count").fetchone()[0]
        _backup(source, target, f"Copying {database.name}", pages)
    except sqlite3.Error as error:
        raise BackupError(f"could not copy {database}: {error}", "backup_failed") from None
    finally:
        source.close()
    return Copy(target, revision, sqlite3.sqlite_version)


def restore(staged: Path, database: Path) -> None:
    """Writes the staged copy over the database (or into a new file), in one transaction:
    a failure leaves it as it was."""
    created = not database.exists()
    database.parent.mkdir(parents=True, exist_ok=True)
    source = _connect(staged)
    try:
        pages = source.execute("PRAGMA page_count").fetchone()[0]
        _backup(source, database, f"Restoring {database.name}", pages)
    except sqlite3.Error as error:
        if created:
            for path in database_files(database):
                path.unlink(missing_ok=True)
        raise BackupError(f"could not restore into {database}: {error}", "restore_failed") from None
    finally:
        source.close()


def tables(database: Path) -> int:
    """How many tables the database has (none when there is no file yet)."""
    if not database.exists():
        return 0
    connection = _connect(database)
    try:
        found: int = connection.execute(
            "SELECT count(*) FROM sqlite_master WHERE type = 'table'"
        ).fetchone()[0]
    except sqlite3.DatabaseError as error:
        raise BackupError(
            f"{database} is not a SQLite database ({error})", "not_a_database"
        ) from None
    finally:
        connection.close()
    return found


def _connect(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(path, isolation_level=None, timeout=BUSY_TIMEOUT_SECONDS)


def _backup(source: sqlite3.Connection, target: Path, description: str, pages: int) -> None:
    destination = _connect(target)
    try:
        with progress(description, total=pages) as advance:
            source.backup(destination, pages=PAGES_PER_STEP, progress=_stepper(advance))
    finally:
        destination.close()


def _stepper(advance: Callable[[float], None]) -> Callable[[int, int, int], Any]:
    """The backup's progress callback (pages remaining of the total) as steps advanced."""
    done = 0

    def step(_status: int, remaining: int, total: int) -> None:
        nonlocal done
        advance(total - remaining - done)
        done = total - remaining

    return step


def _revision(connection: sqlite3.Connection, database: Path) -> str:
    try:
        row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.OperationalError:
        row = None
    if row is None:
        raise BackupError(f"{database} has no schema yet (run stockkeeper db upgrade)", "no_schema")
    return str(row[0])
