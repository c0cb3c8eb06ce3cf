"""``stockkeeper import stock`` and ``stockkeeper export stock``: the same jobs in-process,
the summary and every row at fault printed, exit codes by outcome; the export taken back."""

from __future__ import annotations

from pathlib import Path

from stockkeeper.core.db import Database
from tests.imports.stock_support import held, make_shop, stock_file
from tests.imports.test_stock_import import HELD, OPENING
from tests.support import Api
from tests.test_cli import cli_env, run

__all__ = ["cli_env"]  # the fixture, shared with the item commands' tests


def test_import_stock_then_export_then_import_again(
    cli_env: str, api: Api, database: Database, tmp_path: Path
) -> None:
    make_shop(database, api.tenant)
    company = api.tenant.company_id
    source = tmp_path / "stock.csv"
    source.write_bytes(stock_file(*OPENING))
    code, out, err = run("import", "stock", str(source), "--company", company)
    assert code == 0, err
    assert ": done; rows 6, valid 6, invalid 0, created 0, updated 6, unchanged 0" in out
    assert held(database, api.tenant) == HELD
    exported = tmp_path / "export.xlsx"
    code, _, err = run(
        "export", "stock", "--company", company, "--format", "xlsx", "-o", str(exported)
    )
    assert code == 0, err
    code, out, _ = run("import", "stock", str(exported), "--company", company, "--dry-run")
    assert code == 0 and "updated 0, unchanged 6" in out
    code, out, _ = run("export", "stock", "--company", company)
    lines = out.splitlines()
    assert code == 0 and lines[0].lstrip("\ufeff") == (
        "location,itemCode,variantCode,bin,batch,expiry,serial,quantity,unitCost"
    )
    assert "WH1,MILK,,,L1,2027-01-31,,8,2.25" in lines


def test_a_stock_file_at_fault_prints_every_row_and_exits_non_zero(
    cli_env: str, api: Api, database: Database, tmp_path: Path
) -> None:
    make_shop(database, api.tenant)
    source = tmp_path / "bad.csv"
    source.write_text("location,itemCode,quantity\nWH1,BOLT,1\nWH1,MILK,1\nNOPE,BOLT,x\n")
    company = api.tenant.company_id
    code, out, _ = run("import", "stock", str(source), "--company", company)
    assert code == 2 and ": failed;" in out
    assert "row 3, batch: required: the item is tracked by batch" in out
    assert "row 4, location: no location has this code or name" in out
    assert "row 4, quantity: not a number" in out
    code, out, _ = run("import", "stock", str(source), "--company", company, "--skip-invalid")
    assert code == 1 and ": done;" in out and "updated 1" in out
    assert held(database, api.tenant) == {("WH1", "BOLT", None, None, None, None): 1}
