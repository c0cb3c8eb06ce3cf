"""The scheduled check: expiry warnings for batches in stock, and alerts put right after
thresholds change without a movement."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from sqlalchemy import select

from stockkeeper.alerts.service.checks import check_alerts, needs_check
from stockkeeper.core import clock
from stockkeeper.core.db import Database
from stockkeeper.core.outbox import OutboxEvent
from stockkeeper.core.settings import Settings
from stockkeeper.tenancy.service import Actor
from stockkeeper.worker import AlertCheck
from tests.support import Api

ALERTS = "/api/v1/inventory/alerts"
TODAY = clock.now().date()  # companies made by the tests keep UTC


def _check(database: Database, api: Api, days: int = 30) -> list[tuple[str, bool]]:
    """Runs the check for the test's company; what it changed as (type, raised)."""
    with database.unit_of_work() as session:
        worker = Actor.system(api.tenant.company_id, "worker")
        changes = check_alerts(session, worker, warning_days=days)
        return [(c.alert.type, c.raised) for c in changes]


def _needs_check(database: Database, api: Api) -> bool:
    with database.unit_of_work(write=False) as session:
        return needs_check(session, api.tenant.company_id, warning_days=30)


def _events(database: Database, api: Api, event: str) -> list[dict[str, Any]]:
    with database.unit_of_work(write=False) as session:
        return [
            json.loads(m)["data"]["object"]
            for m in session.scalars(
                select(OutboxEvent.message)
                .where(OutboxEvent.company_id == api.tenant.company_id, OutboxEvent.event == event)
                .order_by(OutboxEvent.created_at)
            )
        ]


def _receive(api: Api, location: str, item: str, *batches: tuple[str, int, int]) -> None:
    """Receives batches as (number, days until expiry, quantity)."""
    lines = [
        {
            "batchNumber": n,
            "externalBatchNumber": f"MFR-{n}",
            "manufacturerDate": str(TODAY - timedelta(days=30)),
            "expiryDate": str(TODAY + timedelta(days=d)),
            "quantity": q,
        }
        for n, d, q in batches
    ]
    total = sum(q for _, _, q in batches)
    line = {"itemId": item, "adjustmentQuantity": total, "unitCost": 2, "batches": lines}
    api.create(
        "/api/v1/inventory/adjustments",
        {"reason": "found", "locationId": location, "items": [line]},
    )


def test_a_batch_expiring_within_the_window_raises_one_warning_until_it_is_gone(
    api: Api, database: Database
) -> None:
    location = api.location()["id"]
    item = api.item(inventory={"tracking": "batch"})["id"]
    _receive(api, location, item, ("SOON", 10, 5), ("LATER", 90, 3))
    assert _check(database, api) == [("expiry_warning", True)]
    assert _check(database, api) == []  # raised once
    [alert] = api.data(api.get(ALERTS, params={"type": "expiry_warning"}))
    assert (alert["batchNumber"], alert["expiryDate"], alert["currentStock"]) == (
        "SOON",
        str(TODAY + timedelta(days=10)),
        5,
    )
    assert (alert["externalBatchNumber"], alert["manufacturerDate"]) == (
        "MFR-SOON",
        str(TODAY - timedelta(days=30)),
    )
    assert alert["threshold"] == "expiry_date" and alert["thresholdQuantity"] is None
    assert _events(database, api, "inventory.expiry_warning") == [alert | {"currentStock": 5}]
    assert _check(database, api, days=100) == [("expiry_warning", True)]  # a wider window

    soon = api.data(api.get("/api/v1/inventory/levels", params={"itemId": item}))
    batch = next(r["batchId"] for r in soon if r["batchNumber"] == "SOON")
    api.create(
        "/api/v1/inventory/adjustments",
        {
            "reason": "expired",
            "locationId": location,
            "items": [
                {
                    "itemId": item,
                    "adjustmentQuantity": -5,
                    "batches": [{"batchId": batch, "quantity": 5}],
                }
            ],
        },
    )
    assert _check(database, api, days=100) == [("expiry_warning", False)]
    resolved = api.data(api.get(f"{ALERTS}/{alert['id']}"))
    assert (resolved["status"], resolved["currentStock"]) == ("resolved", 0)


def test_changed_thresholds_are_put_right_by_the_check(
    api: Api, database: Database, settings: Settings
) -> None:
    location = api.location()["id"]
    item = api.item(inventory={"minimumStock": 5})["id"]
    api.adjust(location, (item, 3, 1))
    [first] = api.data(api.get(ALERTS))
    api.data(api.put(f"/api/v1/items/{item}", {"inventory": {"minimumStock": 2}}))
    assert _check(database, api) == [("low_stock", False)]
    assert api.data(api.get(f"{ALERTS}/{first['id']}"))["status"] == "resolved"
    api.data(api.put(f"/api/v1/items/{item}", {"inventory": {"minimumStock": 4}}))
    assert _needs_check(database, api)  # asked in a read, before a write is taken
    assert AlertCheck(database, settings).run() >= 1  # every company, this one included
    assert not _needs_check(database, api)
    assert [a["status"] for a in api.data(api.get(ALERTS))] == ["open", "resolved"]
    assert _check(database, api) == []
    assert len(_events(database, api, "inventory.low_stock")) == 2
    assert len(_events(database, api, "inventory.alert.resolved")) == 1
