"""``stockkeeper backup FILE`` and ``stockkeeper restore FILE``: the database and the data
directory's files in one archive (``cli/backup_archive.py``), and back.

A backup copies the database first and reads the files after it: a packing slip is stored
before the transaction that names it commits, so every file the copied database names is on
disk by the time the files are read. A restore checks the whole archive, then that it fits
here (the engine, a schema revision this version knows) and that it would overwrite nothing
unless told to, before it writes anything.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from sqlalchemy.engine import make_url

from stockkeeper import __version__
from stockkeeper.cli import _fail
from stockkeeper.cli import backup_postgres as postgres
from stockkeeper.cli import backup_sqlite as sqlite
from stockkeeper.cli.backup_archive import (
    BackupError,
    Engine,
    Manifest,
    archive_mode,
    extract,
    read_verified,
    writing,
)
from stockkeeper.cli.backup_files import data_files, database_files, put_in_place
from stockkeeper.cli.progress import progress
from stockkeeper.core.settings import Settings, load_settings
from stockkeeper.core.types import utcnow

ENGINE_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
_REPLACE_HINT = "restore into an empty one, or pass --replace to overwrite it"


def register(app: typer.Typer) -> None:
    """Adds the backup commands to the command line."""
    app.command("backup")(backup)
    app.command("restore")(restore)


def backup(
    file: Annotated[Path, typer.Argument(help="The archive to write: *.tar.gz, *.tgz or *.tar")],
) -> None:
    """Back up the database and the data directory's files (packing slips) into one archive,
    with a manifest and checksums, while the server keeps running."""
    with _refusals():
        manifest = make_backup(load_settings(), file)
    files = len(manifest.data_files)
    typer.echo(
        f"backup written to {file} ({_size(file.stat().st_size)}): "
        f"{ENGINE_NAMES[manifest.engine]} database at revision {manifest.revision} "
        f"and {files} file{'' if files == 1 else 's'}"
    )


def restore(
    file: Annotated[Path, typer.Argument(help="An archive written by stockkeeper backup")],
    replace: Annotated[
        bool, typer.Option("--replace", help="Overwrite a database or data directory in use")
    ] = False,
) -> None:
    """Restore a backup into an empty database and data directory, or over them with
    --replace (stop the server and workers first). The whole archive is checked before
    anything is written."""
    settings = load_settings()
    with _refusals():
        manifest, current = restore_backup(settings, file, replace=replace)
    files = len(manifest.data_files)
    upgrade = "; run stockkeeper db upgrade to bring it up to date" if not current else ""
    typer.echo(
        f"restored {file} ({_size(manifest.size)}): {ENGINE_NAMES[manifest.engine]} database "
        f"at revision {manifest.revision} into {_where(settings)}, "
        f"{files} file{'' if files == 1 else 's'} into {settings.data_dir}{upgrade}"
    )


def make_backup(settings: Settings, file: Path) -> Manifest:
    """Writes the archive; returns its manifest."""
    archive_mode(file)  # a name we know how to write, before any work
    if file.exists():
        raise BackupError(f"{file} exists already: choose another name", "archive_exists")
    if not file.parent.is_dir():
        raise BackupError(f"no folder {file.parent} to write the archive in", "no_folder")
    database = _sqlite_file(settings)
    if database is None:
        postgres.tool("pg_dump")  # said before anything else is done
    with tempfile.TemporaryDirectory(prefix=".backup-", dir=file.parent) as work:
        copy, facts = _copy_database(settings, database, Path(work))
        partial = file.with_name(file.name + ".partial")
        skip = {file.resolve(), partial.resolve(), Path(work).resolve(), *database_files(database)}
        files = data_files(settings.data_dir, skip)
        with writing(file) as archive, progress("Writing the archive", 1 + len(files)) as advance:
            archive.add(f"database/{copy.name}", copy)
            advance(1)
            for path, name in files:
                archive.add(f"files/{name}", path)  # one deleted meanwhile is left out
                advance(1)
            manifest = archive.finish(
                created_at=utcnow(),
                app_version=__version__,
                database=f"database/{copy.name}",
                **facts,
            )
    return manifest


def _copy_database(
    settings: Settings, database: Path | None, work: Path
) -> tuple[Path, dict[str, object]]:
    """The database copied into ``work``, and what the manifest says of it."""
    if database is not None:
        copied = sqlite.copy(database, work / "stockkeeper.db")
        facts = {"revision": copied.revision, "server_version": copied.server_version}
        return copied.path, {"engine": "sqlite", **facts}
    dumped = postgres.dump(settings.database_url, work / "stockkeeper.dump")
    return dumped.path, {
        "engine": "postgresql",
        "revision": dumped.revision,
        "server_version": dumped.server_version,
        "pg_dump_version": dumped.pg_dump_version,
    }


def restore_backup(settings: Settings, file: Path, *, replace: bool) -> tuple[Manifest, bool]:
    """Restores the archive; returns its manifest, and whether its schema is the latest."""
    database = _sqlite_file(settings)
    if database is None:
        postgres.tool("pg_restore")  # said before the archive is read
    with progress("Checking the archive") as advance:
        manifest = read_verified(file, advance)
    current = _fits(settings, manifest)
    pg_restore = "" if database else postgres.check_restore_tool(manifest.pg_dump_version)
    present = [path for path, _ in data_files(settings.data_dir, _kept(file, database))]
    _refuse_overwriting_the_database(settings, manifest, database)
    if not replace:
        _refuse_overwriting(settings, database, present)
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".restore-", dir=settings.data_dir) as work:
        staging = Path(work)
        with progress("Unpacking", total=len(manifest.files)) as advance:
            extract(file, manifest, staging, advance)
        staged = staging / manifest.database
        if database is not None:
            sqlite.restore(staged, database)
        else:
            postgres.restore(pg_restore, settings.database_url, staged, replace=replace)
        with progress("Putting the files in place", total=len(manifest.data_files)) as advance:
            put_in_place(staging / "files", settings.data_dir, present, advance)
    return manifest, current


def _fits(settings: Settings, manifest: Manifest) -> bool:
    """Refuses an archive of the other engine, or of a schema this version does not know;
    True when its schema is the latest."""
    from alembic.script import ScriptDirectory
    from alembic.util import CommandError

    from stockkeeper.core.migrate import alembic_config

    engine: Engine = "sqlite" if settings.is_sqlite else "postgresql"
    if manifest.engine != engine:
        theirs, ours = ENGINE_NAMES[manifest.engine], ENGINE_NAMES[engine]
        raise BackupError(
            f"this is a backup of a {theirs} database, and the configured database "
            f"(STOCKKEEPER_DATABASE_URL) is {ours}: restore it into a {theirs} database",
            "engine_mismatch",
        )
    script = ScriptDirectory.from_config(alembic_config(settings))
    try:
        known = script.get_revision(manifest.revision)
    except CommandError:
        known = None
    if known is None or known.revision != manifest.revision:
        raise BackupError(
            f"the backup's schema is at revision {manifest.revision}, which Stockkeeper "
            f"{__version__} does not know: restore it with Stockkeeper {manifest.app_version} "
            "or newer",
            "revision_unknown",
        )
    return manifest.revision == script.get_current_head()


def _refuse_overwriting(settings: Settings, database: Path | None, present: list[Path]) -> None:
    if database is not None:
        tables = sqlite.tables(database)
    else:
        tables = postgres.server_facts(settings.database_url).tables
    if tables:
        raise BackupError(
            f"the database {_where(settings)} is not empty ({tables} tables): {_REPLACE_HINT}",
            "target_not_empty",
        )
    if present:
        example = present[0].relative_to(settings.data_dir.resolve())
        raise BackupError(
            f"the data directory {settings.data_dir} is not empty ({len(present)} files, "
            f"such as {example}): {_REPLACE_HINT}",
            "target_not_empty",
        )


def _refuse_overwriting_the_database(
    settings: Settings, manifest: Manifest, database: Path | None
) -> None:
    """A file of the archive that would land on the SQLite database (or its companions) in
    the data directory: the source's database lived elsewhere, this one lives there."""
    root = settings.data_dir.resolve()
    landing = {root / entry.path.removeprefix("files/"): entry for entry in manifest.data_files}
    if clash := sorted(landing.keys() & database_files(database)):
        raise BackupError(
            f"the archive's {landing[clash[0]].path} would overwrite the database {clash[0]}: "
            "point STOCKKEEPER_DATABASE_URL at a file outside the data directory",
            "archive_overwrites_database",
        )


