"""What the document screens' tests stand on: a warehouse of the test's company and a
stock item with a code, made through the services."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from stockkeeper.adjustments import service as adjustments
from stockkeeper.adjustments.values import NewAdjustment
from stockkeeper.core.db import Database
from stockkeeper.reports.service.valuation import valuation_report
from stockkeeper.reports.values import ValuationFilters
from stockkeeper.stock.service.queries import item_stock
from tests.factories import new_item, new_location
from tests.support import Tenant, unique


@dataclass(frozen=True)
class Place:
    location_id: str
    item_id: str
    code: str


def make_place(database: Database, tenant: Tenant) -> Place:
    code = unique("WEB")
    with database.unit_of_work() as session:
        location_id = new_location(session, tenant.actor)
        item_id = new_item(session, tenant.actor, item_code=code)
    return Place(location_id, item_id, code)


def on_hand(
    database: Database, tenant: Tenant, item_id: str, location_id: str | None = None
) -> Decimal:
    """The item's stock on hand: in all, or at one location."""
    with database.unit_of_work() as session:
        stock = item_stock(session, tenant.company_id, [item_id])[item_id]
    if location_id is None:
        return stock.on_hand
    figures = stock.locations.get(location_id)
    return figures.on_hand if figures is not None else Decimal(0)


def stock_up(database: Database, tenant: Tenant, place: Place, quantity: str) -> None:
    """Brings ``quantity`` of the place's item into its location (an adjustment, posted)."""
    values = {
        "reason": "found",
        "location_id": place.location_id,
        "items": [{"item_id": place.item_id, "adjustment_quantity": quantity, "unit_cost": "2"}],
    }
    with database.unit_of_work() as session:
        adjustments.create_adjustment(
            session, tenant.actor, adjustment=NewAdjustment.model_validate(values)
        )


def valued(database: Database, tenant: Tenant, day: date | None = None) -> Decimal:
    """The stock's value by the valuation report (at the end of ``day``, today if not given)."""
    with database.unit_of_work() as session:
        report = valuation_report(session, tenant.actor, filters=ValuationFilters(as_of_date=day))
    total: Decimal = report.document["summary"]["total_value"]
    return total
