"""Cursors at the service layer, where every face gets them: each listing service takes its
typed filters and a cursor; a cursor alone continues the list it was issued for, other
filters with it are ``InvalidCursor``, and so is a cursor of another list."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy.orm import Session

from stockkeeper.adjustments.service import list_adjustments
from stockkeeper.adjustments.values import AdjustmentFilters
from stockkeeper.alerts.service.alerts import list_alerts
from stockkeeper.alerts.values import AlertFilters
from stockkeeper.catalog.service.suppliers import list_suppliers
from stockkeeper.catalog.values import SupplierFilters
from stockkeeper.core.audit_trail import AuditFilters, list_audit_events
from stockkeeper.core.db import Database
from stockkeeper.core.errors import InvalidCursor
from stockkeeper.core.pagination import Listed as Page
from stockkeeper.core.values import Values
from stockkeeper.costing.service.stock_values import list_stock
from stockkeeper.purchasing.service import list_orders
from stockkeeper.purchasing.values import OrderFilters
from stockkeeper.sales.service import list_issues, list_returns
from stockkeeper.sales.values import SalesFilters
from stockkeeper.stock.service.items import list_items
from stockkeeper.stock.service.lot_levels import list_levels
from stockkeeper.stock.service.movements import list_movements
from stockkeeper.stock.service.reservations import list_reservations
from stockkeeper.stock.values import (
    ItemListing,
    LevelFilters,
    MovementFilters,
    ReservationFilters,
    StockListFilters,
)
from stockkeeper.tenancy.service import Actor
from stockkeeper.transfers.service import list_transfers
from stockkeeper.transfers.values import TransferFilters
from stockkeeper.webhooks.service.subscriptions import list_deliveries
from stockkeeper.webhooks.values import DeliveryFilters
from tests.listings import Listed, listed_company
from tests.support import Api

Rows = tuple[list[Any], str | None, int]


@dataclass(frozen=True)
class Case:
    """A listing service, its filters type, a filter that keeps some rows, another filter."""

    name: str
    call: Callable[..., Any]
    values: type[Values]
    some: Callable[[Listed], dict[str, Any]]
    other: Callable[[Listed], dict[str, Any]]

    def page(self, session: Session, actor: Actor, listed: Listed, **request: Any) -> Rows:
        filters = self.values.model_validate(request.pop("filters", {}))
        extra = {"webhook_id": listed.webhook} if self.call is list_deliveries else {}
        found = self.call(session, actor, filters=filters, **extra, **request)
        return (found.rows, found.next_cursor, found.counted) if isinstance(found, Page) else found


CASES = [
    Case("items", list_items, ItemListing, lambda c: {"search": "bolt", "order": "desc"},
         lambda c: {"search": "bolt"}),
    Case("stock", list_stock, StockListFilters, lambda c: {"location_id": c.here},
         lambda c: {"location_id": c.there}),
    Case("stock valued", list_stock, StockListFilters, lambda c: {"value_min": "5"},
         lambda c: {"value_max": "5"}),
    Case("movements", list_movements, MovementFilters, lambda c: {"item_id": c.bolts[0]},
         lambda c: {"item_id": c.nut}),
    Case("levels", list_levels, LevelFilters, lambda c: {"location_id": c.here},
         lambda c: {"location_id": c.there}),
    Case("reservations", list_reservations, ReservationFilters,
         lambda c: {"location_id": c.here}, lambda c: {"location_id": c.there}),
    Case("adjustments", list_adjustments, AdjustmentFilters, lambda c: {"location_id": c.here},
         lambda c: {"location_id": c.there}),
    Case("transfers", list_transfers, TransferFilters, lambda c: {"from_location_id": c.here},
         lambda c: {"from_location_id": c.there}),
    Case("purchase orders", list_orders, OrderFilters, lambda c: {"supplier_id": c.supplier},
         lambda c: {"supplier_id": c.other_supplier}),
    Case("issues", list_issues, SalesFilters, lambda c: {"location_id": c.here},
         lambda c: {"location_id": c.there}),
    Case("returns", list_returns, SalesFilters, lambda c: {"location_id": c.here},
         lambda c: {"location_id": c.there}),
    Case("alerts", list_alerts, AlertFilters, lambda c: {"location_id": c.here},
         lambda c: {"location_id": c.there}),
    Case("deliveries", list_deliveries, DeliveryFilters, lambda c: {"status": "pending"},
         lambda c: {"status": "failed"}),
    Case("audit", list_audit_events, AuditFilters, lambda c: {"action": "item.created"},
         lambda c: {"action": "item.updated"}),
    Case("suppliers", list_suppliers, SupplierFilters, lambda c: {"active": True},
         lambda c: {"active": False}),
]  # fmt: skip


@pytest.fixture
def listed(api: Api, database: Database) -> Listed:
    return listed_company(api, database)


def test_a_cursor_alone_continues_its_list(api: Api, database: Database, listed: Listed) -> None:
    actor = api.tenant.actor
    with database.unit_of_work(write=False) as session:
        for case in CASES:
            everything = case.page(session, actor, listed, limit=200, cursor=None)
            some = case.some(listed)
            rows, _, total = case.page(session, actor, listed, filters=some, limit=200, cursor=None)
            assert 2 <= total == len(rows) < everything[2], case.name
            first, cursor, first_total = case.page(
                session, actor, listed, filters=some, limit=1, cursor=None
            )
            assert cursor is not None and first_total == total, case.name
            rest, after, rest_total = case.page(session, actor, listed, limit=200, cursor=cursor)
            assert (first + rest, after, rest_total) == (rows, None, total), case.name
            again = case.page(session, actor, listed, filters=some, limit=200, cursor=cursor)
            assert again == (rest, None, total), case.name


def test_a_cursor_with_other_filters_is_invalid(
    api: Api, database: Database, listed: Listed
) -> None:
    actor = api.tenant.actor
    with database.unit_of_work(write=False) as session:
        for case in CASES:
            some, other = case.some(listed), case.other(listed)
            _, cursor, _ = case.page(session, actor, listed, filters=some, limit=1, cursor=None)
            with pytest.raises(InvalidCursor) as refused:
                case.page(session, actor, listed, filters=other, limit=1, cursor=cursor)
            differ = {key for key in {*some, *other} if some.get(key) != other.get(key)}
            assert {error.field for error in refused.value.errors} == differ, case.name


def test_a_cursor_of_another_list_is_invalid(api: Api, database: Database, listed: Listed) -> None:
    actor = api.tenant.actor
    with database.unit_of_work(write=False) as session:
        cursors = {
            case.name: case.page(session, actor, listed, filters=case.some(listed), limit=1,
                                 cursor=None)[1]
            for case in CASES
        }  # fmt: skip
        for case, other in zip(CASES, CASES[2:] + CASES[:2], strict=True):
            with pytest.raises(InvalidCursor, match="another list"):
                case.page(session, actor, listed, limit=1, cursor=cursors[other.name])
