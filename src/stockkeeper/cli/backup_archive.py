"""The backup archive: a tar file (gzip-compressed when its name ends in ``.gz`` or ``.tgz``)
holding the database (``database/...``), the data directory's files (``files/...``), a
``manifest.json`` naming each of them with its size and SHA-256, and ``SHA256SUMS``, the
same checksums and the manifest's own, as ``sha256sum -c`` reads them.

An archive is written under a temporary name and renamed into place when it is complete,
so a backup that failed half-way never looks like one that worked. Reading it checks every
member against the manifest before anything is written anywhere; extracting checks each
again as it is written.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import tarfile
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path, PurePosixPath
from typing import IO, Literal, Protocol

from pydantic import BaseModel, ConfigDict, ValidationError

FORMAT = "stockkeeper-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
SUMS = "SHA256SUMS"
SECTIONS = ("database", "files")
CHUNK = 1 << 20
Engine = Literal["sqlite", "postgresql"]


class BackupError(Exception):
    """A backup or restore refused or failed: one line for people, and a code."""

    def __init__(self, detail: str, code: str) -> None:
        super().__init__(detail)
        self.detail = detail
        self.code = code


class Entry(BaseModel):
    model_config = ConfigDict(frozen=True)

    path: str
    size: int
    sha256: str


class Manifest(BaseModel):
    """What an archive holds: enough to decide whether it can be restored here, and to check
    every byte of it."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    format: Literal["stockkeeper-backup"]
    format_version: int
    created_at: datetime
    engine: Engine
    revision: str
    app_version: str
    server_version: str
    pg_dump_version: str | None = None
    database: str
    files: list[Entry]

    @property
    def data_files(self) -> list[Entry]:
        return [entry for entry in self.files if entry.path.startswith("files/")]

    @property
    def size(self) -> int:
        return sum(entry.size for entry in self.files)


class Readable(Protocol):
    def read(self, size: int = -1, /) -> bytes: ...


class _Hashing:
    """A reader that hashes and counts what passes through it."""

    def __init__(self, source: Readable) -> None:
        self.source = source
        self.digest = hashlib.sha256()
        self.size = 0

    def read(self, size: int = -1) -> bytes:
        data = self.source.read(size)
        self.digest.update(data)
        self.size += len(data)
        return data


class ArchiveWriter:
    """Adds members to an open tar, keeping each one's size and checksum for the manifest."""

    def __init__(self, tar: tarfile.TarFile) -> None:
        self.tar = tar
        self.entries: list[Entry] = []

    def add(self, name: str, path: Path) -> bool:
        """Adds the file as it is when opened (files are replaced by renaming, so an open one
        keeps its content); False when it is gone."""
        try:
            source = path.open("rb")
        except FileNotFoundError:
            return False
        with source:
            stat = os.fstat(source.fileno())
            info = tarfile.TarInfo(name)
            info.size, info.mtime, info.mode = stat.st_size, int(stat.st_mtime), 0o600
            hashing = _Hashing(source)
            self.tar.addfile(info, hashing)
        self.entries.append(Entry(path=name, size=hashing.size, sha256=hashing.digest.hexdigest()))
        return True

    def finish(self, **facts: object) -> Manifest:
        """Writes the manifest and the checksums; returns the manifest."""
        manifest = Manifest.model_validate(
            {"format": FORMAT, "format_version": FORMAT_VERSION, **facts, "files": self.entries}
        )
        text = manifest.model_dump_json(indent=2).encode()
        sums = [*self.entries, Entry(path=MANIFEST, size=len(text), sha256=_sha256(text))]
        self._add_bytes(MANIFEST, text)
        self._add_bytes(SUMS, "".join(f"{e.sha256}  {e.path}\n" for e in sums).encode())
        return manifest

    def _add_bytes(self, name: str, data: bytes) -> None:
        info = tarfile.TarInfo(name)
        info.size, info.mtime, info.mode = len(data), int(datetime.now().timestamp()), 0o600
        self.tar.addfile(info, io.BytesIO(data))


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def archive_mode(path: Path) -> Literal["w:gz", "w"]:
    """How to write an archive of this name: ``.tar.gz``/``.tgz`` compressed, ``.tar`` not."""
    name = path.name.lower()
    if name.endswith((".tar.gz", ".tgz")):
        return "w:gz"
    if name.endswith(".tar"):
        return "w"
    raise BackupError(f"name the archive *.tar.gz, *.tgz or *.tar, not {path.name}", "archive_name")


