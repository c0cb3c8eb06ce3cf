"""Importing opening stock from a file: every fault reported at once; bins, batches with
their expiry, serial numbers and unit costs set as one adjustment; the same file twice
changes nothing; dry runs, skipped rows, a row the adjustment refuses, and a job resumed
after a crash, on both engines."""

from __future__ import annotations

import dataclasses
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select

from stockkeeper.adjustments.models import StockAdjustment
from stockkeeper.adjustments.service.stock_setting import set_stock
from stockkeeper.adjustments.values import StockTargets
from stockkeeper.core.db import Database
from stockkeeper.imports.service import jobs, kinds
from stockkeeper.imports.service.runner import run_import
from stockkeeper.stock.models import Batch, StockLevel
from tests.imports.stock_support import held, make_shop, movements, stock_file
from tests.imports.support import csv_file, run, start
from tests.invariants import assert_ledger_consistent
from tests.support import Tenant

OPENING = (
    {"location": "WH1", "itemCode": "BOLT", "quantity": "12", "unitCost": "0.5"},
    {"location": "WH1", "itemCode": "BOLT", "bin": "A1", "quantity": "3"},
    {"location": "Front Store", "itemCode": "BOLT", "variantCode": "BOLT-RED", "quantity": "4"},
    {
        "location": "WH1",
        "itemCode": "MILK",
        "batch": "L1",
        "expiry": "2027-01-31",
        "quantity": "8",
        "unitCost": "2.25",
    },
    {"location": "WH1", "itemCode": "PHONE", "serial": "SN-1", "quantity": "1", "unitCost": "300"},
    {"location": "WH1", "itemCode": "PHONE", "serial": "SN-2", "quantity": "1", "unitCost": "300"},
)
HELD = {
    ("WH1", "BOLT", None, None, None, None): Decimal(12),
    ("WH1", "BOLT", None, "A1", None, None): Decimal(3),
    ("Front Store", "BOLT", "BOLT-RED", None, None, None): Decimal(4),
    ("WH1", "MILK", None, None, "L1", None): Decimal(8),
    ("WH1", "PHONE", None, None, None, "SN-1"): Decimal(1),
    ("WH1", "PHONE", None, None, None, "SN-2"): Decimal(1),
}


def test_every_fault_is_reported_at_once_and_nothing_is_posted(
    database: Database, tenant: Tenant
) -> None:
    make_shop(database, tenant)
    rows = [
        {"location": "WH1", "itemCode": "BOLT", "quantity": "1"},  # row 2: fine
        {"location": "NOPE", "itemCode": "BOLT", "quantity": "1"},
        {"location": "Twin", "itemCode": "BOLT", "quantity": "1"},
        {"location": "WH1", "itemCode": "NOPE", "quantity": "1"},
        {"location": "WH1", "itemCode": "BOLT", "variantCode": "NOPE", "quantity": "1"},
        {"location": "WH1", "itemCode": "BOLT", "variantCode": "O-1", "quantity": "1"},
        {"location": "WH1", "itemCode": "BOLT", "bin": "Z9", "quantity": "1"},
        {"location": "WH1", "itemCode": "MILK", "quantity": "1"},
        {"location": "WH1", "itemCode": "PHONE", "quantity": "1"},
        {"location": "WH1", "itemCode": "PHONE", "serial": "S", "quantity": "2"},
        {"location": "WH1", "itemCode": "BOLT", "batch": "B", "serial": "S", "quantity": "1"},
        {"location": "WH1", "itemCode": "FIX", "quantity": "1"},
        {"location": "WH1", "itemCode": "BOLT", "quantity": "5"},  # row 14: row 2's place
        {"location": "WH1", "itemCode": "BOLT", "quantity": "-1", "unitCost": "x"},
        {"location": "WH1", "itemCode": "MILK", "batch": "L", "expiry": "31/01", "quantity": ""},
        {"itemCode": "", "quantity": "1", "expiry": "2027-01-01"},
    ]
    view = run(database, tenant, stock_file(*rows), kind="stock")
    assert view.state == "failed" and view.kind == "stock"
    assert [(e["row"], e["column"], e["reason"]) for e in view.errors] == [
        (3, "location", "no location has this code or name"),
        (4, "location", "more than one location has this name (give its code)"),
        (5, "itemCode", "no item has this code"),
        (6, "variantCode", "no variant has this code"),
        (7, "variantCode", "a variant of another item"),
        (8, "bin", "no bin with this code at the location"),
        (9, "batch", "required: the item is tracked by batch"),
        (10, "serial", "required: the item is tracked by serial number"),
        (11, "quantity", "a serial number is there (1) or not (0)"),
        (12, "batch", "the item is not tracked by batch"),
        (12, "serial", "the item is not tracked by serial number"),
        (13, "itemCode", "not a stock item: its stock is not kept"),
        (14, "", "the same place as row 2"),
        (15, "quantity", "must not be negative"),
        (15, "unitCost", "not a number"),
        (16, "expiry", "not a date (YYYY-MM-DD)"),
        (16, "quantity", "required"),
        (17, "location", "required"),
        (17, "itemCode", "required"),
    ]
    assert (view.counts["valid"], view.counts["invalid"]) == (1, 15)
    assert movements(database, tenant) == 0


