"""Many writers against one database at once, then the ledger's invariants."""

from __future__ import annotations

import random
import threading
import uuid
from collections import Counter
from typing import Any

from sqlalchemy import select

from stockkeeper.adjustments.models import StockAdjustment
from stockkeeper.core.db import Database
from stockkeeper.stock.models import Movement
from tests.invariants import assert_ledger_consistent
from tests.support import Api, run_together

WORKERS = 8


def test_eight_workers_receiving_and_issuing(api: Api, database: Database) -> None:
    locations = [api.location()["id"], api.location(type="store")["id"]]
    items = [api.item()["id"] for _ in range(5)]
    acknowledged: list[str] = []
    refused = Counter[str]()
    lock = threading.Lock()

    def work(worker: int) -> None:
        rng = random.Random(worker)
        for _ in range(100):
            quantity = rng.randint(1, 10) * (1 if rng.random() < 0.55 else -1)
            body = {
                "reason": "found" if quantity > 0 else "lost",
                "locationId": rng.choice(locations),
                "items": [
                    {
                        "itemId": rng.choice(items),
                        "adjustmentQuantity": quantity,
                        "unitCost": rng.randint(1, 9),
                    }
                ],
            }
            response = api.post(
                "/api/v1/inventory/adjustments",
                body,
                headers={"Idempotency-Key": str(uuid.uuid4())},
            )
            with lock:
                if response.status_code == 201:
                    acknowledged.append(response.json()["data"]["id"])
                else:
                    assert response.status_code == 409, response.text
                    refused[response.json()["code"]] += 1

    assert run_together(WORKERS, work) == []
    assert len(acknowledged) + sum(refused.values()) == WORKERS * 100
    assert set(refused) <= {"insufficient_stock"}
    assert len(acknowledged) > 400
    with database.unit_of_work(write=False) as session:
        company = api.tenant.company_id
        documents = Counter(
            session.scalars(select(Movement.document_id).where(Movement.company_id == company))
        )
        adjustments = set(
            session.scalars(select(StockAdjustment.id).where(StockAdjustment.company_id == company))
        )
    assert (
        set(documents) == set(acknowledged) == adjustments
    )  # every acknowledged request, in the ledger
    assert set(documents.values()) == {1}  # ... exactly once
    assert_ledger_consistent(database, api.tenant.company_id)


def test_sixteen_buyers_for_the_last_ten_units(api: Api, database: Database) -> None:
    location = api.location()["id"]
    item = api.item()["id"]
    api.adjust(location, (item, 10, 5))
    statuses: list[int] = []

    def buy(_: int) -> None:
        body = {
            "reason": "lost",
            "locationId": location,
            "items": [{"itemId": item, "adjustmentQuantity": -1}],
        }
        statuses.append(api.post("/api/v1/inventory/adjustments", body).status_code)

    assert run_together(16, buy) == []
    assert Counter(statuses) == {201: 10, 409: 6}
    assert api.stock(itemId=item) == []  # all ten sold, nothing left
    assert_ledger_consistent(database, api.tenant.company_id)


def test_eight_workers_with_every_kind_of_document(api: Api, database: Database) -> None:
    """Receipts, issues, one-step and two-step transfers, reservations fulfilled or released,
    all at once; then each item's stock is what the acknowledged documents add up to."""
    locations = [api.location()["id"], api.location(type="store")["id"]]
    items = [api.item()["id"] for _ in range(4)]
    net = Counter[str]()
    reserved = Counter[str]()
    outcomes = Counter[str]()
    lock = threading.Lock()

    def call(method: str, path: str, body: Any, kind: str) -> Any:
        response = api.request(
            method, path, json=body, headers={"Idempotency-Key": str(uuid.uuid4())}
        )
        with lock:
            if response.status_code >= 300:
                assert response.status_code == 409, response.text
                assert response.json()["code"] == "insufficient_stock", response.text
                outcomes[f"{kind} refused"] += 1
                return None
            outcomes[kind] += 1
        return response.json()["data"]

    def work(worker: int) -> None:
        rng = random.Random(worker)
        for _ in range(40):
            item, quantity = rng.choice(items), rng.randint(1, 6)
            here, there = rng.sample(locations, 2)
            roll = rng.random()
            if roll < 0.3:
                body = {
                    "reason": "found",
                    "locationId": here,
                    "items": [
                        {
                            "itemId": item,
                            "adjustmentQuantity": quantity,
                            "unitCost": rng.randint(1, 9),
                        }
                    ],
                }
                if call("POST", "/api/v1/inventory/adjustments", body, "receipt"):
                    with lock:
                        net[item] += quantity
            elif roll < 0.45:
                body = {"locationId": here, "items": [{"itemId": item, "quantity": quantity}]}
                if call("POST", "/api/v1/inventory/issues", body, "issue"):
                    with lock:
                        net[item] -= quantity
            elif roll < 0.6:
                body = {
                    "fromLocationId": here,
                    "toLocationId": there,
                    "items": [{"itemId": item, "quantity": quantity}],
                }
                call("POST", "/api/v1/inventory/transfers", body, "transfer")
            elif roll < 0.75:
                body = {
                    "fromLocationId": here,
                    "toLocationId": there,
                    "status": "draft",
                    "items": [{"itemId": item, "quantity": quantity}],
                }
                draft = call("POST", "/api/v1/inventory/transfers", body, "draft transfer")
                path = f"/api/v1/inventory/transfers/{draft['id']}/status"
                if call("PATCH", path, {"status": "shipped"}, "shipment"):
                    call("PATCH", path, {"status": "received"}, "receipt of transfer")
            else:
                body = {"itemId": item, "locationId": here, "quantity": quantity}
                reservation = call("POST", "/api/v1/inventory/reservations", body, "reservation")
                if reservation is None:
                    continue
                path = f"/api/v1/inventory/reservations/{reservation['id']}"
                if rng.random() < 0.5:
                    call("POST", f"{path}/release", None, "release")
                elif rng.random() < 0.8:
                    call("POST", f"{path}/fulfil", {}, "fulfilment")
                    with lock:
                        net[item] -= quantity
                else:
                    with lock:
                        reserved[item] += quantity

    assert run_together(WORKERS, work) == []
    assert outcomes["receipt"] > 50 and outcomes["transfer"] + outcomes["shipment"] > 20
    assert outcomes["fulfilment"] > 5 and outcomes["issue"] > 10
    assert outcomes["release"] > 5 and outcomes["receipt of transfer"] == outcomes["shipment"]
    for item in items:
        inventory = api.data(api.get(f"/api/v1/items/{item}"))["inventory"]
        assert (inventory["currentStock"], inventory["reservedStock"]) == (
            net[item],
            reserved[item],
        ), item
    assert_ledger_consistent(database, api.tenant.company_id)