@contextmanager
def writing(path: Path) -> Iterator[ArchiveWriter]:
    """An archive written to ``<path>.partial`` and renamed to ``path`` once complete."""
    mode = archive_mode(path)
    partial = path.with_name(path.name + ".partial")
    try:
        with private_file(partial) as raw:
            with _tar(raw, compressed=mode == "w:gz") as tar:
                yield ArchiveWriter(tar)
            raw.flush()
            os.fsync(raw.fileno())
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)


def private_file(path: Path) -> IO[bytes]:
    """A file opened for writing that only its owner may read, as the data directory's own
    files are: a backup holds the whole database."""
    return open(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "wb")


def _tar(raw: IO[bytes], *, compressed: bool) -> tarfile.TarFile:
    if compressed:  # tarfile's level 9 takes about twice as long for little gain
        return tarfile.open(fileobj=raw, mode="w:gz", compresslevel=6)
    return tarfile.open(fileobj=raw, mode="w")


# --- reading ---------------------------------------------------------------------------------

Members = dict[str, tuple[int, str]]  # name: (size, sha256)


def read_verified(path: Path, advance: Callable[[float], None]) -> Manifest:
    """The archive's manifest, once every member has been read and found to be exactly what
    the manifest and the checksums say."""
    members: Members = {}
    texts: dict[str, bytes] = {}
    for name, source in _members(path):
        if name in members:
            raise _damaged(f"{name} is in it twice")
        if name in (MANIFEST, SUMS):
            texts[name] = source.read()
            members[name] = (len(texts[name]), _sha256(texts[name]))
        else:
            members[name] = _digest(source)
        advance(1)
    manifest = _manifest(texts)
    _compare(manifest, members, texts[SUMS])
    return manifest


def extract(
    path: Path, manifest: Manifest, staging: Path, advance: Callable[[float], None]
) -> None:
    """Writes every member but the manifest and checksums under ``staging``, checking each
    against the manifest again as it is written."""
    expected = {entry.path: entry for entry in manifest.files}
    for name, source in _members(path):
        if name in (MANIFEST, SUMS):
            continue
        target = staging / name
        target.parent.mkdir(parents=True, exist_ok=True)
        hashing = _Hashing(source)
        with private_file(target) as out:
            while chunk := hashing.read(CHUNK):
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        entry = expected.get(name)
        if entry is None or (hashing.size, hashing.digest.hexdigest()) != (
            entry.size,
            entry.sha256,
        ):
            raise _damaged(f"{name} changed while it was being restored")
        advance(1)


def _members(path: Path) -> Iterator[tuple[str, Readable]]:
    """Each member's name and content, in the archive's order. A failure to read the archive
    is a ``BackupError``; what the caller does with the content fails as it fails."""
    if not path.is_file():
        raise BackupError(f"no archive at {path}", "archive_not_found")
    with _opened(path) as tar:
        members = iter(tar)
        while True:
            with _unreadable(path):
                member = next(members, None)
            if member is None:
                return
            name = _checked_name(member)
            with _unreadable(path):
                source = tar.extractfile(member)
            assert source is not None  # a regular file, checked above
            yield name, _Guarded(source, path)


def _opened(path: Path) -> tarfile.TarFile:
    with _unreadable(path):
        return tarfile.open(path, "r:*")


