"""Importing a price list: an item's prices in the groups the list names set (its selling
price among them, a variant's selling price too), the others kept; every fault reported at
once; a list twice changes nothing; a dry run counts and changes nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from stockkeeper.cli import app
from stockkeeper.core.db import Database
from stockkeeper.imports.service.price_layout import HEADINGS
from tests.imports.support import csv_file, run
from tests.support import Api


def _items(api: Api) -> None:
    api.item(
        itemCode="P-1",
        name="Priced",
        pricing={"sellingPrice": 10},
        variants=[{"itemCode": "P-1-V", "name": "Priced, blue", "sellingPrice": 12}],
    )
    api.item(itemCode="S-1", name="Fitting", type="service", pricing={"sellingPrice": 40})


def _item(api: Api, code: str) -> dict[str, Any]:
    [found] = api.data(api.get("/api/v1/items", params={"search": code}))
    item: dict[str, Any] = api.data(api.get(f"/api/v1/items/{found['id']}"))
    return item


def _prices(item: dict[str, Any]) -> dict[str, tuple[Any, Any]]:
    return {p["name"]: (p["price"], p["includesTax"]) for p in item["pricing"]["priceGroups"]}


def test_a_list_sets_the_prices_it_names_and_twice_changes_nothing(
    api: Api, database: Database
) -> None:
    _items(api)
    content = csv_file(
        HEADINGS,
        ["P-1", "", "Sales Price", "11", ""],
        ["P-1", "", "Trade", "9", "true"],
        ["P-1", "P-1-V", "Sales Price", "13", ""],
        ["S-1", "", "Rate", "50", ""],
    )
    view = run(database, api.tenant, content, kind="prices")
    assert (view.state, view.errors, view.counts["updated"]) == ("done", [], 4)
    priced = _item(api, "P-1")
    assert priced["pricing"]["sellingPrice"] == 11
    assert _prices(priced)["Trade"] == (9, True)
    assert [v["sellingPrice"] for v in priced["variants"]] == [13]
    assert _item(api, "S-1")["pricing"]["sellingPrice"] == 50

    events = len(api.data(api.get("/api/v1/audit-events", params={"limit": 200})))
    again = run(database, api.tenant, content, kind="prices")
    assert (again.counts["unchanged"], again.counts["updated"]) == (4, 0)
    # the job's own audit rows only: no item was written
    assert len(api.data(api.get("/api/v1/audit-events", params={"limit": 200}))) == events + 2

    wholesale = csv_file(HEADINGS, ["P-1", "", "Wholesale", "8.5", ""])
    run(database, api.tenant, wholesale, kind="prices")
    prices = _prices(_item(api, "P-1"))
    assert prices["Trade"] == (9, True) and prices["Wholesale"][0] == 8.5  # Trade kept


def test_every_fault_of_a_list_is_reported_at_once_and_nothing_applied(
    api: Api, database: Database
) -> None:
    _items(api)
    content = csv_file(
        HEADINGS,
        ["NOPE", "", "Trade", "1", ""],
        ["P-1", "X-9", "Sales Price", "1", ""],
        ["P-1", "", "Nope", "1", ""],
        ["P-1", "P-1-V", "Trade", "1", ""],
        ["P-1", "", "Wholesale", "-1", ""],
        ["P-1", "", "Sales Price", "2", "maybe"],
        ["P-1", "", "Trade", "2", ""],
        ["P-1", "", "Trade", "3", ""],
        ["S-1", "", "Trade", "5", ""],
    )
    view = run(database, api.tenant, content, kind="prices")
    assert view.state == "failed"
    assert [(e["row"], e["column"]) for e in view.errors] == [
        (2, "itemCode"),
        (3, "variantCode"),
        (4, "priceGroup"),
        (5, "priceGroup"),
        (6, "price"),
        (7, "includesTax"),
        (9, "priceGroup"),
        (10, "priceGroup"),
    ]
    assert _item(api, "P-1")["pricing"]["sellingPrice"] == 10
    assert "Trade" not in _prices(_item(api, "P-1"))


def test_a_dry_run_counts_and_changes_nothing(api: Api, database: Database) -> None:
    _items(api)
    content = csv_file(
        HEADINGS, ["P-1", "", "Sales Price", "10", ""], ["P-1", "", "Trade", "7", ""]
    )
    view = run(database, api.tenant, content, kind="prices", dry_run=True)
    assert (view.state, view.counts["updated"], view.counts["unchanged"]) == ("done", 1, 1)
    assert "Trade" not in _prices(_item(api, "P-1"))


def test_the_command_line_and_the_api_take_price_lists(
    api: Api, database: Database, tmp_path: Path, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    _items(api)
    monkeypatch.setenv("STOCKKEEPER_DATABASE_URL", database_url)
    source = tmp_path / "prices.csv"
    source.write_bytes(csv_file(HEADINGS, ["P-1", "", "Trade", "7.5", ""]))
    company = api.tenant.company_id
    result = CliRunner().invoke(app, ["import", "prices", str(source), "--company", company])
    assert result.exit_code == 0, result.stderr
    assert "updated 1, unchanged 0" in result.stdout
    assert _prices(_item(api, "P-1"))["Trade"][0] == 7.5
    files = {"file": ("prices.csv", csv_file(HEADINGS, ["P-1", "", "Trade", "x", ""]))}
    job = api.data(api.post("/api/v1/imports", None, files=files, data={"kind": "prices"}), 202)
    assert job["kind"] == "prices"
