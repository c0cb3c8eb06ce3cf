"""Alert rules: validation, who is told (filtered by category and location), their own
signed webhooks, and tenancy. One crossing stays one alert however many rules watch it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from standardwebhooks import Webhook

from stockkeeper.core.db import Database
from stockkeeper.core.settings import Settings
from stockkeeper.webhooks.service.delivery import Worker
from tests.support import Api, make_tenant, problem
from tests.webhooks.receiver import receiving

RULES = "/api/v1/inventory/alerts/rules"
DOCUMENTED: dict[str, Any] = {
    "name": "Critical Low Stock Alert",
    "type": "low_stock",
    "conditions": {
        "categories": ["cat_electronics"],
        "locations": ["loc_warehouse1", "loc_store1"],
        "threshold": "minimum_stock",
    },
    "notifications": {
        "email": ["inventory@company.com"],
        "webhook": "https://your-app.com/webhooks/inventory",
        "frequency": "immediate",
    },
    "active": True,
}


@pytest.fixture
def worker(database: Database, settings: Settings) -> Iterator[Worker]:
    found = Worker(database, settings)
    yield found
    found.close()


def _rule(api: Api, **changes: Any) -> dict[str, Any]:
    body = {**DOCUMENTED, **changes}
    created: dict[str, Any] = api.data(api.post(RULES, body), 201)
    return created


def _drain(worker: Worker) -> None:
    while worker.round():
        pass


def test_the_documented_rule_is_created_with_the_company_s_own_ids(api: Api) -> None:
    category, warehouse, store = api.category()["id"], api.location()["id"], api.location()["id"]
    conditions = {"categories": [category], "locations": [warehouse, store]}
    rule = _rule(api, conditions={**DOCUMENTED["conditions"], **conditions})
    assert rule["conditions"] == {
        "categories": [category],
        "locations": sorted([warehouse, store]),
        "threshold": "minimum_stock",
    }
    notifications = rule["notifications"]
    assert notifications["email"] == ["inventory@company.com"]
    assert notifications["webhook"] == "https://your-app.com/webhooks/inventory"
    assert notifications["frequency"] == "immediate" and rule["active"] is True
    assert rule["webhookSecret"].startswith("whsec_")
    shown = api.data(api.get(f"{RULES}/{rule['id']}"))
    assert "webhookSecret" not in shown and shown["notifications"] == notifications
    assert [r["id"] for r in api.data(api.get(RULES))] == [rule["id"]]

    hook = api.data(api.get(f"/api/v1/webhooks/{notifications['webhookId']}"))
    assert hook["managedBy"] == rule["id"] and hook["url"] == notifications["webhook"]
    problem(api.delete(f"/api/v1/webhooks/{hook['id']}"), 409, "webhook_managed_by_rule")
    body = {"url": "https://example.com/x", "events": ["inventory.low_stock"]}
    problem(api.put(f"/api/v1/webhooks/{hook['id']}", body), 409, "webhook_managed_by_rule")

    moved = {**DOCUMENTED, "conditions": {}, "notifications": {"webhook": "https://example.com/n"}}
    updated = api.data(api.put(f"{RULES}/{rule['id']}", moved))
    assert updated["notifications"]["webhookId"] == hook["id"]  # same subscription, same secret
    assert updated["webhookSecret"] is None and updated["notifications"]["email"] == []
    assert api.data(api.get(f"/api/v1/webhooks/{hook['id']}"))["url"] == "https://example.com/n"
    mail_only = {**moved, "notifications": {"email": ["ops@company.com"], "frequency": "daily"}}
    updated = api.data(api.put(f"{RULES}/{rule['id']}", mail_only))
    assert updated["notifications"]["webhookId"] is None
    problem(api.get(f"/api/v1/webhooks/{hook['id']}"), 404)
    assert api.data(api.delete(f"{RULES}/{rule['id']}"))["deleted"] is True
    problem(api.get(f"{RULES}/{rule['id']}"), 404)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"conditions": {"categories": ["cat_nowhere"]}}, "conditions.categories"),
        ({"conditions": {"locations": ["loc_nowhere"]}}, "conditions.locations"),
        ({"conditions": {"threshold": "maximum_stock"}}, "conditions.threshold"),
        ({"notifications": {"frequency": "hourly"}}, "notifications"),
        ({"notifications": {"email": ["not an address"]}}, "notifications.email.0"),
        ({"type": "sometimes"}, "type"),
    ],
)
def test_a_rule_that_cannot_work_is_refused_and_nothing_is_kept(
    api: Api, changes: dict[str, Any], field: str
) -> None:
    refused = problem(api.post(RULES, {**DOCUMENTED, "conditions": {}, **changes}), 422)
    assert [e["field"] for e in refused["errors"]] == [field]
    assert api.data(api.get(RULES)) == []
    assert api.data(api.get("/api/v1/webhooks")) == []


def test_a_rule_refuses_a_private_webhook_target_when_they_are_not_allowed(
    api: Api, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(settings, "webhook_allow_private", False)
    body = {**DOCUMENTED, "conditions": {}, "notifications": {"webhook": "http://10.0.0.1/x"}}
    refused = problem(api.post(RULES, body), 422, "webhook_url_refused")
    assert refused["errors"][0]["field"] == "notifications.webhook"
    assert api.data(api.get(RULES)) == []


def test_rules_tell_of_the_alerts_they_watch_and_a_crossing_stays_one_alert(
    api: Api, worker: Worker
) -> None:
    watched, other = api.category()["id"], api.category()["id"]
    child = api.category(parentId=watched)["id"]
    here, there = api.location()["id"], api.location()["id"]
    gadget = api.item(categoryId=child, inventory={"minimumStock": 5})["id"]
    stray = api.item(categoryId=other, inventory={"minimumStock": 5})["id"]
    with receiving() as narrow_end, receiving() as wide_end:
        narrow = _rule(
            api,
            conditions={"categories": [watched], "locations": [here]},
            notifications={"webhook": narrow_end.url},
        )
        wide = _rule(api, conditions={}, notifications={"webhook": wide_end.url})
        _rule(api, type="overstock", conditions={}, notifications={"webhook": wide_end.url})
        api.adjust(here, (gadget, 2, 1), (stray, 2, 1))
        api.adjust(there, (gadget, 1, 1))
        _drain(worker)
    alerts = api.data(api.get("/api/v1/inventory/alerts", params={"type": "low_stock"}))
    assert len(alerts) == 3  # one per item and location, whatever the rules
    narrow_got = [
        Webhook(narrow["webhookSecret"]).verify(r.body, r.headers) for r in narrow_end.received
    ]
    assert [
        (m["data"]["object"]["itemId"], m["data"]["object"]["locationId"]) for m in narrow_got
    ] == [(gadget, here)]
    wide_got = [Webhook(wide["webhookSecret"]).verify(r.body, r.headers) for r in wide_end.received]
    assert sorted(m["data"]["object"]["id"] for m in wide_got) == sorted(a["id"] for a in alerts)
    assert {m["event"] for m in wide_got} == {"inventory.low_stock"}
    deliveries = api.data(
        api.get(f"/api/v1/webhooks/{narrow['notifications']['webhookId']}/deliveries")
    )
    assert [(d["status"], d["eventId"]) for d in deliveries] == [("succeeded", narrow_got[0]["id"])]


def test_an_inactive_rule_tells_no_one_and_rules_are_private_to_their_company(
    api: Api, worker: Worker, database: Database
) -> None:
    location = api.location()["id"]
    item = api.item(inventory={"minimumStock": 5})["id"]
    with receiving() as end:
        rule = _rule(api, conditions={}, notifications={"webhook": end.url}, active=False)
        api.adjust(location, (item, 1, 1))
        _drain(worker)
    assert end.received == []
    assert len(api.data(api.get("/api/v1/inventory/alerts"))) == 1
    tenant = make_tenant(database)
    other = Api(api.client, tenant, tenant.admin_key)
    assert other.data(other.get(RULES)) == []
    problem(other.get(f"{RULES}/{rule['id']}"), 404)
    problem(other.delete(f"{RULES}/{rule['id']}"), 404)
    assert other.data(other.get("/api/v1/webhooks")) == []
