"""The tie-out as a property: over random histories (receipts, issues, transfers, value
adjustments, customer returns, backdated movements, the lock date moving forward or cleared,
changes of costing method), every entry balances and, at every date, the valuation less the
journals' inventory balance is zero after the kept period, and inside it exactly what the
entries listed as its causes make."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stockkeeper.core.db import Database
from tests.support import Api, make_tenant

START = date(2026, 1, 1)
D = Decimal
METHODS = ("fifo", "lifo", "average", "standard")
KINDS = ("receipt", "receipt", "issue", "transfer", "value", "return", "lock", "method")

Step = tuple[str, int, int, int, int]  # kind, day, location, quantity, cents


@st.composite
def histories(draw: st.DrawFn) -> tuple[str, list[Step]]:
    steps = [
        (
            draw(st.sampled_from(KINDS)),
            draw(st.integers(0, 40)),
            draw(st.integers(0, 1)),
            draw(st.integers(1, 9)),
            draw(st.integers(1, 2500)),
        )
        for _ in range(draw(st.integers(3, 14)))
    ]
    return draw(st.sampled_from(METHODS)), steps


class History:
    """Plays steps through the API, keeping what it needs to stay valid."""

    def __init__(self, api: Api) -> None:
        self.api = api
        self.locations = [api.location()["id"], api.location(type="store")["id"]]
        self.item = api.item(pricing={"costPrice": 7, "standardCost": 7.13})["id"]
        self.held = [0, 0]
        self.issues: list[tuple[str, int, str]] = []  # issue id, quantity, location
        self.lock: date | None = None
        self.days: set[date] = set()

    def day(self, offset: int) -> date:
        """A day after the lock date: a backdated one when the offset is early."""
        day = START + timedelta(days=offset)
        return max(day, self.lock + timedelta(days=1)) if self.lock else day

    def play(self, step: Step) -> None:
        kind, offset, at, quantity, cents = step
        day = self.day(offset)
        location = self.locations[at]
        api = self.api
        if kind == "receipt":
            api.adjust(location, (self.item, quantity, float(D(cents) / 100)), date=str(day))
            self.held[at] += quantity
        elif kind == "issue" and self.held[at]:
            quantity = min(quantity, self.held[at])
            body = {
                "locationId": location,
                "date": str(day),
                "items": [{"itemId": self.item, "quantity": quantity}],
            }
            issue = api.data(api.post("/api/v1/inventory/issues", body), 201)
            self.issues.append((issue["id"], quantity, location))
            self.held[at] -= quantity
        elif kind == "transfer" and self.held[at]:
            quantity = min(quantity, self.held[at])
            body = {
                "date": str(day),
                "fromLocationId": location,
                "toLocationId": self.locations[1 - at],
                "items": [{"itemId": self.item, "quantity": quantity}],
            }
            api.create("/api/v1/inventory/transfers", body)
            self.held[at] -= quantity
            self.held[1 - at] += quantity
        elif kind == "value" and self.held[at]:
            body = {
                "adjustmentType": "value",
                "reason": "found",
                "locationId": location,
                "date": str(day),
                "items": [{"itemId": self.item, "valueAdjusted": float(round(D(cents) / 300, 6))}],
            }
            api.create("/api/v1/inventory/adjustments", body)
        elif kind == "return" and self.issues:
            issue, sold, where = self.issues.pop()
            body = {
                "locationId": where,
                "issueId": issue,
                "date": str(day),
                "items": [{"itemId": self.item, "quantity": min(quantity, sold)}],
            }
            api.create("/api/v1/inventory/returns", body)
            self.held[self.locations.index(where)] += min(quantity, sold)
        elif kind == "lock":
            # forward by the offset's parity, else cleared (so the kept past can change)
            self.lock = day if offset % 3 else None
            api.data(api.put("/api/v1/settings", {"lockDate": str(day) if self.lock else None}))
        elif kind == "method":
            method = METHODS[cents % 4]
            api.data(api.put("/api/v1/settings", {"defaultCostingMethod": method}))
        self.days |= {day, day + timedelta(days=1)}


def _check_entries(api: Api) -> None:
    query = {"dateFrom": str(START), "dateTo": "2026-12-31"}
    report = api.data(api.get("/api/v1/accounting/journals", params=query))
    per_entry: defaultdict[str, Decimal] = defaultdict(Decimal)
    for line in report["lines"]:
        per_entry[line["entryId"]] += D(str(line["debit"])) - D(str(line["credit"]))
    assert all(total == 0 for total in per_entry.values()), per_entry
    assert report["totalDebit"] == report["totalCredit"]


def _check_tie_out(api: Api, day: date) -> None:
    tie: dict[str, Any] = api.data(
        api.get("/api/v1/accounting/reconciliation", params={"asOfDate": str(day)})
    )
    kept = tie["keptUntil"]
    difference = D(str(tie["difference"]))
    if kept is None or str(day) > kept:
        assert difference == 0, tie
    explained = sum(
        (D(str(c["fromLedger"])) - D(str(c["inJournals"])) for c in tie["causes"]), D(0)
    )
    assert difference == explained, tie
    # the balance is the journals' own: their inventory lines to the day, summed
    query = {"dateFrom": str(START), "dateTo": str(day)}
    lines = api.data(api.get("/api/v1/accounting/journals", params=query))["lines"]
    summed: defaultdict[str, Decimal] = defaultdict(Decimal)
    for line in lines:
        if line["role"] == "inventory":
            summed[line["locationId"]] += D(str(line["debit"])) - D(str(line["credit"]))
    for row in tie["locations"]:
        assert D(str(row["journalBalance"])) == summed[row["locationId"]], (row, summed)
        assert D(str(row["difference"])) == D(str(row["valuation"])) - D(str(row["journalBalance"]))


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(history=histories())
def test_journals_tie_out_with_the_valuation_at_every_date(
    client: TestClient, database: Database, history: tuple[str, list[Step]]
) -> None:
    method, steps = history
    tenant = make_tenant(database)
    api = Api(client, tenant, tenant.admin_key)
    api.data(api.put("/api/v1/settings", {"defaultCostingMethod": method}))
    played = History(api)
    for step in steps:
        played.play(step)
    _check_entries(api)
    for day in sorted(played.days):
        _check_tie_out(api, day)
