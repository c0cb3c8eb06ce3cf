"""Importing items from a file: every fault reported at once, dry runs and skipped rows,
re-imports that update and change nothing the second time, on both engines."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import func, select

from stockkeeper.catalog.models import Category, Item, ItemPrice, ItemVariant
from stockkeeper.catalog.service import item_creation
from stockkeeper.catalog.service import items as catalog_items
from stockkeeper.core.audit import AuditEvent
from stockkeeper.core.db import Database
from stockkeeper.core.errors import Invalid, field_error
from stockkeeper.core.outbox import OutboxEvent
from stockkeeper.imports.service import cells
from stockkeeper.imports.service.item_layout import HEADINGS
from tests.imports.support import csv_file, run
from tests.support import Api, Tenant


def row(**cells: object) -> list[str]:
    """A row of the full layout, the cells given by heading."""
    return [str(cells.get(h, "")) for h in HEADINGS]


def _count(database: Database, tenant: Tenant, model: type, **where: object) -> int:
    with database.unit_of_work(write=False) as session:
        statement = (
            select(func.count())
            .select_from(model)
            .where(
                model.company_id == tenant.company_id,  # type: ignore[attr-defined]
                *(getattr(model, k) == v for k, v in where.items()),
            )
        )
        return int(session.scalar(statement) or 0)


def full_file(supplier: str) -> bytes:
    return csv_file(
        HEADINGS,
        row(
            itemCode="HAM-1",
            name="Claw hammer",
            type="inventory",
            description="16 oz",
            unit="pcs",
            category="Tools/Hand tools",
            costPrice="12.50",
            sellingPrice="19.90",
            priceGroups="Trade=17.5; Wholesale=16",
            supplier=supplier,
            supplierItemCode="S-HAM",
            minimumStock="5",
            maximumStock="50",
            reorderPoint="10",
            reorderQuantity="20",
            tracking="batch",
            incomeAccount="acc_sales_revenue",
            expenseAccount="acc_cogs",
            assetAccount="acc_inventory",
            salesTax="SST",
            purchaseTax="SST",
            barcode="9555000000100",
            active="true",
        ),
        row(
            itemCode="HAM-1",
            variantCode="HAM-1-RED",
            name="Red claw hammer",
            sellingPrice="21",
            barcode="9555000000101",
            attributes="colour=Red; size=M",
        ),
        row(
            itemCode="SRV-1",
            name="Sharpening",
            type="service",
            sellingPrice="5",
            priceGroups="Rate=5",
        ),
    )


def test_a_file_makes_items_with_every_column(api: Api, database: Database) -> None:
    supplier = api.supplier()["creditorNumber"]
    view = run(database, api.tenant, full_file(supplier))
    assert (view.state, view.errors) == ("done", [])
    assert view.counts | {"done": view.rows_done} == {
        "rows": 3,
        "valid": 3,
        "invalid": 0,
        "created": 3,
        "updated": 0,
        "unchanged": 0,
        "done": 3,
    }
    [hammer] = api.data(api.get("/api/v1/items", params={"search": "HAM-1"}))
    hammer = api.data(api.get(f"/api/v1/items/{hammer['id']}"))
    assert hammer["category"]["path"] == "Tools > Hand tools"
    assert (hammer["pricing"]["costPrice"], hammer["pricing"]["sellingPrice"]) == (12.5, 19.9)
    prices = {p["name"]: p["price"] for p in hammer["pricing"]["priceGroups"]}
    assert prices == {"Sales Price": 19.9, "Trade": 17.5, "Wholesale": 16}
    assert hammer["supplier"]["supplierItemCode"] == "S-HAM"
    assert hammer["inventory"]["tracking"] == "batch"
    assert hammer["inventory"]["reorderPoint"] == 10
    assert hammer["accounting"]["incomeAccount"]["code"] == "acc_sales_revenue"
    assert hammer["tax"]["salesTaxRate"]["code"] == "SST"
    [red] = hammer["variants"]
    assert (red["itemCode"], red["attributes"], red["sellingPrice"]) == (
        "HAM-1-RED",
        {"colour": "Red", "size": "M"},
        21,
    )


def test_importing_twice_changes_nothing_and_a_change_updates(api: Api, database: Database) -> None:
    tenant = api.tenant
    content = full_file(api.supplier()["creditorNumber"])
    run(database, tenant, content)
    audits = _count(database, tenant, AuditEvent)
    events = _count(database, tenant, OutboxEvent)
    again = run(database, tenant, content)
    assert again.counts["unchanged"] == 3 and again.counts["created"] == 0
    # the job's own audit rows only (created, done): no item was written, nothing announced
    assert _count(database, tenant, AuditEvent) == audits + 2
    assert _count(database, tenant, OutboxEvent) == events
    changed = content.replace(b"Claw hammer", b"Claw hammer XL").replace(b"size=M", b"size=L")
    third = run(database, tenant, changed)
    assert (third.counts["updated"], third.counts["unchanged"]) == (2, 1)
    assert _count(database, tenant, Item) == 2 and _count(database, tenant, ItemVariant) == 1
    assert _count(database, tenant, Item, name="Claw hammer XL") == 1
    assert _count(database, tenant, Category) == 2


def test_every_fault_of_the_file_is_reported_at_once_and_nothing_applied(
    api: Api, database: Database
) -> None:
    tenant = api.tenant
    api.item(itemCode="TAKEN", barcode="9555000000999")
    content = csv_file(
        HEADINGS,
        row(itemCode="OK-1", name="Fine", type="inventory"),
        row(itemCode="BAD-1", name="Bad price", type="inventory", costPrice="abc"),
        row(itemCode="BAD-2", name="", type="gadget"),
        row(itemCode="BAD-3", name="Taken barcode", type="inventory", barcode="9555000000999"),
        row(itemCode="OK-1", name="Twice", type="inventory"),
        row(itemCode="NOPE", variantCode="NOPE-1", name="Orphan"),
        row(
            itemCode="BAD-4",
            name="Groups",
            type="inventory",
            priceGroups="Gold=1",
            supplier="CRED999",
            salesTax="VAT99",
        ),
        row(itemCode="BAD-5", name="Service", type="service", tracking="serial"),
    )
    view = run(database, tenant, content)
    assert view.state == "failed"
    found = {(e["row"], e["column"]) for e in view.errors}
    assert found == {
        (3, "costPrice"),
        (4, "name"),
        (4, "type"),
        (5, "barcode"),
        (6, "itemCode"),
        (7, "itemCode"),
        (8, "priceGroups"),
        (8, "supplier"),
        (8, "salesTax"),
        (9, "tracking"),
    }
    reasons = {(e["row"], e["column"]): e["reason"] for e in view.errors}
    assert reasons[(3, "costPrice")] == "not a number"
    assert reasons[(6, "itemCode")] == "already on row 2"
    assert (view.counts["valid"], view.counts["invalid"]) == (1, 7)
    assert _count(database, tenant, Item) == 1  # only TAKEN, made before


def test_a_dry_run_counts_and_changes_nothing(api: Api, database: Database) -> None:
    tenant = api.tenant
    api.item(itemCode="OLD", name="Old name")
    content = csv_file(
        ["itemCode", "name", "type"],
        ["OLD", "New name", "inventory"],
        ["NEW-1", "Brand new", "inventory"],
    )
    audits = _count(database, tenant, AuditEvent)
    view = run(database, tenant, content, dry_run=True)
    assert view.state == "done" and view.dry_run
    assert (view.counts["created"], view.counts["updated"]) == (1, 1)
    assert _count(database, tenant, Item, name="Old name") == 1
    assert _count(database, tenant, Item) == 1
    assert _count(database, tenant, AuditEvent) == audits + 2  # the job's own: created, done


def test_skip_invalid_applies_the_good_rows(api: Api, database: Database) -> None:
    tenant = api.tenant
    content = csv_file(
        ["itemCode", "variantCode", "name", "type", "costPrice"],
        ["G-1", "", "Good", "inventory", "1.25"],
        ["B-1", "", "Bad", "inventory", "-1"],
        ["B-1", "B-1-V", "Variant of bad", "", ""],
        ["G-2", "", "Good too", "non_inventory", "2"],
    )
    view = run(database, tenant, content, skip_invalid=True)
    assert view.state == "done"
    assert {(e["row"], e["column"]) for e in view.errors} == {(3, "costPrice"), (4, "itemCode")}
    assert (view.counts["created"], view.counts["invalid"], view.rows_done) == (2, 2, 4)
    with database.unit_of_work(write=False) as session:
        codes = session.scalars(
            select(Item.item_code).where(Item.company_id == tenant.company_id)
        ).all()
        cost = session.scalar(
            select(Item.cost_price).where(
                Item.company_id == tenant.company_id, Item.item_code == "G-1"
            )
        )
    assert sorted(codes) == ["G-1", "G-2"] and cost == Decimal("1.25")


def test_the_formula_prefix_of_an_export_is_removed(api: Api, database: Database) -> None:
    content = csv_file(
        ["itemCode", "name", "type", "description"],
        ["'=F-1", "'+Plus", "inventory", "''=kept one quote"],
    )
    view = run(database, api.tenant, content)
    assert view.state == "done", view.errors
    with database.unit_of_work(write=False) as session:
        item = session.scalars(select(Item).where(Item.company_id == api.tenant.company_id)).one()
        assert (item.item_code, item.name, item.description) == (
            "=F-1",
            "+Plus",
            "'=kept one quote",
        )
    assert _count(database, api.tenant, ItemPrice) == 0


def test_a_new_item_the_catalogue_refuses_is_reported_at_its_row_and_the_others_made(
    api: Api, database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """New items are made together; one the catalogue refuses (a rule the file's checks do
    not know, here a patched one) is made again alone, and refused at its own row."""
    tenant = api.tenant
    rules = catalog_items.check_rules

    def refusing(item: Item) -> None:
        if item.item_code == "N-2":
            raise Invalid.fields([field_error("name", "not this one")])
        rules(item)

    monkeypatch.setattr(item_creation, "check_rules", refusing)
    content = csv_file(
        ["itemCode", "name", "type"],
        *([f"N-{n}", f"New {n}", "inventory"] for n in range(1, 5)),
    )
    view = run(database, tenant, content)
    assert [(e["row"], e["column"]) for e in view.errors] == [(3, "name")]
    assert (view.counts["created"], view.counts["invalid"]) == (3, 1)
    assert _count(database, tenant, Item) == 3
    assert _count(database, tenant, AuditEvent, action="item.created") == 3


def test_equal_cells_share_one_value_and_a_bad_one_is_refused_each_time() -> None:
    # a large file's rows are all held while it is imported: its repeated prices and
    # category paths are one object each
    assert cells.decimal("12.50") is cells.decimal("12.50") == Decimal("12.50")
    tools = "".join(["Tools / ", "Hand tools"])  # the same text, another object: as read
    assert cells.path("Tools / Hand tools") is cells.path(tools) == "Tools/Hand tools"
    for _ in range(2):
        with pytest.raises(ValueError, match="must not be negative"):
            cells.decimal("-1")
