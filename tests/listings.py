"""One company with a few rows in every cursor-paged list, each list with a filter that
keeps some of its rows and not others: what the cursor tests page through."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import insert, select

from stockkeeper.core.db import Database, table_of
from stockkeeper.core.outbox import OutboxEvent
from stockkeeper.core.types import utcnow
from stockkeeper.webhooks.models import WebhookDelivery
from stockkeeper.webhooks.service.subscriptions import delivery_row
from tests.support import Api, unique


@dataclass(frozen=True)
class Listed:
    """The ids the lists are filtered by."""

    here: str  # a warehouse with two of everything
    there: str  # a warehouse with one
    bolts: tuple[str, str]  # items found by "bolt"
    nut: str
    supplier: str  # two purchase orders
    other_supplier: str
    webhook: str  # two pending deliveries and a failed one


def _documents(api: Api, path: str, listed: Listed, **fields: Any) -> None:
    """Three documents: of each bolt here, of the nut there."""
    for item, location in [(b, listed.here) for b in listed.bolts] + [(listed.nut, listed.there)]:
        line = {"itemId": item, "quantity": 1, **fields}
        api.create(path, {"locationId": location, "items": [line]})


def _deliveries(api: Api, database: Database, webhook: str) -> None:
    company = api.tenant.company_id
    with database.unit_of_work() as session:
        events = session.scalars(
            select(OutboxEvent.id).where(OutboxEvent.company_id == company).limit(3)
        ).all()
        now = utcnow()
        rows = [
            delivery_row(company, webhook, event, "inventory.adjustment", now) for event in events
        ]
        rows[-1]["status"] = "failed"
        session.execute(insert(table_of(WebhookDelivery)), rows)


def listed_company(api: Api, database: Database) -> Listed:
    here, there = api.location()["id"], api.location()["id"]
    thresholds = {"inventory": {"minimumStock": 100}}  # every level raises a low-stock alert
    bolts = (
        api.item(name=unique("Cursor bolt"), **thresholds)["id"],
        api.item(name=unique("Cursor bolt"), **thresholds)["id"],
    )
    nut = api.item(name=unique("Cursor nut"), **thresholds)["id"]
    supplier, other_supplier = api.supplier()["id"], api.supplier()["id"]
    api.supplier(active=False)
    hook = api.create(
        "/api/v1/webhooks", {"url": "http://127.0.0.1:9/hook", "events": ["inventory.adjustment"]}
    )
    listed = Listed(here, there, bolts, nut, supplier, other_supplier, hook["id"])
    for item in bolts:
        api.adjust(here, (item, 10, 1))
    api.adjust(there, (nut, 10, "0.1"))
    for item, source, target in [(b, here, there) for b in bolts] + [(nut, there, here)]:
        line = {"itemId": item, "quantity": 1}
        body = {"status": "draft", "fromLocationId": source, "toLocationId": target}
        api.create("/api/v1/inventory/transfers", {**body, "items": [line]})
    for item, supplier_id, location in [
        (bolts[0], supplier, here),
        (bolts[1], supplier, here),
        (nut, other_supplier, there),
    ]:
        line = {"itemId": item, "quantity": 1, "unitCost": 1}
        body = {"supplierId": supplier_id, "locationId": location, "items": [line]}
        api.create("/api/v1/purchase-orders", body)
    _documents(api, "/api/v1/inventory/issues", listed)
    _documents(api, "/api/v1/inventory/returns", listed)
    for item, location in [(b, here) for b in bolts] + [(nut, there)]:
        body = {"itemId": item, "locationId": location, "quantity": 1}
        api.create("/api/v1/inventory/reservations", body)
    for location in (here, here, there):
        api.create("/api/v1/inventory/counts", {"locationId": location})
    _deliveries(api, database, hook["id"])
    return listed
