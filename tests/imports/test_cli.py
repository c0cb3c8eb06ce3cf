"""``stockkeeper import items`` and ``stockkeeper export items``: the same jobs in-process,
the summary and every row at fault printed, exit codes by outcome."""

from __future__ import annotations

from pathlib import Path

from tests.imports.test_items_import import full_file
from tests.support import Api
from tests.test_cli import cli_env, run

__all__ = ["cli_env"]  # the fixture, shared with the other commands' tests


def test_import_then_export_then_import_again(cli_env: str, api: Api, tmp_path: Path) -> None:
    company = api.tenant.company_id
    source = tmp_path / "items.csv"
    source.write_bytes(full_file(api.supplier()["creditorNumber"]))
    code, out, err = run("import", "items", str(source), "--company", company)
    assert code == 0, err
    assert ": done; rows 3, valid 3, invalid 0, created 3, updated 0, unchanged 0" in out
    exported = tmp_path / "export.xlsx"
    code, _, err = run(
        "export", "items", "--company", company, "--format", "xlsx", "-o", str(exported)
    )
    assert code == 0, err
    code, out, _ = run("import", "items", str(exported), "--company", company, "--dry-run")
    assert code == 0 and "created 0, updated 0, unchanged 3" in out
    code, out, _ = run("export", "items", "--company", company)
    assert code == 0 and out.splitlines()[0].lstrip("\ufeff").startswith(
        "itemCode,variantCode,name"
    )
    assert "HAM-1,HAM-1-RED,Red claw hammer" in out


def test_a_file_at_fault_prints_every_row_and_exits_non_zero(
    cli_env: str, api: Api, tmp_path: Path
) -> None:
    source = tmp_path / "bad.csv"
    source.write_text(
        "itemCode,name,type,costPrice\nA,Fine,inventory,1\nB,,inventory,x\nC,C,thing,1\n"
    )
    company = api.tenant.company_id
    code, out, _ = run("import", "items", str(source), "--company", company)
    assert code == 2
    assert ": failed;" in out
    assert "row 3, name: required" in out and "row 3, costPrice: not a number" in out
    assert "row 4, type: must be one of inventory, non_inventory, service" in out
    code, out, _ = run("import", "items", str(source), "--company", company, "--skip-invalid")
    assert code == 1 and "created 1" in out
    assert api.data(api.get("/api/v1/items"))[0]["itemCode"] == "A"
    code, _, err = run("import", "items", str(source), "--company", "comp_nope")
    assert code == 3 and "company" in err
