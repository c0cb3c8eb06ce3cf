"""The data directory's files in a backup: which are taken, and putting restored ones back.

Taken: every regular file under the data directory (packing slips and whatever else lives
there), except the live SQLite database with its companions (it is copied through SQLite's
backup API instead), half-written uploads, and the backup's own archive and working files.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Collection, Iterator
from pathlib import Path

# beside a SQLite database: its write-ahead log, shared memory, rollback journal, and the
# writers' lock file (core/sqlite.py)
SQLITE_COMPANIONS = (
    "",
    "-wal",
    "-shm",
    "-journal",
    "-writer",
    "-writer-gate-1",
    "-writer-gate-2",
    "-writer-turn",
)
# a packing slip being uploaded is written under this prefix and renamed when complete
_HALF_WRITTEN = ".upload-"


def database_files(database: Path | None) -> set[Path]:
    """The SQLite database file and its companions (none for PostgreSQL)."""
    if database is None:
        return set()
    resolved = database.resolve()
    return {resolved.with_name(resolved.name + suffix) for suffix in SQLITE_COMPANIONS}


def data_files(data_dir: Path, skip: Collection[Path]) -> list[tuple[Path, str]]:
    """Each file to back up, with its path relative to the data directory (``/``-separated),
    in a stable order. ``skip`` holds resolved files and folders to leave out."""
    if not data_dir.is_dir():
        return []
    root = data_dir.resolve()
    skipped = set(skip)
    return [(path, path.relative_to(root).as_posix()) for path in sorted(_walk(root, skipped))]


def _walk(folder: Path, skip: set[Path]) -> Iterator[Path]:
    for entry in os.scandir(folder):
        path = Path(entry.path)
        if path in skip or entry.name.startswith(_HALF_WRITTEN) or entry.is_symlink():
            continue
        if entry.is_dir():
            yield from _walk(path, skip)
        elif entry.is_file():
            yield path


def put_in_place(
    staged: Path, data_dir: Path, replaced: list[Path], advance: Callable[[float], None]
) -> int:
    """Moves the restored files from ``staged`` into the data directory, after removing the
    ``replaced`` ones (what was there, when told to replace it); returns how many came."""
    for path in replaced:
        path.unlink(missing_ok=True)
    _prune_empty({path.parent for path in replaced}, data_dir.resolve())
    arrived = sorted(p for p in staged.rglob("*") if p.is_file()) if staged.is_dir() else []
    folders = set()
    for path in arrived:
        target = data_dir / path.relative_to(staged)
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(path, target)
        folders.add(target.parent)
        advance(1)
    for folder in folders:  # the renames made durable: a folder's entries go with it
        descriptor = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)
    return len(arrived)


def _prune_empty(folders: set[Path], root: Path) -> None:
    """Removes the folders that removing files left empty, up to the data directory."""
    for folder in sorted(folders, key=lambda p: len(p.parts), reverse=True):
        while root in folder.parents and folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()
            folder = folder.parent