def test_headings_at_fault_are_row_one(database: Database, tenant: Tenant) -> None:
    content = csv_file(["location", "itemCode", "colour", "itemcode"], ["WH1", "BOLT", "", ""])
    view = run(database, tenant, content, kind="stock")
    assert view.state == "failed"
    assert [(e["row"], e["column"], e["reason"]) for e in view.errors] == [
        (1, "colour", "not a column of a stock file"),
        (1, "itemcode", "the column is there twice"),
        (1, "quantity", "the file needs this column"),
    ]


def test_bins_batches_serials_and_costs_are_set_and_twice_change_nothing(
    database: Database, tenant: Tenant
) -> None:
    shop = make_shop(database, tenant)
    view = run(database, tenant, stock_file(*OPENING), kind="stock")
    assert view.state == "done", view.errors
    assert (view.counts["updated"], view.counts["unchanged"], view.counts["invalid"]) == (6, 0, 0)
    assert held(database, tenant) == HELD
    with database.unit_of_work(write=False) as session:
        adjustments = session.scalars(
            select(StockAdjustment).where(StockAdjustment.company_id == tenant.company_id)
        ).all()
        assert [a.reason for a in adjustments] == ["initial_stock"]
        expiry = session.scalar(select(Batch.expiry_date).where(Batch.batch_number == "L1"))
        assert expiry == date(2027, 1, 31)
        values = dict(
            session.execute(
                select(StockLevel.item_id, StockLevel.value).where(
                    StockLevel.location_id == shop.shop,
                    StockLevel.bin_id.is_(None),
                    StockLevel.item_id.in_([shop.bolts, shop.milk]),
                )
            ).all()
        )
        assert values == {shop.bolts: Decimal(6), shop.milk: Decimal(18)}
    posted = movements(database, tenant)
    again = run(database, tenant, stock_file(*OPENING), kind="stock")
    assert again.state == "done"
    assert (again.counts["updated"], again.counts["unchanged"]) == (0, 6)
    assert movements(database, tenant) == posted
    assert held(database, tenant) == HELD
    assert_ledger_consistent(database, tenant.company_id)


def test_a_row_says_what_is_there_down_to_zero(database: Database, tenant: Tenant) -> None:
    make_shop(database, tenant)
    run(database, tenant, stock_file(*OPENING), kind="stock")
    rows = [
        {"location": "WH1", "itemCode": "BOLT", "quantity": "20", "unitCost": "0.75"},
        {"location": "WH1", "itemCode": "PHONE", "serial": "SN-1", "quantity": "0"},
        {"location": "WH1", "itemCode": "MILK", "batch": "L1", "quantity": "8"},
    ]
    view = run(database, tenant, stock_file(*rows), kind="stock")
    assert (view.counts["updated"], view.counts["unchanged"]) == (2, 1)
    now = held(database, tenant)
    assert now[("WH1", "BOLT", None, None, None, None)] == 20
    assert ("WH1", "PHONE", None, None, None, "SN-1") not in now
    assert now[("WH1", "PHONE", None, None, None, "SN-2")] == 1  # a place the file leaves out
    assert_ledger_consistent(database, tenant.company_id)


