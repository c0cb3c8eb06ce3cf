"""Packing slip files: kept under the data directory, one folder per company, named
``{orderNumber}_{creditorNumber}_{receivedDate:YYYYMMDD}.{ext}``, and zipped by year.

The type is read from the content (PDF, PNG or JPEG), never from the name. Names are built
from the order's own fields, reduced to safe characters, and every path is checked to stay
inside the company's folder. Files are written to a temporary name and renamed into place,
so a reader never sees half a file.
"""

from __future__ import annotations

import os
import re
import tempfile
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from stockkeeper.core.errors import TooLarge, UnsupportedMediaType

MAX_BYTES = 10 * 1024 * 1024
UPLOAD_LIMIT = MAX_BYTES + 64 * 1024  # the file and its multipart framing
_TYPES = (
    (b"%PDF-", "pdf", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "png", "image/png"),
    (b"\xff\xd8\xff", "jpg", "image/jpeg"),
)
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]")
CONTENT_TYPES = {ext: content_type for _, ext, content_type in _TYPES}


def detect(head: bytes) -> tuple[str, str]:
    """The extension and content type of a file from its first bytes."""
    for magic, ext, content_type in _TYPES:
        if head.startswith(magic):
            return ext, content_type
    raise UnsupportedMediaType("a packing slip is a PDF, PNG or JPEG file")


def file_stem(order_number: str, creditor_number: str, received: str) -> str:
    """The documented name without its extension, reduced to safe characters."""
    return "_".join(_UNSAFE.sub("-", part) for part in (order_number, creditor_number, received))


def _folder(root: Path, company_id: str) -> Path:
    return root / "packing-slips" / _UNSAFE.sub("-", company_id)


def path_of(root: Path, company_id: str, name: str) -> Path:
    folder = _folder(root, company_id).resolve()
    path = (folder / name).resolve()
    if path.parent != folder:
        raise ValueError(f"{name!r} is not a file name")
    return path


def store(root: Path, company_id: str, stem: str, source: IO[bytes]) -> tuple[str, str]:
    """Writes ``source`` as ``stem`` with the extension of its type; returns the file's name
    and content type. Refuses a file of another type (415) or over 10 MB (413) without
    leaving anything behind."""
    ext, content_type = detect(source.read(16))
    source.seek(0)
    name = f"{stem}.{ext}"
    target = path_of(root, company_id, name)
    target.parent.mkdir(parents=True, exist_ok=True)
    size = 0
    with tempfile.NamedTemporaryFile(dir=target.parent, prefix=".upload-", delete=False) as tmp:
        try:
            while chunk := source.read(1 << 16):
                size += len(chunk)
                if size > MAX_BYTES:
                    raise TooLarge(f"a packing slip is at most {MAX_BYTES // (1024 * 1024)} MB")
                tmp.write(chunk)
            tmp.flush()
            os.fsync(tmp.fileno())
        except BaseException:
            tmp.close()
            os.unlink(tmp.name)
            raise
    os.replace(tmp.name, target)
    return name, content_type


def remove(root: Path, company_id: str, name: str) -> None:
    path_of(root, company_id, name).unlink(missing_ok=True)


class _Sink:
    """A write-only stream that hands over what was written so far."""

    def __init__(self) -> None:
        self._parts: list[bytes] = []

    def write(self, data: bytes) -> int:
        self._parts.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        pass

    def close(self) -> None:
        pass

    def take(self) -> bytes:
        data = b"".join(self._parts)
        self._parts.clear()
        return data


def zip_stream(root: Path, company_id: str, names: list[str]) -> Iterator[bytes]:
    """A ZIP of the named files at the top level, produced piece by piece (never the whole
    archive, nor a whole file, in memory); files missing on disk are left out."""
    sink = _Sink()
    with zipfile.ZipFile(sink, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name in names:
            path = path_of(root, company_id, name)
            if not path.is_file():
                continue
            entry = zipfile.ZipInfo.from_file(path, name)  # keeps the file's date
            entry.compress_type = zipfile.ZIP_DEFLATED
            with path.open("rb") as source, archive.open(entry, "w") as target:
                while chunk := source.read(1 << 16):
                    target.write(chunk)
                    if data := sink.take():
                        yield data
            yield sink.take()
    yield sink.take()
