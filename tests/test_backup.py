"""Backups: the database and the data directory's files in one archive, taken while stock
keeps moving, restored into an empty database and data directory; an archive checked whole
before anything is written, and refused when damaged, of the other engine, or about to
overwrite something without --replace."""

from __future__ import annotations

import hashlib
import io
import json
import shutil
import tarfile
import threading
import uuid
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import make_url
from typer.testing import CliRunner

from stockkeeper.adjustments.models import StockAdjustment
from stockkeeper.adjustments.service import create_adjustment
from stockkeeper.adjustments.values import AdjustmentLine, NewAdjustment
from stockkeeper.cli import app, backup_sqlite
from stockkeeper.cli.backup_archive import writing
from stockkeeper.core.db import Database
from stockkeeper.core.migrate import alembic_config, upgrade
from stockkeeper.core.settings import Settings
from stockkeeper.stock.models import Movement
from tests.conftest import POSTGRES_ADMIN_URL
from tests.factories import new_item, new_location
from tests.support import Tenant, make_tenant

runner = CliRunner()
HEAD = ScriptDirectory.from_config(
    alembic_config(Settings(database_url="sqlite://"))
).get_current_head()
SLIP = "packing-slips/comp_x/IO2601_CRED001_20260105.pdf"


@dataclass
class Place:
    """A database and a data directory: where the command line is pointed."""

    url: str
    data_dir: Path

    def run(self, *args: str) -> tuple[int, str, str]:
        env = {"STOCKKEEPER_DATABASE_URL": self.url, "STOCKKEEPER_DATA_DIR": str(self.data_dir)}
        result = runner.invoke(app, list(args), env=env)
        return result.exit_code, result.stdout, result.stderr

    def database(self) -> Database:
        return Database(Settings(environment="test", database_url=self.url, data_dir=self.data_dir))

    def tables(self) -> int:
        """How many tables the database has (0 when a SQLite file was never made)."""
        url = make_url(self.url)
        if url.get_backend_name() == "sqlite" and not Path(str(url.database)).exists():
            return 0
        engine = create_engine(self.url)
        try:
            with engine.connect() as connection:
                query = (
                    "SELECT count(*) FROM sqlite_master WHERE type = 'table'"
                    if url.get_backend_name() == "sqlite"
                    else "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"
                )
                return int(connection.execute(text(query)).scalar_one())
        finally:
            engine.dispose()


@contextmanager
def _place(backend: str, data_dir: Path) -> Iterator[Place]:
    """An empty database (on SQLite a file in the data directory, not made yet)."""
    if backend == "sqlite":
        yield Place(f"sqlite:///{data_dir / 'stockkeeper.db'}", data_dir)
        return
    name = f"sk_backup_{uuid.uuid4().hex[:12]}"
    admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield Place(
            make_url(POSTGRES_ADMIN_URL).set(database=name).render_as_string(False), data_dir
        )
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@dataclass
class Source:
    place: Place
    database: Database
    tenant: Tenant
    location_id: str
    item_id: str
    files: dict[str, bytes] = field(default_factory=dict)


@pytest.fixture(scope="module")
def source(backend: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Source]:
    """A migrated database of its own with a company, an item and a warehouse, and a data
    directory with files (on SQLite the live database is in it too, as by default)."""
    with _place(backend, tmp_path_factory.mktemp("source") / "var") as place:
        upgrade(Settings(environment="test", database_url=place.url, data_dir=place.data_dir))
        database = place.database()
        tenant = make_tenant(database)
        with database.unit_of_work() as session:
            location_id = new_location(session, tenant.actor)
            item_id = new_item(session, tenant.actor)
        files = {SLIP: b"%PDF-1.7 slip\n" * 100, "exports/2026/stock.csv": b"code,qty\nA,1\n"}
        for name, content in files.items():
            (place.data_dir / name).parent.mkdir(parents=True, exist_ok=True)
            (place.data_dir / name).write_bytes(content)
        (place.data_dir / "packing-slips" / "comp_x" / ".upload-abc").write_bytes(b"%PDF-half")
        yield Source(place, database, tenant, location_id, item_id, files)
        database.dispose()