def test_a_dry_run_counts_and_posts_nothing(database: Database, tenant: Tenant) -> None:
    make_shop(database, tenant)
    view = run(database, tenant, stock_file(*OPENING), kind="stock", dry_run=True)
    assert view.state == "done" and view.counts["updated"] == 6
    assert movements(database, tenant) == 0 and held(database, tenant) == {}


def test_skip_invalid_sets_the_other_rows(database: Database, tenant: Tenant) -> None:
    make_shop(database, tenant)
    rows = [*OPENING[:2], {"location": "WH1", "itemCode": "MILK", "quantity": "1"}]
    view = run(database, tenant, stock_file(*rows), kind="stock", skip_invalid=True)
    assert view.state == "done"
    assert (view.counts["valid"], view.counts["invalid"], view.counts["updated"]) == (2, 1, 2)
    assert [(e["row"], e["column"]) for e in view.errors] == [(4, "batch")]
    assert set(held(database, tenant)) == set(list(HELD)[:2])


def test_a_row_the_adjustment_refuses_is_reported_and_the_rest_is_set(
    database: Database, tenant: Tenant
) -> None:
    shop = make_shop(database, tenant)
    with database.unit_of_work() as session:  # SN-9 is in the warehouse already
        target = {"item_id": shop.phone, "location_id": shop.shop, "serial_number": "SN-9"}
        stock = StockTargets.model_validate({"targets": [target | {"quantity": 1}]})
        set_stock(session, tenant.actor, stock=stock)
    rows = [
        OPENING[0],
        {"location": "Front Store", "itemCode": "PHONE", "serial": "SN-9", "quantity": "1"},
        OPENING[3],
    ]
    view = run(database, tenant, stock_file(*rows), kind="stock")
    assert view.state == "done"
    assert [(e["row"], e["column"]) for e in view.errors] == [(3, "serial")], view.errors
    assert view.errors[0]["reason"].startswith("refused: ")
    assert (view.counts["updated"], view.counts["invalid"], view.counts["valid"]) == (2, 1, 2)
    now = held(database, tenant)
    assert now[("WH1", "BOLT", None, None, None, None)] == 12
    assert now[("WH1", "MILK", None, None, "L1", None)] == 8
    assert ("Front Store", "PHONE", None, None, None, "SN-9") not in now
    assert_ledger_consistent(database, tenant.company_id)


def test_numbers_and_text_past_their_bounds_are_faults_not_crashes(
    database: Database, tenant: Tenant
) -> None:
    make_shop(database, tenant)
    rows = [
        {"location": "WH1", "itemCode": "BOLT", "quantity": "1e30"},
        {"location": "WH1", "itemCode": "BOLT", "bin": "A1", "quantity": "0.0000001"},
        {"location": "WH1", "itemCode": "MILK", "batch": "x" * 101, "quantity": "1"},
        {"location": "WH1", "itemCode": "MILK", "batch": "L", "expiry": "2027-01-01T10:00"},
    ]
    view = run(database, tenant, stock_file(*rows), kind="stock")
    assert view.state == "failed"
    assert [(e["row"], e["column"]) for e in view.errors] == [
        (2, "quantity"),
        (3, "quantity"),
        (4, "batch"),
        (5, "expiry"),
        (5, "quantity"),
    ]
    assert view.errors[1]["reason"] == "must have at most 6 decimal places"
    assert movements(database, tenant) == 0


def test_a_job_a_crash_interrupted_resumes_without_setting_a_row_twice(
    database: Database, tenant: Tenant, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_shop(database, tenant)
    monkeypatch.setattr(jobs, "CHUNK_ROWS", 2)
    job_id = start(database, tenant, stock_file(*OPENING), kind="stock")
    real = kinds.KINDS["stock"]
    calls: list[int] = []

    def crashing(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("the process died")
        return real.apply(*args, **kwargs)

    monkeypatch.setitem(kinds.KINDS, "stock", dataclasses.replace(real, apply=crashing))
    with pytest.raises(RuntimeError):
        run_import(database, tenant.company_id, job_id)
    assert len(held(database, tenant)) == 2  # the first chunk's rows, committed
    view = run_import(database, tenant.company_id, job_id)
    assert (view.state, view.rows_done, view.counts["updated"]) == ("done", 6, 6)
    assert held(database, tenant) == HELD
    assert_ledger_consistent(database, tenant.company_id)