class _Guarded:
    """A member's content whose read errors (a truncated or corrupt archive) are refusals."""

    def __init__(self, source: IO[bytes], path: Path) -> None:
        self.source, self.path = source, path

    def read(self, size: int = -1) -> bytes:
        with _unreadable(self.path):
            return self.source.read(size)


@contextmanager
def _unreadable(path: Path) -> Iterator[None]:
    try:
        yield
    except (tarfile.TarError, EOFError, zlib.error, OSError) as error:
        reason = (
            error.strerror
            if isinstance(error, OSError) and error.strerror
            else (str(error).splitlines() or [type(error).__name__])[0]
        )
        raise BackupError(
            f"{path} is not a readable backup archive: {reason}", "archive_unreadable"
        ) from None


def _digest(source: Readable) -> tuple[int, str]:
    hashing = _Hashing(source)
    while hashing.read(CHUNK):
        pass
    return hashing.size, hashing.digest.hexdigest()


def _checked_name(member: tarfile.TarInfo) -> str:
    """The member's name, if it is a regular file at a path a backup writes."""
    name = member.name
    parts = PurePosixPath(name).parts
    safe = name in (MANIFEST, SUMS) or (
        len(parts) >= 2
        and parts[0] in SECTIONS
        and not name.startswith("/")
        and all(part not in ("", ".", "..") for part in parts)
    )
    if not safe or not member.isfile():
        raise _damaged(f"it holds {name!r}, which a backup never writes")
    return name


def _manifest(texts: dict[str, bytes]) -> Manifest:
    missing = [name for name in (MANIFEST, SUMS) if name not in texts]
    if missing:
        raise BackupError(
            f"not a Stockkeeper backup: it has no {' or '.join(missing)}", "archive_not_backup"
        )
    try:
        raw = json.loads(texts[MANIFEST])
    except ValueError:
        raise _damaged(f"its {MANIFEST} is not JSON") from None
    if isinstance(raw, dict) and raw.get("format") == FORMAT:
        version = raw.get("format_version")
        if isinstance(version, int) and version > FORMAT_VERSION:
            raise BackupError(
                f"the archive is in backup format {version}, made by a newer Stockkeeper; "
                f"this one reads format {FORMAT_VERSION}",
                "archive_too_new",
            )
    try:
        return Manifest.model_validate(raw)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(map(str, first["loc"]))
        raise _damaged(f"its {MANIFEST} is not valid ({where}: {first['msg']})") from None


def _compare(manifest: Manifest, members: Members, sums_text: bytes) -> None:
    expected = {entry.path: (entry.size, entry.sha256) for entry in manifest.files}
    found = {name: value for name, value in members.items() if name not in (MANIFEST, SUMS)}
    if missing := sorted(expected.keys() - found.keys()):
        raise _damaged(f"{missing[0]} is in its manifest but missing from it")
    if extra := sorted(found.keys() - expected.keys()):
        raise _damaged(f"{extra[0]} is in it but not in its manifest")
    if changed := sorted(name for name in expected if found[name] != expected[name]):
        raise _damaged(f"checksum mismatch for {changed[0]}")
    if manifest.database not in expected or not manifest.database.startswith("database/"):
        raise _damaged(f"its manifest names no database ({manifest.database})")
    sums = {name: sha for name, (_, sha) in expected.items()} | {MANIFEST: members[MANIFEST][1]}
    if _parse_sums(sums_text) != sums:
        raise _damaged(f"checksum mismatch between {SUMS} and the files it lists")


def _parse_sums(text: bytes) -> dict[str, str]:
    sums: dict[str, str] = {}
    for line in text.decode(errors="replace").splitlines():
        sha, _, name = line.partition("  ")
        sums[name] = sha
    return sums


def _damaged(detail: str) -> BackupError:
    return BackupError(
        f"the archive is damaged or was changed: {detail}; nothing was restored",
        "archive_damaged",
    )