@pytest.fixture(scope="module")
def archive(source: Source, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("archive") / "backup.tar.gz"
    code, _, err = source.place.run("backup", str(path))
    assert code == 0, err
    return path


@pytest.fixture
def places(backend: str, tmp_path: Path) -> Iterator[Callable[[str], Place]]:
    """Empty databases and data directories to restore into, dropped after the test."""
    with ExitStack() as stack:
        yield lambda name: stack.enter_context(_place(backend, tmp_path / name / "var"))


# --- stock moving while the backup runs ---------------------------------------------------------


class Poster:
    """Posts adjustments of one unit, one after another on a thread of its own, through the
    service layer; keeps the ids of those whose commit returned (acknowledged), in order."""

    def __init__(self, source: Source) -> None:
        self.source = source
        self.acknowledged: list[str] = []
        self.errors: list[BaseException] = []
        self._changed = threading.Condition()
        self._stop = threading.Event()

    def post(self) -> str:
        line = AdjustmentLine(
            item_id=self.source.item_id, adjustment_quantity=Decimal(1), unit_cost=Decimal("2.5")
        )
        adjustment = NewAdjustment(
            reason="found", location_id=self.source.location_id, items=[line]
        )
        with self.source.database.unit_of_work() as session:
            view = create_adjustment(session, self.source.tenant.actor, adjustment=adjustment)
        return view.adjustment.id

    def run(self) -> None:
        try:
            while not self._stop.is_set():
                posted = self.post()
                with self._changed:
                    self.acknowledged.append(posted)
                    self._changed.notify_all()
        except BaseException as error:  # asserted on by the test
            self.errors.append(error)
            with self._changed:
                self._changed.notify_all()

    def wait_for(self, count: int) -> list[str]:
        """Waits until ``count`` adjustments are acknowledged; returns them."""
        with self._changed:
            done = self._changed.wait_for(
                lambda: len(self.acknowledged) >= count or bool(self.errors), timeout=60
            )
            assert done and not self.errors, self.errors
            return list(self.acknowledged)

    @contextmanager
    def running(self) -> Iterator[Poster]:
        thread = threading.Thread(target=self.run)
        thread.start()
        try:
            yield self
        finally:
            self._stop.set()
            thread.join()
        assert not self.errors, self.errors


def _pausing_progress(poster: Poster, seen: dict[str, list[str]]) -> Callable[..., object]:
    """The copy's progress, which at its first step waits for three more acknowledged
    adjustments: writes land in the middle of the copy, whatever the machine's speed. (The
    first of them may have committed before the copy began, and been acknowledged since.)"""

    @contextmanager
    def progress(description: str, total: float | None = None) -> Iterator[Callable[[float], None]]:
        def advance(step: float = 1) -> None:
            if "before" not in seen:
                seen["before"] = list(poster.acknowledged)
                seen["after"] = poster.wait_for(len(seen["before"]) + 3)

        yield advance

    return progress


def _adjustments(place: Place, company_id: str) -> tuple[list[str], set[str]]:
    """The company's adjustments in a database, and the documents its movements belong to."""
    database = place.database()
    try:
        with database.unit_of_work(write=False) as session:
            adjustments = session.scalars(
                select(StockAdjustment.id).where(StockAdjustment.company_id == company_id)
            ).all()
            documents = session.scalars(
                select(Movement.document_id).where(Movement.company_id == company_id)
            ).all()
    finally:
        database.dispose()
    return list(adjustments), set(documents)


def test_a_backup_taken_while_stock_moves_restores_every_acknowledged_movement(
    backend: str,
    source: Source,
    places: Callable[[str], Place],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(backup_sqlite, "PAGES_PER_STEP", 8)  # a copy of many steps
    seen: dict[str, list[str]] = {}
    path = tmp_path / "moving.tar"  # uncompressed; the other archives are gzipped
    with Poster(source).running() as poster:
        monkeypatch.setattr(backup_sqlite, "progress", _pausing_progress(poster, seen))
        acknowledged_before = poster.wait_for(3)
        code, out, err = source.place.run("backup", str(path))
        poster.wait_for(len(acknowledged_before) + 2)
    posted = poster.acknowledged  # complete, now that the poster has stopped
    if backend == "postgresql" and shutil.which("pg_dump") is None:
        assert (code, err.count("\n")) == (1, 1) and "pg_dump is not on the PATH" in err
        return
    assert code == 0, err
    assert out.startswith(f"backup written to {path} (") and f"revision {HEAD} and 2 files" in out

    target = places("restored")
    code, out, err = target.run("restore", str(path))
    assert code == 0, err
    assert f"revision {HEAD} into " in out and "2 files into" in out
    company = source.tenant.company_id
    code, out, err = target.run("check", "--company", company)
    assert code == 0, err
    restored, moved = _adjustments(target, company)
    assert set(acknowledged_before) <= set(restored)
    assert set(acknowledged_before) <= moved  # each with its movements
    # one snapshot: the adjustments committed up to a moment, none missing before it
    assert set(restored) == set(posted[: len(restored)])
    if backend == "sqlite":  # committed during the copy: after its snapshot, so not in it
        during = set(seen["after"][len(seen["before"]) + 1 :])
        assert len(during) >= 2 and not during & set(restored)
    for name, content in source.files.items():
        assert (target.data_dir / name).read_bytes() == content


# --- what an archive holds ----------------------------------------------------------------------


def _members(path: Path) -> dict[str, bytes]:
    with tarfile.open(path, "r:*") as tar:
        return {m.name: tar.extractfile(m).read() for m in tar}  # type: ignore[union-attr]


def test_the_archive_holds_the_database_the_files_a_manifest_and_checksums(
    backend: str, source: Source, archive: Path
) -> None:
    members = _members(archive)
    manifest = json.loads(members["manifest.json"])
    database = "database/stockkeeper.db" if backend == "sqlite" else "database/stockkeeper.dump"
    assert sorted(members) == sorted(
        [database, *(f"files/{name}" for name in source.files), "manifest.json", "SHA256SUMS"]
    )  # no live database file, -wal, -shm or writers' lock; no half-written upload
    assert manifest["format"] == "stockkeeper-backup" and manifest["format_version"] == 1
    assert (manifest["engine"], manifest["revision"], manifest["database"]) == (
        backend,
        HEAD,
        database,
    )
    assert manifest["app_version"] == "0.1.0" and manifest["created_at"].endswith("Z")
    assert (manifest["pg_dump_version"] is None) == (backend == "sqlite")
    for entry in manifest["files"]:
        content = members[entry["path"]]
        assert (entry["size"], entry["sha256"]) == (len(content), _sha256(content))
    lines = members["SHA256SUMS"].decode().splitlines()
    sums = {name: sha for sha, name in (line.split("  ") for line in lines)}
    assert sums["manifest.json"] == _sha256(members["manifest.json"])
    assert {k: v for k, v in sums.items() if k != "manifest.json"} == {
        e["path"]: e["sha256"] for e in manifest["files"]
    }


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def test_backup_refuses_an_existing_file_and_a_name_it_cannot_write(
    source: Source, archive: Path, tmp_path: Path
) -> None:
    before = archive.read_bytes()
    code, out, err = source.place.run("backup", str(archive))
    assert (code, out) == (1, "") and err.endswith("(archive_exists)\n") and err.count("\n") == 1
    assert archive.read_bytes() == before
    code, _, err = source.place.run("backup", str(tmp_path / "backup.zip"))
    assert code == 1 and "*.tar.gz" in err and not (tmp_path / "backup.zip").exists()


# --- refusals before anything is written --------------------------------------------------------


def test_restore_refuses_to_overwrite_unless_told_to_replace(
    source: Source, archive: Path, places: Callable[[str], Place]
) -> None:
    target = places("target")
    assert target.run("restore", str(archive))[0] == 0
    extra = target.data_dir / "notes" / "mine.txt"
    extra.parent.mkdir()
    extra.write_text("not in the backup")
    code, out, err = target.run("restore", str(archive))
    assert (code, out, err.count("\n")) == (1, "", 1)
    assert err.startswith("error: the database ") and "--replace" in err
    assert err.endswith("(target_not_empty)\n")

    elsewhere = places("elsewhere")  # an empty database, a data directory in use
    (elsewhere.data_dir / "slips").mkdir(parents=True)
    (elsewhere.data_dir / "slips" / "a.pdf").write_bytes(b"%PDF-")
    code, _, err = elsewhere.run("restore", str(archive))
    assert code == 1 and "data directory" in err and "--replace" in err
    assert elsewhere.tables() == 0 and sorted(elsewhere.data_dir.rglob("*.*")) == [
        elsewhere.data_dir / "slips" / "a.pdf"
    ]

    company = source.tenant.company_id
    replaced = Source(target, target.database(), source.tenant, source.location_id, source.item_id)
    extra_adjustment = Poster(replaced).post()
    replaced.database.dispose()
    code, out, err = target.run("restore", str(archive), "--replace")
    assert code == 0, err
    assert not extra.exists() and not extra.parent.exists()
    assert extra_adjustment not in _adjustments(target, company)[0]
    assert (target.data_dir / SLIP).read_bytes() == source.files[SLIP]
    assert target.run("check", "--company", company)[0] == 0


def _rewrite(archive: Path, target: Path, change: Callable[[dict[str, bytes]], object]) -> Path:
    members = _members(archive)
    change(members)
    with tarfile.open(target, "w:gz") as tar:
        for name, content in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(content)
            tar.addfile(info, io.BytesIO(content))
    return target


def _flip_a_byte(name: str) -> Callable[[dict[str, bytes]], None]:
    def change(members: dict[str, bytes]) -> None:
        content = bytearray(members[name])
        content[len(content) // 2] ^= 0xFF
        members[name] = bytes(content)

    return change


def _manifest_says(**changes: object) -> Callable[[dict[str, bytes]], None]:
    """The manifest changed, and its checksum in SHA256SUMS with it: a consistent archive."""

    def change(members: dict[str, bytes]) -> None:
        manifest = {**json.loads(members["manifest.json"]), **changes}
        members["manifest.json"] = json.dumps(manifest).encode()
        lines = members["SHA256SUMS"].decode().splitlines()
        kept = [line for line in lines if not line.endswith("  manifest.json")]
        own = f"{_sha256(members['manifest.json'])}  manifest.json"
        members["SHA256SUMS"] = "\n".join([*kept, own, ""]).encode()

    return change


def _database_member(members: dict[str, bytes]) -> str:
    return next(name for name in members if name.startswith("database/"))


Change = Callable[[dict[str, bytes]], object]
DAMAGES: dict[str, tuple[Change, str, str]] = {
    "a file changed": (_flip_a_byte(f"files/{SLIP}"), "checksum mismatch for files/", "damaged"),
    "the database changed": (
        lambda members: _flip_a_byte(_database_member(members))(members),
        "checksum mismatch for database/",
        "damaged",
    ),
    "the manifest changed": (_flip_a_byte("manifest.json"), "", "damaged"),
    "the checksums changed": (_flip_a_byte("SHA256SUMS"), "SHA256SUMS", "damaged"),
    "a file added": (
        lambda m: m.update({"files/extra.txt": b"x"}),
        "not in its manifest",
        "damaged",
    ),
    "a file removed": (lambda m: m.pop(f"files/{SLIP}"), "missing from it", "damaged"),
    "a path outside": (lambda m: m.update({"files/../../x": b"x"}), "never writes", "damaged"),
    "no manifest": (lambda m: m.pop("manifest.json"), "not a Stockkeeper backup", "not_backup"),
}


@pytest.mark.parametrize("damage", list(DAMAGES))
def test_restore_refuses_a_damaged_archive_and_writes_nothing(
    damage: str, archive: Path, places: Callable[[str], Place], tmp_path: Path
) -> None:
    change, detail, code_name = DAMAGES[damage]
    damaged = _rewrite(archive, tmp_path / "damaged.tar.gz", change)
    target = places("target")
    code, out, err = target.run("restore", str(damaged))
    assert (code, out, err.count("\n")) == (1, "", 1), err
    assert err.startswith("error: ") and detail in err and err.endswith(f"(archive_{code_name})\n")
    assert target.tables() == 0 and not target.data_dir.exists()


@pytest.mark.parametrize(
    "content", [b"", b"not an archive at all", None], ids=["empty", "garbage", "truncated"]
)
def test_restore_refuses_what_is_not_a_readable_archive(
    content: bytes | None, archive: Path, places: Callable[[str], Place], tmp_path: Path
) -> None:
    whole = archive.read_bytes()
    path = tmp_path / "broken.tar.gz"
    path.write_bytes(whole[: len(whole) // 2] if content is None else content)
    target = places("target")
    code, _, err = target.run("restore", str(path))
    assert code == 1 and err.count("\n") == 1 and err.endswith("(archive_unreadable)\n"), err
    assert target.tables() == 0 and not target.data_dir.exists()
    code, _, err = target.run("restore", str(tmp_path / "missing.tar.gz"))
    assert code == 1 and err.endswith("(archive_not_found)\n")


def _other_engine(backend: str) -> str:
    return "postgresql" if backend == "sqlite" else "sqlite"


@pytest.mark.parametrize(
    ("says", "detail", "code_name"),
    [
        ({"engine": "other"}, "restore it into a ", "engine_mismatch"),
        ({"revision": "9999"}, "revision 9999, which Stockkeeper", "revision_unknown"),
        ({"format_version": 2}, "backup format 2, made by a newer", "archive_too_new"),
    ],
    ids=["engine", "revision", "format"],
)
def test_restore_refuses_an_archive_that_does_not_fit_here(
    says: dict[str, object],
    detail: str,
    code_name: str,
    backend: str,
    archive: Path,
    places: Callable[[str], Place],
    tmp_path: Path,
) -> None:
    if says.get("engine") == "other":
        says = {"engine": _other_engine(backend)}
    forged = _rewrite(archive, tmp_path / "forged.tar.gz", _manifest_says(**says))
    target = places("target")
    code, _, err = target.run("restore", str(forged))
    assert code == 1 and err.count("\n") == 1 and detail in err, err
    assert err.endswith(f"({code_name})\n")
    assert target.tables() == 0 and not target.data_dir.exists()


def test_a_file_that_would_land_on_the_sqlite_database_is_refused(
    backend: str, archive: Path, places: Callable[[str], Place], tmp_path: Path
) -> None:
    """The source's database lived outside its data directory, which held a stray file of the
    name this database has inside its own."""

    def stray_database(members: dict[str, bytes]) -> None:
        members["files/stockkeeper.db"] = b"stray"
        entry = {"path": "files/stockkeeper.db", "size": 5, "sha256": _sha256(b"stray")}
        manifest = json.loads(members["manifest.json"])
        _manifest_says(files=[*manifest["files"], entry])(members)
        members["SHA256SUMS"] += f"{entry['sha256']}  {entry['path']}\n".encode()

    stray = _rewrite(archive, tmp_path / "stray.tar.gz", stray_database)
    target = places("target")
    code, _, err = target.run("restore", str(stray))
    if backend == "sqlite":  # the database is stockkeeper.db in the data directory
        assert code == 1 and err.endswith("(archive_overwrites_database)\n"), err
        assert target.tables() == 0 and not target.data_dir.exists()
    else:  # on PostgreSQL it is a file like any other
        assert code == 0, err
        assert (target.data_dir / "stockkeeper.db").read_bytes() == b"stray"


# --- PostgreSQL's tools -------------------------------------------------------------------------

UNREACHABLE = "postgresql+psycopg://nobody:secret@127.0.0.1:1/nowhere"


def test_missing_postgresql_tools_say_what_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(shutil, "which", lambda name, *args, **kwargs: None)
    place = Place(UNREACHABLE, tmp_path / "var")
    for command, tool in (("backup", "pg_dump"), ("restore", "pg_restore")):
        code, out, err = place.run(command, str(tmp_path / "b.tar.gz"))
        assert (code, out, err.count("\n")) == (1, "", 1)
        assert err.startswith(f"error: {tool} is not on the PATH: install the PostgreSQL client")
        assert "apt install postgresql-client" in err and f"run stockkeeper {command} again" in err
    assert list(tmp_path.iterdir()) == []


def _fake_tools(folder: Path, version: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """pg_dump and pg_restore of another version, first on the PATH."""
    folder.mkdir()
    for tool in ("pg_dump", "pg_restore"):
        script = folder / tool
        script.write_text(f"#!/bin/sh\necho '{tool} (PostgreSQL) {version}'\n")
        script.chmod(0o755)
    monkeypatch.setenv("PATH", f"{folder}:/usr/bin:/bin")


def test_postgresql_tools_older_than_the_server_or_the_dump_are_refused_clearly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from stockkeeper.cli import backup_postgres

    _fake_tools(tmp_path / "bin", "14.11", monkeypatch)
    server = backup_postgres.Server(version="16.2", major=16, tables=40, revision=HEAD)
    monkeypatch.setattr(backup_postgres, "server_facts", lambda url: server)
    place = Place(UNREACHABLE, tmp_path / "var")
    code, _, err = place.run("backup", str(tmp_path / "b.tar.gz"))
    assert code == 1 and err.count("\n") == 1
    assert "pg_dump 14.11 cannot dump a PostgreSQL 16 server: install postgresql-client-16" in err

    dump = tmp_path / "stockkeeper.dump"
    dump.write_bytes(b"PGDMP")
    made_by_17 = tmp_path / "from-17.tar"
    with writing(made_by_17) as written:
        written.add("database/stockkeeper.dump", dump)
        written.finish(
            created_at="2026-12-06T12:00:00Z",
            engine="postgresql",
            revision=HEAD,
            app_version="0.1.0",
            server_version="17.1",
            pg_dump_version="17.1",
            database="database/stockkeeper.dump",
        )
    code, _, err = place.run("restore", str(made_by_17))
    assert code == 1 and err.count("\n") == 1
    assert "made by pg_dump 17.1, which pg_restore 14.11 cannot read" in err


@pytest.mark.parametrize("command", ["backup", "restore"])
def test_help(command: str) -> None:
    result = runner.invoke(app, [command, "--help"])
    assert result.exit_code == 0 and "Usage" in result.stdout
