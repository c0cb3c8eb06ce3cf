"""Non-stock items and services on sales issues and customer returns: recorded with their
quantities and costs (their cost price, or the cost they went out with), with no stock check,
no movement and no cost layer; a mixed document moves its stock lines only."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import event, func, select
from sqlalchemy.orm import Session

from stockkeeper.core import outbox
from stockkeeper.core.audit import AuditEvent
from stockkeeper.core.db import Database
from stockkeeper.sales import service
from stockkeeper.sales.values import NewIssue, NewReturn, SalesLine
from stockkeeper.stock.models import Movement, StockLevel
from stockkeeper.tenancy.service import Actor
from tests.factories import new_item, new_location
from tests.invariants import assert_ledger_consistent
from tests.support import Api, Tenant, as_json, problem, unique

ISSUES = "/api/v1/inventory/issues"
RETURNS = "/api/v1/inventory/returns"
YEAR = dt.date.today().year


def _movements(api: Api, **params: Any) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = api.data(api.get("/api/v1/inventory/movements", params=params))
    return found


def _untouched(api: Api, item: str) -> None:
    """The item has no stock row, no movement, nothing reserved and no cost figures."""
    assert api.stock(itemId=item) == []
    assert _movements(api, itemId=item) == []
    read = api.data(api.get(f"/api/v1/items/{item}"))
    inventory = read["inventory"]
    assert (inventory["currentStock"], inventory["reservedStock"]) == (0, 0)
    assert (read["costs"]["lastCostPrice"], read["locations"]) == (None, [])


def _lines(document: dict[str, Any]) -> list[tuple[Any, Any, Any]]:
    return [(line["quantity"], line["unitCost"], line["totalCost"]) for line in document["items"]]


def test_a_mixed_issue_moves_its_stock_lines_and_records_the_rest_at_cost_price(
    api: Api, database: Database
) -> None:
    shop = api.location(type="store")["id"]
    stock = api.item()["id"]
    service_ = api.item(type="service", pricing={"costPrice": 40})["id"]
    non_stock = api.item(type="non_inventory", pricing={"costPrice": "2.5"})["id"]
    untracked = api.item(inventory={"tracked": False}, pricing={"costPrice": 1})["id"]
    api.adjust(shop, (stock, 10, 5))
    issue = api.create(
        ISSUES,
        {
            "locationId": shop,
            "reference": "INV-NS-1",
            "items": [
                {"itemId": service_, "quantity": 2, "notes": "installation"},
                {"itemId": stock, "quantity": 4},
                {"itemId": non_stock, "quantity": 1000},  # never in stock: no check
                {"itemId": untracked, "quantity": 3},
            ],
        },
    )
    assert issue["documentNumber"] == f"ISS-{YEAR}-0001"
    assert _lines(issue) == [(2, 40, 80), (4, 5, 20), (1000, 2.5, 2500), (3, 1, 3)]
    assert issue["totalValue"] == 2603
    assert issue["items"][0]["notes"] == "installation"
    movements = _movements(api, reference="INV-NS-1")
    assert [(m["itemId"], m["type"], m["quantity"]) for m in movements] == [(stock, "sale", -4)]
    [row] = api.stock(itemId=stock)
    assert (row["currentStock"], row["stockValue"]) == (6, 30)
    for item in (service_, non_stock, untracked):
        _untouched(api, item)
    assert api.data(api.get(f"{ISSUES}/{issue['id']}")) == issue
    assert [d["id"] for d in api.data(api.get(ISSUES, params={"itemId": service_}))] == [
        issue["id"]
    ]
    assert_ledger_consistent(database, api.tenant.company_id)


def test_services_come_back_at_the_cost_they_went_out_with_moving_nothing(
    api: Api, database: Database
) -> None:
    shop = api.location(type="store")["id"]
    stock = api.item()["id"]
    service_ = api.item(type="service", pricing={"costPrice": 40})["id"]
    api.adjust(shop, (stock, 5, 3))
    issue = api.create(
        ISSUES,
        {
            "locationId": shop,
            "items": [{"itemId": service_, "quantity": 3}, {"itemId": stock, "quantity": 2}],
        },
    )
    api.data(api.put(f"/api/v1/items/{service_}", {"pricing": {"costPrice": 55}}))
    back = api.create(
        RETURNS,
        {
            "locationId": shop,
            "issueId": issue["id"],
            "items": [{"itemId": service_, "quantity": 2}, {"itemId": stock, "quantity": 1}],
        },
    )
    assert _lines(back) == [(2, 40, 80), (1, 3, 3)]  # the issue's cost, not today's price
    assert back["totalValue"] == 83
    too_many = api.post(
        RETURNS,
        {
            "locationId": shop,
            "issueId": issue["id"],
            "items": [{"itemId": service_, "quantity": 2}],
        },
    )
    assert problem(too_many, 422, "more_than_issued")["errors"][0]["field"] == "items.0.quantity"
    unnamed = api.create(
        RETURNS, {"locationId": shop, "items": [{"itemId": service_, "quantity": 1}]}
    )
    assert _lines(unnamed) == [(1, 55, 55)]  # no issue named: at its cost price
    kinds = sorted((m["itemId"], m["type"], m["quantity"]) for m in _movements(api))
    assert kinds == sorted([(stock, "adjustment", 5), (stock, "sale", -2), (stock, "return", 1)])
    assert api.stock(itemId=stock)[0]["currentStock"] == 4
    _untouched(api, service_)
    assert_ledger_consistent(database, api.tenant.company_id)


def test_a_short_stock_line_refuses_the_whole_mixed_issue(api: Api, database: Database) -> None:
    shop = api.location(type="store")["id"]
    stock, service_ = api.item()["id"], api.item(type="service")["id"]
    api.adjust(shop, (stock, 1, 1))
    short = api.post(
        ISSUES,
        {
            "locationId": shop,
            "items": [{"itemId": service_, "quantity": 1}, {"itemId": stock, "quantity": 2}],
        },
    )
    body = problem(short, 409, "insufficient_stock")
    assert [s["itemId"] for s in body["shortages"]] == [stock]
    assert api.data(api.get(ISSUES)) == []
    only = api.create(ISSUES, {"locationId": shop, "items": [{"itemId": service_, "quantity": 1}]})
    assert only["documentNumber"] == f"ISS-{YEAR}-0001"  # the refusal consumed no number
    assert api.stock(itemId=stock)[0]["currentStock"] == 1
    assert_ledger_consistent(database, api.tenant.company_id)


def test_an_issue_that_moves_nothing_is_dated_as_one_that_does(
    api: Api, database: Database
) -> None:
    shop = api.location(type="store")["id"]
    service_ = api.item(type="service")["id"]
    later = (dt.date.today() + dt.timedelta(days=3)).isoformat()
    lines = [{"itemId": service_, "quantity": 1}]
    ahead = api.post(ISSUES, {"locationId": shop, "date": later, "items": lines})
    assert problem(ahead, 422, "future_date")["errors"][0]["field"] == "date"
    api.data(api.put("/api/v1/settings", {"lockDate": "2026-01-31"}))
    locked = api.post(ISSUES, {"locationId": shop, "date": "2026-01-15", "items": lines})
    problem(locked, 409, "period_locked")
    assert api.data(api.get(ISSUES)) == []
    assert api.create(ISSUES, {"locationId": shop, "items": lines})["documentNumber"] == (
        f"ISS-{YEAR}-0001"
    )
    assert_ledger_consistent(database, api.tenant.company_id)


@pytest.mark.parametrize("path", [ISSUES, RETURNS])
def test_lots_bins_and_inactive_items_are_refused_on_lines_that_move_nothing(
    api: Api, database: Database, path: str
) -> None:
    shop = api.location(type="store")["id"]
    bin_ = api.create(f"/api/v1/locations/{shop}/bins", {"code": unique("B")})
    service_ = api.item(type="service")["id"]
    for extra, field in (
        ({"batches": [{"batchNumber": "L1", "quantity": 1}]}, "items.1.batches"),
        ({"serialNumbers": ["SN-1"]}, "items.1.serialNumbers"),
        ({"binId": bin_["id"]}, "items.1.binId"),
    ):
        lines = [{"itemId": service_, "quantity": 1}, {"itemId": service_, "quantity": 1, **extra}]
        refused = api.post(path, {"locationId": shop, "items": lines})
        body = problem(refused, 422, "invalid_lots")
        assert [(e["field"], e["code"]) for e in body["errors"]] == [(field, "contradicts_item")]
    inactive = api.item(type="non_inventory")["id"]
    api.data(api.put(f"/api/v1/items/{inactive}", {"isActive": False}))
    variant = api.item(variants=[{"name": "Red", "itemCode": unique("V")}])["variants"][0]
    refused = api.post(
        path,
        {
            "locationId": shop,
            "items": [
                {"itemId": inactive, "quantity": 1},
                {"itemId": service_, "variantId": variant["id"], "quantity": 1},
                {"itemId": "item_missing", "quantity": 1},
            ],
        },
    )
    body = problem(refused, 422, "item_cannot_move")
    assert [(e["field"], e["code"]) for e in body["errors"]] == [
        ("items.0.itemId", "inactive_item"),
        ("items.1.variantId", "unknown_reference"),
        ("items.2.itemId", "unknown_reference"),
    ]
    assert api.data(api.get(path)) == []
    assert_ledger_consistent(database, api.tenant.company_id)


def test_an_issue_costs_the_same_statements_whatever_the_number_of_service_lines(
    api: Api, database: Database
) -> None:
    shop = api.location(type="store")["id"]
    stock = api.item()["id"]
    services = [api.item(type="service")["id"] for _ in range(20)]
    api.adjust(shop, (stock, 100, 1))

    def statements_for(count: int) -> int:
        lines = [{"itemId": s, "quantity": 1} for s in [stock, *services[:count]]]
        seen: list[str] = []

        def counted(*args: Any) -> None:
            seen.append(args[2])

        event.listen(database.engine, "before_cursor_execute", counted)
        try:
            api.create(ISSUES, {"locationId": shop, "items": lines})
        finally:
            event.remove(database.engine, "before_cursor_execute", counted)
        return len(seen)

    statements_for(1)  # a first posting may warm caches
    assert statements_for(1) == statements_for(20)
    assert_ledger_consistent(database, api.tenant.company_id)


# --- through the service layer: events and audit rows --------------------------------------


@pytest.fixture
def actor(tenant: Tenant) -> Actor:
    return tenant.actor


def _announced(session: Session, name: str) -> list[dict[str, Any]]:
    return [m["data"]["object"] for m in outbox.pending(session) if m["event"] == name]


def test_an_issue_of_services_only_is_announced_and_audited_and_moves_nothing(
    session: Session, actor: Actor
) -> None:
    location = new_location(session, actor)
    service_item = new_item(session, actor, type="service", pricing={"cost_price": 30})
    issue = service.create_issue(
        session,
        actor,
        issue=NewIssue(
            location_id=location, items=[SalesLine(item_id=service_item, quantity=Decimal(2))]
        ),
    )
    assert issue.data["totalValue"] == 60
    assert _announced(session, "inventory.issue") == [as_json(issue.data)]
    back = service.create_return(
        session,
        actor,
        customer_return=NewReturn(
            issue_id=issue.document.id,
            location_id=location,
            items=[SalesLine(item_id=service_item, quantity=Decimal(1))],
        ),
    )
    assert _announced(session, "inventory.return") == [as_json(back.data)]
    assert _announced(session, "inventory.level") == []
    audit = session.execute(
        select(AuditEvent.action, AuditEvent.details)
        .where(
            AuditEvent.company_id == actor.company_id,
            AuditEvent.entity_type.in_(["issue", "return"]),
        )
        .order_by(AuditEvent.occurred_at, AuditEvent.id)
    ).all()
    assert [(action, d["lines"], d["total_value"]) for action, d in audit] == [
        ("issue.posted", 1, 60),
        ("return.posted", 1, 30),
    ]
    moved = session.scalar(
        select(func.count()).select_from(Movement).where(Movement.company_id == actor.company_id)
    )
    held = session.scalar(
        select(func.count())
        .select_from(StockLevel)
        .where(StockLevel.company_id == actor.company_id)
    )
    assert (moved, held) == (0, 0)
