"""Closing the books: the lines up to the lock date are kept as they stood; what changes that
past later is booked as a correcting entry on the first day after it."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from stockkeeper.core.db import Database
from tests.bookkeeping.test_journals import balance, entries, journal, set_method, tie_out
from tests.support import Api


def _lock(api: Api, day: str | None) -> None:
    api.data(api.put("/api/v1/settings", {"lockDate": day}))


def _sell(api: Api, location: str, item: str, quantity: int, day: str) -> None:
    body = {"locationId": location, "date": day, "items": [{"itemId": item, "quantity": quantity}]}
    api.data(api.post("/api/v1/inventory/issues", body), 201)


def test_kept_entries_stay_and_changes_are_corrected_after_them(
    api: Api, database: Database
) -> None:
    set_method(api, "fifo")
    location, item = api.location()["id"], api.item()["id"]
    api.adjust(location, (item, 10, 10), date="2026-01-05")
    api.adjust(location, (item, 10, 12), date="2026-01-06")
    _sell(api, location, item, 15, "2026-01-07")
    _lock(api, "2026-01-31")
    january = journal(api, dateTo="2026-01-31")
    assert january["keptUntil"] == "2026-01-31"
    assert {line["kept"] for line in january["lines"]} == {True}

    set_method(api, "lifo")  # the past is worth something else now
    assert journal(api, dateTo="2026-01-31")["lines"] == january["lines"]
    february = journal(api, dateFrom="2026-02-01", dateTo="2026-02-28")
    assert list(entries(february).values()) == [
        [("inventory", "acc_inventory", 0, 10), ("cost_of_sales", "acc_cogs", 10, 0)]
    ]
    assert {
        (line["kind"], line["date"], line["entryId"], line["kept"]) for line in february["lines"]
    } == {("correction", "2026-02-01", "correction-2026-02-01", False)}
    closed = tie_out(api, asOfDate="2026-01-31")
    assert (closed["valuation"], closed["journalBalance"], closed["difference"]) == (50, 60, -10)
    (cause,) = closed["causes"]
    assert (cause["date"], cause["kind"], cause["inJournals"], cause["fromLedger"]) == (
        "2026-01-07",
        "movement",
        -160,
        -170,
    )
    after = tie_out(api, asOfDate="2026-02-01")
    assert (after["valuation"], after["journalBalance"], after["difference"]) == (50, 50, 0)

    # the lock cleared, a movement dated into the kept past: kept lines still stand
    _lock(api, None)
    api.adjust(location, (item, 10, 6), date="2026-01-03")
    assert journal(api, dateTo="2026-01-31")["lines"] == january["lines"]
    corrected = journal(api, dateFrom="2026-02-01", dateTo="2026-02-28")
    # by LIFO 10 @ 6 and 5 @ 10 are left at the end of January, where 60 was kept
    assert balance(corrected) == 110 - 60
    now = tie_out(api, asOfDate="2026-02-01")
    assert (now["valuation"], now["journalBalance"], now["difference"]) == (110, 110, 0)

    # moved forward again: the correction is kept with February, nothing is left to correct
    _lock(api, "2026-02-28")
    kept = journal(api, dateFrom="2026-02-01", dateTo="2026-02-28")
    assert kept["lines"] == [{**line, "kept": True} for line in corrected["lines"]]
    assert journal(api, dateFrom="2026-03-01", dateTo="2026-03-31")["lines"] == []
    assert tie_out(api, asOfDate="2026-03-01")["difference"] == 0

    with database.engine.begin() as connection, pytest.raises(DBAPIError):
        connection.execute(text("UPDATE kept_journal_line SET amount = 0"))
    with database.engine.begin() as connection, pytest.raises(DBAPIError):
        connection.execute(text("DELETE FROM kept_journal_line"))


def test_a_new_standard_cost_revalues_the_kept_past_on_the_first_open_day(api: Api) -> None:
    set_method(api, "standard")
    location = api.location()["id"]
    item = api.item(pricing={"costPrice": 5, "standardCost": 5})["id"]
    api.adjust(location, (item, 10, 5), date="2026-01-05")
    _lock(api, "2026-01-31")
    api.data(api.put(f"/api/v1/items/{item}", {"pricing": {"standardCost": 5.5}}))
    assert balance(journal(api, dateTo="2026-01-31")) == 50  # as kept
    (correction,) = entries(journal(api, dateFrom="2026-02-01", dateTo="2026-02-01")).values()
    assert correction == [
        ("inventory", "acc_inventory", 5, 0),
        ("adjustment", "acc_inventory_adjustments", 0, 5),
    ]
    assert tie_out(api, asOfDate="2026-02-01")["valuation"] == 55
    assert tie_out(api, asOfDate="2026-02-01")["difference"] == 0
