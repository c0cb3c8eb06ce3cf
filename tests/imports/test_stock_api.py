"""Stock files on the HTTP face: an upload of kind stock run by the worker and read back;
the export of stock levels taken back by an import, CSV and XLSX: unchanged it posts
nothing, edited it sets what it says."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import openpyxl
import pytest

from stockkeeper.core.db import Database
from tests.imports.stock_support import held, make_shop, movements, stock_file
from tests.imports.test_api import upload, worker_round
from tests.imports.test_stock_import import HELD, OPENING
from tests.invariants import assert_ledger_consistent
from tests.support import Api

HEADINGS = ["location", "itemCode", "variantCode", "bin", "batch", "expiry", "serial"]
ROWS = [
    ["Front Store", "BOLT", "BOLT-RED", "", "", "", "", "4", "0"],
    ["WH1", "BOLT", "", "", "", "", "", "12", "0.5"],
    ["WH1", "BOLT", "", "A1", "", "", "", "3", "0.5"],
    ["WH1", "MILK", "", "", "L1", "2027-01-31", "", "8", "2.25"],
    ["WH1", "PHONE", "", "", "", "", "SN-1", "1", "300"],
    ["WH1", "PHONE", "", "", "", "", "SN-2", "1", "300"],
]


def _job(api: Api, database: Database, content: bytes, name: str) -> dict[str, object]:
    job = api.data(upload(api, content, name, kind="stock"), 202)
    assert job["kind"] == "stock"
    worker_round(database)
    done: dict[str, object] = api.data(api.get(f"/api/v1/imports/{job['id']}"))
    return done


def test_a_stock_upload_is_set_by_the_worker_and_read_back(api: Api, database: Database) -> None:
    make_shop(database, api.tenant)
    done = _job(api, database, stock_file(*OPENING), "stock.csv")
    assert (done["state"], done["kind"], done["errors"]) == ("done", "stock", [])
    assert done["counts"] == {
        "rows": 6,
        "valid": 6,
        "invalid": 0,
        "created": 0,
        "updated": 6,
        "unchanged": 0,
        "done": 6,
    }
    assert held(database, api.tenant) == HELD
    stock = api.stock()
    assert sum(Decimal(str(row["currentStock"])) for row in stock) == 29, stock


def _rows(content: bytes, kind: str) -> list[list[str]]:
    if kind == "csv":
        return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    sheet = openpyxl.load_workbook(io.BytesIO(content)).worksheets[0]
    return [["" if v is None else str(v) for v in r] for r in sheet.iter_rows(values_only=True)]


def _edited(content: bytes, kind: str) -> bytes:
    """BOLT at WH1 (no bin) holds 20 instead of 12."""
    if kind == "csv":
        rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
        next(r for r in rows if r[:4] == ["WH1", "BOLT", "", ""])[7] = "20"
        buffer = io.StringIO()
        csv.writer(buffer).writerows(rows)
        return buffer.getvalue().encode()
    book = openpyxl.load_workbook(io.BytesIO(content))
    for cells in book.worksheets[0].iter_rows(min_row=2):
        if [c.value for c in cells[:4]] == ["WH1", "BOLT", None, None]:
            cells[7].value = 20
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_the_stock_export_imported_posts_nothing_and_edited_sets_what_it_says(
    api: Api, database: Database, kind: str
) -> None:
    make_shop(database, api.tenant)
    _job(api, database, stock_file(*OPENING), "stock.csv")
    exported = api.get("/api/v1/exports/stock", params={"format": kind})
    assert exported.status_code == 200, exported.text
    assert "stock-" in exported.headers["content-disposition"]
    rows = _rows(exported.content, kind)
    assert rows[0] == [*HEADINGS, "quantity", "unitCost"]
    if kind == "csv":
        assert rows[1:] == ROWS
    posted = movements(database, api.tenant)
    again = _job(api, database, exported.content, f"stock.{kind}")
    assert (again["state"], again["errors"]) == ("done", [])
    assert again["counts"]["updated"] == 0 and again["counts"]["unchanged"] == 6  # type: ignore[index]
    assert movements(database, api.tenant) == posted
    edited = _job(api, database, _edited(exported.content, kind), f"stock.{kind}")
    assert (edited["state"], edited["errors"]) == ("done", [])
    assert edited["counts"]["updated"] == 1 and edited["counts"]["unchanged"] == 5  # type: ignore[index]
    assert held(database, api.tenant) == HELD | {("WH1", "BOLT", None, None, None, None): 20}
    assert_ledger_consistent(database, api.tenant.company_id)


def test_the_stock_export_needs_a_key_and_takes_only_csv_or_xlsx(api: Api) -> None:
    assert api.get("/api/v1/exports/stock", params={"format": "pdf"}).status_code == 422
    viewer = api.as_key(api.tenant.viewer_key)
    exported = viewer.get("/api/v1/exports/stock")
    assert exported.status_code == 200
    assert exported.content.decode("utf-8-sig").splitlines() == [
        ",".join([*HEADINGS, "quantity", "unitCost"])
    ]
