"""Reservations: reserve within what is available, fulfil, release, expire; each once."""

from __future__ import annotations

import datetime as dt
import threading
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from stockkeeper.core import clock
from stockkeeper.core.db import Database
from stockkeeper.stock.models import Movement
from tests.invariants import assert_ledger_consistent
from tests.support import Api, problem, run_together

RESERVATIONS = "/api/v1/inventory/reservations"


def _reserve(api: Api, item: str, location: str, quantity: Any, **fields: Any) -> Any:
    return api.post(
        RESERVATIONS, {"itemId": item, "locationId": location, "quantity": quantity, **fields}
    )


def _figures(api: Api, item: str) -> tuple[Any, Any, Any]:
    inventory = api.data(api.get(f"/api/v1/items/{item}"))["inventory"]
    return inventory["currentStock"], inventory["reservedStock"], inventory["availableStock"]


def test_reserve_fulfil_and_release(api: Api, database: Database) -> None:
    location = api.location()["id"]
    item = api.item()["id"]
    api.adjust(location, (item, 10, 4))
    reservation = api.data(_reserve(api, item, location, 6, reference="SO-1"), 201)
    assert (reservation["status"], reservation["quantityRemaining"]) == ("active", 6)
    assert reservation["allowedActions"] == ["fulfil", "release"]
    assert reservation["item"]["id"] == item and reservation["reference"] == "SO-1"
    assert _figures(api, item) == (10, 6, 4)
    (row,) = api.stock(itemId=item)
    assert (row["reservedStock"], row["availableStock"]) == (6, 4)

    short = problem(_reserve(api, item, location, 5), 409, "insufficient_stock")
    assert (short["shortages"][0]["requested"], short["shortages"][0]["available"]) == (5, 4)
    adjusting = problem(
        api.post(
            "/api/v1/inventory/adjustments",
            {
                "reason": "lost",
                "locationId": location,
                "items": [{"itemId": item, "adjustmentQuantity": -5}],
            },
        ),
        409,
        "insufficient_stock",
    )
    assert adjusting["shortages"][0]["available"] == 4

    partly = api.data(
        api.post(
            f"{RESERVATIONS}/{reservation['id']}/fulfil", {"quantity": 2, "reference": "INV-9"}
        )
    )
    assert (partly["status"], partly["quantityFulfilled"], partly["quantityRemaining"]) == (
        "active",
        2,
        4,
    )
    assert _figures(api, item) == (8, 4, 4)
    with database.unit_of_work(write=False) as session:
        sale = session.scalars(
            select(Movement).where(Movement.document_id == reservation["id"])
        ).one()
    assert (sale.movement_type, sale.quantity, sale.reference, sale.unit_cost) == (
        "sale",
        Decimal(2),
        "INV-9",
        Decimal(4),
    )
    problem(api.post(f"{RESERVATIONS}/{reservation['id']}/fulfil", {"quantity": 5}), 422)
    done = api.data(api.post(f"{RESERVATIONS}/{reservation['id']}/fulfil", {}))
    assert (done["status"], done["quantityFulfilled"], done["allowedActions"]) == (
        "fulfilled",
        6,
        [],
    )
    assert _figures(api, item) == (4, 0, 4)
    refused = problem(
        api.post(f"{RESERVATIONS}/{reservation['id']}/release"), 409, "illegal_transition"
    )
    assert refused["currentStatus"] == "fulfilled"

    other = api.data(_reserve(api, item, location, 3), 201)
    released = api.data(api.post(f"{RESERVATIONS}/{other['id']}/release"))
    assert (released["status"], released["closedBy"]) == ("released", "admin")
    assert _figures(api, item) == (4, 0, 4)
    problem(api.post(f"{RESERVATIONS}/{other['id']}/fulfil", {}), 409, "illegal_transition")
    listed = api.data(api.get(RESERVATIONS, params={"itemId": item, "status": "released"}))
    assert [r["id"] for r in listed] == [other["id"]]
    assert_ledger_consistent(database, api.tenant.company_id)