def _kept(file: Path, database: Path | None) -> set[Path]:
    """What a restore never counts or removes in the data directory: the live SQLite
    database with its companions, and the archive itself."""
    return {file.resolve(), *database_files(database)}


def _where(settings: Settings) -> str:
    """The database, for people: a SQLite file's path, a PostgreSQL URL without password."""
    if settings.is_sqlite:
        return str(sqlite.database_path(settings.database_url))
    return make_url(settings.database_url).render_as_string(hide_password=True)


def _sqlite_file(settings: Settings) -> Path | None:
    """The SQLite file, or None on PostgreSQL."""
    return sqlite.database_path(settings.database_url) if settings.is_sqlite else None


@contextmanager
def _refusals() -> Iterator[None]:
    """A refusal, or a file that could not be read or written, as one line and exit 1."""
    try:
        yield
    except BackupError as error:
        _fail(f"{error.detail} ({error.code})")
    except OSError as error:
        where = f"{error.filename}: " if error.filename else ""
        _fail(f"{where}{error.strerror or error} (io_error)")


def _size(count: int) -> str:
    if count < 1000:
        return f"{count} bytes"
    scaled, unit = count / 1000, "kB"
    for larger in ("MB", "GB", "TB"):
        if scaled < 1000:
            break
        scaled, unit = scaled / 1000, larger
    return f"{scaled:.1f} {unit}"
