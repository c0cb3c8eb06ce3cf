"""An uploaded file as a table of text cells: CSV (UTF-8, with or without a byte order mark)
or XLSX (its first sheet), told apart by their content. Cells come back as the export wrote
them: the quote put before formula-like text is removed, numbers are their decimal digits."""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from stockkeeper.imports.errors import UnreadableFile
from stockkeeper.reports.service.export import restored

MAX_BYTES = 16 * 1024 * 1024
MAX_ROWS = 100_000
# what a workbook's parts may unzip to: a small file that unzips to gigabytes is refused
# before it is opened (a spreadsheet of MAX_ROWS rows is a few tens of MB)
MAX_UNZIPPED = 256 * 1024 * 1024
_ZIP = b"PK\x03\x04"  # an XLSX workbook is a zip archive


@dataclass(frozen=True)
class Table:
    """The heading row and the data rows, each with the number a spreadsheet shows (the
    headings are row 1); rows with no text at all are left out."""

    headings: list[str]
    rows: list[tuple[int, list[str]]]


def file_format(content: bytes) -> str:
    return "xlsx" if content.startswith(_ZIP) else "csv"


def read_table(content: bytes) -> Table:
    if len(content) > MAX_BYTES:
        raise UnreadableFile(f"the file is larger than {MAX_BYTES // (1024 * 1024)} MB")
    lines = _xlsx_rows(content) if file_format(content) == "xlsx" else _csv_rows(content)
    table: list[tuple[int, list[str]]] = []
    for number, cells in enumerate(lines, start=1):
        if any(cells):
            table.append((number, cells))
        if len(table) > MAX_ROWS + 1:
            raise UnreadableFile(f"the file has more than {MAX_ROWS} rows")
    if not table or table[0][0] != 1:
        raise UnreadableFile("the file has no heading row (row 1)")
    return Table([h.strip() for h in table[0][1]], table[1:])


def _csv_rows(content: bytes) -> list[list[str]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise UnreadableFile("the file is neither UTF-8 CSV nor an XLSX workbook") from error
    try:
        return [[restored(c) for c in row] for row in csv.reader(io.StringIO(text, newline=""))]
    except csv.Error as error:
        raise UnreadableFile(f"the CSV cannot be read: {error}") from error


def _xlsx_rows(content: bytes) -> list[list[str]]:
    import openpyxl  # only for XLSX uploads: it takes a while to import

    try:
        # the sizes its directory gives: zipfile reads no part past its own
        unzipped = sum(part.file_size for part in zipfile.ZipFile(io.BytesIO(content)).infolist())
        if unzipped > MAX_UNZIPPED:
            limit = MAX_UNZIPPED // (1024 * 1024)
            raise UnreadableFile(f"the workbook unzips to more than {limit} MB")
        book = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
        raise UnreadableFile("the file is not an XLSX workbook that can be read") from error
    try:
        sheet = book.worksheets[0]
        return [[_xlsx_text(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    finally:
        book.close()


def _xlsx_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        # a spreadsheet's number is a double: its shortest repr is the decimal it shows
        number = Decimal(repr(value))
        return format(number.normalize() if number == number.to_integral() else number, "f")
    if isinstance(value, datetime | date):
        return value.isoformat()
    return restored(str(value))


@dataclass(frozen=True)
class ExportFile:
    """A company's rows of an export (the cells by heading), on the company's day (the
    file's name)."""

    day: date
    rows: list[dict[str, Any]]