def test_refusals_leave_nothing_reserved(api: Api, database: Database) -> None:
    location = api.location()["id"]
    item, service = api.item()["id"], api.item(type="service")["id"]
    api.adjust(location, (item, 2, 1))
    problem(_reserve(api, service, location, 1), 422, "item_cannot_move")
    problem(_reserve(api, item, "loc_nope", 1), 422, "unknown_location")
    problem(_reserve(api, item, location, 0), 422)
    past = (clock.now() - dt.timedelta(minutes=1)).isoformat()
    problem(_reserve(api, item, location, 1, expiresAt=past), 422)
    problem(_reserve(api, item, location, 1, expiresAt="2030-01-01T00:00:00"), 422)
    assert _figures(api, item) == (2, 0, 2)
    assert api.data(api.get(RESERVATIONS)) == []
    held = api.data(_reserve(api, item, location, 1), 201)
    elsewhere = api.create(f"/api/v1/locations/{api.location()['id']}/bins", {"code": "X-1"})
    wrong_bin = api.post(f"{RESERVATIONS}/{held['id']}/fulfil", {"binId": elsewhere["id"]})
    assert problem(wrong_bin, 422, "unknown_bin")["errors"][0]["field"] == "binId"
    assert _figures(api, item) == (2, 1, 1)


def test_expired_reservations_stop_counting(api: Api, database: Database) -> None:
    location = api.location()["id"]
    item = api.item()["id"]
    api.adjust(location, (item, 5, 2))
    soon = (clock.now() + dt.timedelta(hours=1)).isoformat()
    reservation = api.data(_reserve(api, item, location, 5, expiresAt=soon), 201)
    problem(_reserve(api, item, location, 1), 409, "insufficient_stock")

    with clock.moved(dt.timedelta(hours=2)):
        shown = api.data(api.get(f"{RESERVATIONS}/{reservation['id']}"))
        assert (shown["status"], shown["allowedActions"], shown["quantityRemaining"]) == (
            "expired",
            [],
            0,
        )
        assert [r["id"] for r in api.data(api.get(RESERVATIONS, params={"status": "expired"}))] == [
            reservation["id"]
        ]
        assert api.data(api.get(RESERVATIONS, params={"status": "active"})) == []
        again = api.data(_reserve(api, item, location, 5), 201)
        assert _figures(api, item) == (5, 5, 0)
        refused = problem(
            api.post(f"{RESERVATIONS}/{reservation['id']}/fulfil", {}), 409, "illegal_transition"
        )
        assert refused["currentStatus"] == "expired"
        stored = api.data(api.get(f"{RESERVATIONS}/{reservation['id']}"))
        assert (stored["status"], stored["closedBy"]) == ("expired", "expiry")
        api.data(api.post(f"{RESERVATIONS}/{again['id']}/release"))
        api.adjust(location, (item, -5))
    assert _figures(api, item) == (0, 0, 0)
    assert_ledger_consistent(database, api.tenant.company_id)


def test_many_buyers_reserve_no_more_than_there_is(api: Api, database: Database) -> None:
    location = api.location()["id"]
    item = api.item()["id"]
    api.adjust(location, (item, 10, 1))
    outcomes: list[int] = []
    made: list[str] = []
    lock = threading.Lock()

    def work(n: int) -> None:
        response = _reserve(api, item, location, 3, reference=f"SO-{n}")
        with lock:
            outcomes.append(response.status_code)
            if response.status_code == 201:
                made.append(response.json()["data"]["id"])

    assert run_together(8, work) == []
    assert sorted(outcomes) == [201] * 3 + [409] * 5
    assert _figures(api, item) == (10, 9, 1)

    def settle(n: int) -> None:
        ident = made[n % len(made)]
        action = "fulfil" if n % 2 else "release"
        response = api.post(f"{RESERVATIONS}/{ident}/{action}", {} if action == "fulfil" else None)
        assert response.status_code in (200, 409), response.text

    assert run_together(6, settle) == []
    statuses = [api.data(api.get(f"{RESERVATIONS}/{r}"))["status"] for r in made]
    assert all(s in ("fulfilled", "released") for s in statuses)
    fulfilled = statuses.count("fulfilled")
    assert _figures(api, item) == (10 - 3 * fulfilled, 0, 10 - 3 * fulfilled)
    with database.unit_of_work(write=False) as session:
        sales = session.scalars(
            select(Movement).where(Movement.movement_type == "sale", Movement.item_id == item)
        ).all()
    assert len(sales) == fulfilled
    assert_ledger_consistent(database, api.tenant.company_id)
