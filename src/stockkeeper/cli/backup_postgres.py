"""PostgreSQL in a backup: ``pg_dump`` in its custom format (``-Fc``), restored by
``pg_restore`` in one transaction, both found on the PATH.

A ``pg_dump`` older than the server refuses to dump it, and a ``pg_restore`` older than the
``pg_dump`` that made a dump cannot read it: both are checked first, and said plainly. The
password goes to the tools in their environment (``PGPASSWORD``), never on a command line
that other users can list.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import create_engine
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.pool import NullPool

from stockkeeper.cli.backup_archive import BackupError
from stockkeeper.cli.progress import progress

_TABLES = (
    "SELECT count(*) FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema')"
)
_MIGRATED = "SELECT to_regclass('alembic_version') IS NOT NULL"
_REVISION = "SELECT version_num FROM alembic_version"


@dataclass(frozen=True)
class Server:
    version: str
    major: int
    tables: int
    revision: str | None


@dataclass(frozen=True)
class Dump:
    path: Path
    revision: str
    server_version: str
    pg_dump_version: str


def tool(name: str) -> str:
    """The path of ``pg_dump`` or ``pg_restore``, or a refusal that says what to install."""
    found = shutil.which(name)
    if found is None:
        raise BackupError(
            f"{name} is not on the PATH: install the PostgreSQL client tools of your server's "
            "version (Debian and Ubuntu: apt install postgresql-client), then run stockkeeper "
            f"{'backup' if name == 'pg_dump' else 'restore'} again",
            "pg_tools_missing",
        )
    return found


def dump(database_url: str, target: Path) -> Dump:
    """Dumps the database to ``target`` (custom format), with its revision and versions."""
    pg_dump = tool("pg_dump")
    server = server_facts(database_url)
    if server.revision is None:
        raise BackupError(
            "the database has no schema yet (run stockkeeper db upgrade)", "no_schema"
        )
    version = tool_version(pg_dump)
    if major(version) < server.major:
        raise BackupError(
            f"pg_dump {version} cannot dump a PostgreSQL {server.major} server: install "
            f"postgresql-client-{server.major} (or newer) and put its pg_dump first on the PATH",
            "pg_version_mismatch",
        )
    uri, env = _libpq(database_url)
    command = [pg_dump, "--format=custom", "--no-password", f"--file={target}", f"--dbname={uri}"]
    with progress("Dumping the database", total=None):
        _run(command, env, "backup_failed")
    return Dump(target, server.revision, server.version, version)


def check_restore_tool(pg_dump_version: str | None) -> str:
    """``pg_restore``'s path, once it is known to read a dump of that ``pg_dump``."""
    pg_restore = tool("pg_restore")
    version = tool_version(pg_restore)
    if pg_dump_version and major(version) < major(pg_dump_version):
        raise BackupError(
            f"the backup was made by pg_dump {pg_dump_version}, which pg_restore {version} "
            f"cannot read: install postgresql-client-{major(pg_dump_version)} (or newer) and "
            "put its pg_restore first on the PATH",
            "pg_version_mismatch",
        )
    return pg_restore


def restore(pg_restore: str, database_url: str, dump_file: Path, *, replace: bool) -> None:
    """Restores the dump in one transaction (a failure leaves the database as it was); with
    ``replace``, what the dump holds is dropped first. Objects are owned by the user of the
    URL, and the source's grants are left out: roles differ from one server to the next."""
    uri, env = _libpq(database_url)
    command = [
        pg_restore,
        "--no-password",
        "--no-owner",
        "--no-privileges",
        "--single-transaction",
        "--exit-on-error",
        *(["--clean", "--if-exists"] if replace else []),
        f"--dbname={uri}",
        str(dump_file),
    ]
    with progress("Restoring the database", total=None):
        _run(command, env, "restore_failed")


def server_facts(database_url: str) -> Server:
    engine = create_engine(database_url, poolclass=NullPool)
    try:
        with engine.connect() as connection:
            version = str(connection.exec_driver_sql("SHOW server_version").scalar())
            number = int(str(connection.exec_driver_sql("SHOW server_version_num").scalar()))
            tables = int(connection.exec_driver_sql(_TABLES).scalar() or 0)
            migrated = connection.exec_driver_sql(_MIGRATED).scalar()
            revision = connection.exec_driver_sql(_REVISION).scalar() if migrated else None
    except DBAPIError as error:
        reason = str(error.orig).strip().splitlines()[0] if error.orig else str(error)
        raise BackupError(f"cannot reach PostgreSQL: {reason}", "database_unreachable") from None
    finally:
        engine.dispose()
    return Server(version, number // 10_000, tables, None if revision is None else str(revision))


def tool_version(path: str) -> str:
    """``15.20`` of ``pg_dump (PostgreSQL) 15.20 (Debian 15.20-0+deb12u1)``."""
    text = subprocess.run(  # noqa: S603 (a PostgreSQL tool found on the PATH)
        [path, "--version"], capture_output=True, text=True, check=False
    ).stdout
    found = re.search(r"\(PostgreSQL\) (\d+(?:\.\d+)*)", text) or re.search(
        r"(\d+(?:\.\d+)*)", text
    )
    if found is None:
        raise BackupError(f"cannot tell the version of {path} ({text.strip()!r})", "pg_version")
    return found.group(1)


def major(version: str) -> int:
    return int(version.split(".")[0])


def _libpq(database_url: str) -> tuple[str, dict[str, str]]:
    """A libpq URI for the tools (without the password) and their environment."""
    url = make_url(database_url)
    uri = URL.create(
        "postgresql",
        username=url.username,
        host=url.host,
        port=url.port,
        database=url.database,
        query=url.query,
    ).render_as_string(hide_password=False)
    env = dict(os.environ)
    if url.password is not None:
        env["PGPASSWORD"] = str(url.password)
    return uri, env


def _run(command: list[str], env: dict[str, str], code: str) -> None:
    name = Path(command[0]).name
    result = subprocess.run(  # noqa: S603 (a PostgreSQL tool found on the PATH, our arguments)
        command, env=env, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        lines = [line.strip() for line in result.stderr.splitlines() if line.strip()]
        errors = [line for line in lines if "error" in line.lower()] or lines or ["no message"]
        raise BackupError(f"{name} failed: {errors[0]}", code)
