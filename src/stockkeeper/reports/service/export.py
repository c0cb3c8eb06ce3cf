"""Reports as files: CSV (streamed row by row) and XLSX (written in constant memory to a
temporary file, then streamed), asked for with ``format=csv|xlsx`` or the Accept header.

A text cell a spreadsheet would read as a formula (one that begins with ``=``, ``+``, ``-``,
``@``, a tab or a carriage return) is written behind a single quote, and so is one that
already begins with quotes followed by one of those: an import undoes it exactly by removing
one leading quote from a cell that begins with quotes followed by one of those. Numbers stay
numbers. CSV starts with a UTF-8 byte order mark, by which Excel knows its encoding."""

from __future__ import annotations

import csv
import io
import re
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from datetime import date
from decimal import Decimal
from typing import Any, Literal

import xlsxwriter
from fastapi import Request
from fastapi.responses import StreamingResponse

Format = Literal["json", "csv", "xlsx"]
CSV = "text/csv"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FILE_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {"content": {CSV: {}, XLSX: {}}, "description": "The report, or its file"}
}
Column = tuple[str, str]  # heading, key of the row


def wanted(request: Request, given: Format | None) -> Format:
    """``format`` if given, else what the Accept header prefers, else JSON."""
    if given:
        return given
    accept = request.headers.get("accept", "")
    if XLSX in accept:
        return "xlsx"
    if CSV in accept:
        return "csv"
    return "json"


# what a spreadsheet reads as the start of a formula, after any leading quotes
_FORMULA_LIKE = re.compile(r"'*[=+\-@\t\r]")
BOM = "\ufeff"


def neutralised(text: str) -> str:
    """``=HYPERLINK(...)`` -> ``'=HYPERLINK(...)``, ``'=1`` -> ``''=1``; other text as is."""
    return "'" + text if _FORMULA_LIKE.match(text) else text


def restored(text: str) -> str:
    """What ``neutralised`` was given: ``'=1`` -> ``=1``, ``''=1`` -> ``'=1``; other text as is."""
    return text[1:] if text.startswith("'") and _FORMULA_LIKE.match(text) else text


def _is_number(value: Any) -> bool:
    return isinstance(value, Decimal | int) and not isinstance(value, bool)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value.normalize() if value == value.to_integral() else value, "f")
    return str(value)


def _cell(value: Any) -> str:
    """A CSV cell: a number as its digits, anything else as neutralised text."""
    return _text(value) if _is_number(value) else neutralised(_text(value))


def csv_chunks(columns: Sequence[Column], rows: Iterable[dict[str, Any]]) -> Iterator[bytes]:
    buffer = io.StringIO()
    buffer.write(BOM)
    writer = csv.writer(buffer)
    writer.writerow([neutralised(heading) for heading, _ in columns])
    for n, row in enumerate(rows, start=1):
        writer.writerow([_cell(row.get(key)) for _, key in columns])
        if n % 500 == 0:
            yield buffer.getvalue().encode()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode()


def xlsx_chunks(
    columns: Sequence[Column], rows: Iterable[dict[str, Any]], title: str
) -> Iterator[bytes]:
    with tempfile.TemporaryFile() as spool:
        book = xlsxwriter.Workbook(spool, {"constant_memory": True, "in_memory": False})
        sheet = book.add_worksheet(title[:31])
        bold = book.add_format({"bold": True})
        for c, (heading, _) in enumerate(columns):
            sheet.write_string(0, c, neutralised(heading), bold)
        for r, row in enumerate(rows, start=1):
            for c, (_, key) in enumerate(columns):
                value = row.get(key)
                if _is_number(value):
                    # a spreadsheet's numbers are doubles: the file format rounds, not us
                    sheet.write_number(r, c, value)
                elif value is not None:
                    sheet.write_string(r, c, neutralised(_text(value)))
        book.close()
        spool.seek(0)
        while chunk := spool.read(1 << 16):
            yield chunk


def file_response(
    kind: Format,
    name: str,
    day: date,
    columns: Sequence[Column],
    rows: Iterable[dict[str, Any]],
) -> StreamingResponse:
    """The report's rows as a CSV or XLSX download named ``{name}-{day}.{ext}``."""
    filename = f"{name}-{day.isoformat()}.{kind}"
    body = csv_chunks(columns, rows) if kind == "csv" else xlsx_chunks(columns, rows, name)
    return StreamingResponse(
        body,
        media_type=CSV if kind == "csv" else XLSX,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
