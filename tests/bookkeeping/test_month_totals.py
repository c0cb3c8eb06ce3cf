"""A settled month's journals per account and day come from each item's kept sums, which
hold until the item's cost revision, the method or the standard cost changes; accounts are
looked up as they are read."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select, update

from stockkeeper.bookkeeping.models import JournalMonth
from stockkeeper.core.db import Database
from tests.bookkeeping.test_journals import _sell, journal, set_method
from tests.support import Api

D = Decimal


def _per_day(report: dict[str, Any]) -> dict[tuple[str, str], tuple[Decimal, Decimal]]:
    """(day, account code) -> debit, credit: from the daily view."""
    return {
        (day["date"], day["accountCode"]): (D(str(day["debit"])), D(str(day["credit"])))
        for day in report["days"]
    }


def _lines_per_day(report: dict[str, Any]) -> dict[tuple[str, str], tuple[Decimal, Decimal]]:
    """The same, summed from the lines, one movement at a time."""
    found: defaultdict[tuple[str, str], list[Decimal]] = defaultdict(lambda: [D(0), D(0)])
    for line in report["lines"]:
        at = found[(line["date"], line["accountCode"])]
        at[0] += D(str(line["debit"]))
        at[1] += D(str(line["credit"]))
    return {key: (debit, credit) for key, (debit, credit) in found.items()}


def _agrees(api: Api, **params: Any) -> dict[tuple[str, str], tuple[Decimal, Decimal]]:
    daily = _per_day(journal(api, view="daily", **params))
    assert daily == _lines_per_day(journal(api, **params))
    return daily


def _history(api: Api) -> tuple[str, str, str]:
    """Receipts, sales, a transfer, a loss with a reason that names its account and a value
    adjustment whose line names its own, in the spring; days in and out at one location."""
    api.create("/api/v1/accounts", {"code": "6100", "name": "Shrinkage", "type": "expense"})
    own = api.create("/api/v1/accounts", {"code": "6200", "name": "Write-ups", "type": "income"})
    api.data(api.put("/api/v1/inventory/adjustment-reasons/damaged", {"accountId": "6100"}))
    here, there = api.location()["id"], api.location()["id"]
    item = api.item(pricing={"costPrice": 4, "standardCost": 5})["id"]
    api.adjust(here, (item, 10, 4), date="2026-03-02")
    api.adjust(here, (item, 10, 6), date="2026-03-05")
    _sell(api, here, item, 3, "2026-03-05")
    _sell(api, here, item, 4, "2026-04-10")
    api.adjust(here, (item, -2), date="2026-04-11", reason="damaged")
    value = {"itemId": item, "valueAdjusted": 6, "accountId": own["id"]}
    api.create(
        "/api/v1/inventory/adjustments",
        {
            "adjustmentType": "value",
            "reason": "found",
            "locationId": here,
            "date": "2026-04-11",
            "items": [value],
        },
    )
    transfer = {
        "fromLocationId": here,
        "toLocationId": there,
        "date": "2026-04-12",
        "items": [{"itemId": item, "quantity": 5}],
    }
    api.data(api.post("/api/v1/inventory/transfers", transfer), 201)
    return here, there, item


def _kept_months(database: Database, company_id: str) -> int:
    with database.unit_of_work(write=False) as session:
        return int(
            session.scalar(select(func.count()).where(JournalMonth.company_id == company_id)) or 0
        )


def test_the_daily_view_is_the_lines_summed_and_is_kept_per_settled_month(
    api: Api, database: Database
) -> None:
    here, _, item = _history(api)
    first = _agrees(api)
    # the reason's account and the line's own, looked up as read
    assert ("2026-04-11", "6100") in first and ("2026-04-11", "6200") in first
    assert _kept_months(database, api.tenant.company_id) > 0
    assert _agrees(api) == first  # read from what was kept
    assert _agrees(api, dateFrom="2026-03-05", dateTo="2026-04-10") == {
        key: sums for key, sums in first.items() if "2026-03-05" <= key[0] <= "2026-04-10"
    }
    assert _agrees(api, itemId=item, locationId=here, accountId="6100")


def test_kept_sums_are_read_until_a_backdated_movement_voids_them(
    api: Api, database: Database
) -> None:
    here, _, item = _history(api)
    _agrees(api)
    # the kept sums are what the report reads: one changed behind its back shows...
    with database.unit_of_work() as session:
        session.execute(
            update(JournalMonth)
            .where(JournalMonth.item_id == item, JournalMonth.month == date(2026, 3, 1))
            .values(totals="2\tinventory\t" + here + "\t\t1000\t0")
        )
    daily = _per_day(journal(api, view="daily"))
    assert daily[("2026-03-02", "acc_inventory")] == (D(1000), D(0))
    # ...until a movement dated in that past raises the item's revision
    api.adjust(here, (item, 1, 4), date="2026-03-20")
    after = _agrees(api)
    assert after[("2026-03-02", "acc_inventory")] == (D(40), D(0))
    assert after[("2026-03-20", "acc_inventory")] == (D(4), D(0))


def test_a_changed_account_method_or_standard_cost_shows_at_once(
    api: Api, database: Database
) -> None:
    _, _, item = _history(api)
    before = _agrees(api)
    assert ("2026-03-05", "acc_cogs") in before
    api.create("/api/v1/accounts", {"code": "5100", "name": "Cost of parts", "type": "expense"})
    api.data(api.put(f"/api/v1/items/{item}", {"accounting": {"expenseAccountId": "5100"}}))
    moved = _agrees(api)
    assert ("2026-03-05", "5100") in moved and ("2026-03-05", "acc_cogs") not in moved
    set_method(api, "fifo")
    fifo = _agrees(api)
    set_method(api, "standard")
    standard = _agrees(api)
    assert standard != fifo
    api.data(api.put(f"/api/v1/items/{item}", {"pricing": {"standardCost": 7}}))
    assert _agrees(api) != standard
    assert _kept_months(database, api.tenant.company_id) > 0
