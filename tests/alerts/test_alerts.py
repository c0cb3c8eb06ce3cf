"""Alerts raised from the items' thresholds in the posting's transaction, listed,
acknowledged and resolved; announced once per crossing to webhooks, whatever the rules."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from standardwebhooks import Webhook

from stockkeeper.core.db import Database
from stockkeeper.core.settings import Settings
from stockkeeper.webhooks.service.delivery import Worker
from tests.support import Api, make_tenant, problem, run_together
from tests.webhooks.receiver import receiving

ALERTS = "/api/v1/inventory/alerts"
HOOKS = "/api/v1/webhooks"


@pytest.fixture
def worker(database: Database, settings: Settings) -> Iterator[Worker]:
    found = Worker(database, settings.model_copy(update={"webhook_retry_schedule": [0, 0]}))
    yield found
    found.close()


def _alerts(api: Api, **params: Any) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = api.data(api.get(ALERTS, params=params))
    return found


def _drain(worker: Worker) -> None:
    while worker.round():
        pass


def _sell(api: Api, location: str, item: str, quantity: int) -> dict[str, Any]:
    return api.adjust(location, (item, -quantity), reason="damaged")


def test_a_crossing_raises_one_alert_and_one_delivery_and_a_receipt_resolves_it(
    api: Api, worker: Worker
) -> None:
    location = api.location()["id"]
    item = api.item(inventory={"minimumStock": 10})["id"]
    with receiving() as receiver:
        body = {"url": receiver.url, "events": ["inventory.low_stock", "inventory.alert.resolved"]}
        hook = api.data(api.post(HOOKS, body), 201)
        api.adjust(location, (item, 20, 3))
        assert _alerts(api) == []
        for _ in range(5):  # 17, 14, 11, then 8 crosses the minimum, 5 stays below it
            _sell(api, location, item, 3)
        [alert] = _alerts(api)
        assert (alert["type"], alert["status"], alert["itemId"], alert["locationId"]) == (
            "low_stock",
            "open",
            item,
            location,
        )
        assert (alert["stockAtRaise"], alert["currentStock"], alert["thresholdQuantity"]) == (
            8,
            5,
            10,
        )
        assert alert["threshold"] == "minimum_stock" and alert["resolvedAt"] is None
        _drain(worker)
        raised = [Webhook(hook["secret"]).verify(r.body, r.headers) for r in receiver.received]
        assert [m["event"] for m in raised] == ["inventory.low_stock"]
        shown = raised[0]["data"]["object"]
        assert shown | {"currentStock": 5} == alert and shown["currentStock"] == 8
        assert shown["itemCode"] and shown["location"]["name"]  # what the handler reads
        assert (shown["autoReorder"], shown["reorderQuantity"]) == (False, None)

        api.adjust(location, (item, 30, 3))
        [resolved] = _alerts(api)
        assert (resolved["id"], resolved["status"], resolved["currentStock"]) == (
            alert["id"],
            "resolved",
            35,
        )
        _drain(worker)
    messages = [Webhook(hook["secret"]).verify(r.body, r.headers) for r in receiver.received]
    assert [m["event"] for m in messages] == ["inventory.low_stock", "inventory.alert.resolved"]
    assert messages[1]["data"]["object"] == resolved


def test_every_threshold_raises_its_own_type_and_clears_it(api: Api) -> None:
    location = api.location()["id"]
    item = api.item(inventory={"minimumStock": 5, "reorderPoint": 8, "maximumStock": 20})["id"]

    def open_types() -> list[str]:
        return sorted(a["type"] for a in _alerts(api) if a["status"] == "open")

    api.adjust(location, (item, 25, 1))
    assert open_types() == ["overstock"]
    _sell(api, location, item, 18)  # 7
    assert open_types() == ["reorder_point"]
    _sell(api, location, item, 3)  # 4
    assert open_types() == ["low_stock", "reorder_point"]
    _sell(api, location, item, 4)  # 0
    assert open_types() == ["low_stock", "out_of_stock", "reorder_point"]
    api.put("/api/v1/settings", {"allowNegativeStock": True})
    _sell(api, location, item, 2)  # -2
    assert open_types() == ["low_stock", "negative_stock", "out_of_stock", "reorder_point"]
    api.adjust(location, (item, 12, 1))  # 10
    assert open_types() == []
    assert len(_alerts(api)) == 5
    assert {a["threshold"] for a in _alerts(api, type="overstock")} == {"maximum_stock"}
    assert [a["type"] for a in _alerts(api, status="resolved", type="negative_stock")] == [
        "negative_stock"
    ]


def test_alerts_are_listed_by_filter_acknowledged_and_private_to_their_company(
    api: Api, database: Database
) -> None:
    here, there = api.location()["id"], api.location()["id"]
    first = api.item(inventory={"minimumStock": 3})["id"]
    second = api.item(inventory={"minimumStock": 3})["id"]
    api.adjust(here, (first, 2, 1))
    api.adjust(there, (second, 1, 1))
    assert {a["itemId"] for a in _alerts(api, locationId=here, type="low_stock")} == {first}
    assert {a["locationId"] for a in _alerts(api, itemId=second)} == {there}
    [alert] = _alerts(api, itemId=first, type="low_stock")
    seen = api.data(api.post(f"{ALERTS}/{alert['id']}/acknowledge"))
    assert seen["status"] == "acknowledged" and seen["acknowledgedAt"] is not None
    assert seen["acknowledgedBy"]
    again = api.data(api.post(f"{ALERTS}/{alert['id']}/acknowledge"))
    assert again["acknowledgedAt"] == seen["acknowledgedAt"]
    assert [a["id"] for a in _alerts(api, status="acknowledged")] == [alert["id"]]
    api.adjust(here, (first, 5, 1))
    assert api.data(api.get(f"{ALERTS}/{alert['id']}"))["status"] == "resolved"

    tenant = make_tenant(database)
    other = Api(api.client, tenant, tenant.admin_key)
    assert _alerts(other) == []
    problem(other.get(f"{ALERTS}/{alert['id']}"), 404)
    problem(other.post(f"{ALERTS}/{alert['id']}/acknowledge"), 404)


def test_a_refused_posting_raises_nothing(api: Api) -> None:
    location = api.location()["id"]
    item = api.item(inventory={"minimumStock": 3})["id"]
    api.adjust(location, (item, 10, 1))
    refused = api.post(
        "/api/v1/inventory/adjustments",
        {
            "reason": "damaged",
            "locationId": location,
            "items": [{"itemId": item, "adjustmentQuantity": -11}],
        },
    )
    problem(refused, 409, "insufficient_stock")
    assert _alerts(api) == []


def test_concurrent_sales_across_the_minimum_raise_one_alert(api: Api) -> None:
    location = api.location()["id"]
    item = api.item(inventory={"minimumStock": 10})["id"]
    api.adjust(location, (item, 20, 1))

    def sell(_: int) -> None:
        _sell(api, location, item, 1)

    assert run_together(12, sell) == []
    [row] = api.stock(itemId=item)
    assert row["currentStock"] == 8
    [alert] = _alerts(api)
    assert (alert["type"], alert["stockAtRaise"], alert["status"]) == ("low_stock", 10, "open")


def test_a_low_stock_alert_says_whether_the_reorder_run_orders_the_item(api: Api) -> None:
    """What the BigLedger monitoring example reads (``stockData.autoReorder``)."""
    location, supplier = api.location()["id"], api.supplier()["id"]
    rules = {"minimumStock": 10, "reorderPoint": 10, "reorderQuantity": 40}
    ordered = api.item(inventory=rules, supplierId=supplier)["id"]
    unsupplied = api.item(inventory=rules)["id"]
    for item in (ordered, unsupplied):
        api.adjust(location, (item, 20, 3))
        _sell(api, location, item, 15)
    shown = {a["itemId"]: (a["autoReorder"], a["reorderQuantity"]) for a in _alerts(api)}
    assert shown == {ordered: (True, 40), unsupplied: (False, 40)}
