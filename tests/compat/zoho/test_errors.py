"""Every refusal in Zoho's shape, ``{code, message}`` with a non-zero integer code, the HTTP
status of its kind, the fields it names in Zoho's names, and nothing written."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from stockkeeper.core.db import Database
from tests.compat.zoho.client import BASE, Zoho, body, line, on_hand, refused
from tests.invariants import assert_ledger_consistent
from tests.support import Api


def _raw(api: Api, method: str, path: str, status: int, **kwargs: Any) -> dict[str, Any]:
    response = api.client.request(method, path, **{"headers": api.headers, **kwargs})
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    found: dict[str, Any] = response.json()
    refused(found)
    return found


def test_what_the_framework_refuses(api: Api) -> None:
    assert _raw(api, "GET", f"{BASE}/x/y/z", 404)["code"] == 5
    assert _raw(api, "PATCH", BASE, 405)["code"] == 37
    as_json = {**api.headers, "Content-Type": "application/json"}
    bad = _raw(api, "POST", BASE, 400, content=b"{not json", headers=as_json)
    assert bad["code"] == 2
    unknown = _raw(api, "GET", BASE, 422, params={"sort": "date"})
    assert unknown["code"] == 4 and "sort" in unknown["message"]
    assert _raw(api, "GET", BASE, 401, headers={})["code"] == 14
    viewer = {**api.headers, "Authorization": f"Bearer {api.tenant.viewer_key}"}
    item, location = api.item()["id"], api.location()["id"]
    assert (
        _raw(api, "POST", BASE, 403, headers=viewer, json=body(location, line(item, 1)))["code"]
        == 57
    )


def test_a_bad_body_is_refused_in_zoho_names(api: Api, database: Database) -> None:
    zoho = Zoho(api)
    location, item = api.location()["id"], api.item()["id"]
    cases = [
        (body(location, line(item, "many")), "line_items.0.quantity_adjusted"),
        (body(location, line(item, 0)), "line_items.0.quantity_adjusted"),
        (body(location), "line_items"),
        ({**body(location, line(item, 1)), "colour": "red"}, "colour"),
        (body(location, line(item, 1), date="2026-02-30"), "date"),
        (body(location, {"item_id": item, "value_adjusted": 5}), "line_items.0.quantity_adjusted"),
        (body(location, line(item, 1, item_total=-5)), "line_items.0.item_total"),
        (body(location, line(item, 1), adjustment_type="value"), "line_items.0.value_adjusted"),
        (body(location, line(item, 1, storages=[{"in_quantity": 1}])), "storage_id"),
    ]
    for sent, named in cases:
        found = zoho.create(sent, status=422)
        assert found["code"] == 4 and named in found["message"], (sent, found)
    assert on_hand(api, item) == 0 and zoho.list()["inventory_adjustments"] == []


def test_what_the_company_does_not_have(api: Api, database: Database) -> None:
    zoho = Zoho(api)
    location, item = api.location()["id"], api.item()["id"]
    # an unknown item is a record that does not exist (1003), as an unknown location is
    missing = zoho.create(body(location, line("item_nope", 1)), status=422)
    assert missing["code"] == 1003 and "line_items.0.item_id" in missing["message"]
    untracked = api.item(type="service")["id"]
    cannot = zoho.create(body(location, line(untracked, 1)), status=422)
    assert cannot["code"] == 2302 and "line_items.0.item_id" in cannot["message"]
    nowhere = zoho.create(body(location, line(item, 1, location_id="loc_nope")), status=422)
    assert nowhere["code"] == 1003 and "line_items.0.location_id" in nowhere["message"]
    no_bin = zoho.create(
        body(location, line(item, 1, storages=[{"storage_id": "bin_nope", "in_quantity": 1}])),
        status=422,
    )
    assert no_bin["code"] == 1003 and "line_items.0.storages.0.storage_id" in no_bin["message"]
    no_account = zoho.create(
        body(location, line(item, 1, adjustment_account_id="9999")), status=422
    )
    assert no_account["code"] == 1003 and "adjustment_account_id" in no_account["message"]
    assert zoho.get("adj_nope", status=404)["code"] == 1002
    assert zoho.delete("adj_nope", status=404)["code"] == 1002
    assert zoho.act("adj_nope", "approve", status=404)["code"] == 1002
    assert on_hand(api, item) == 0 and zoho.list()["inventory_adjustments"] == []


def test_removing_more_than_there_is_names_the_line(api: Api, database: Database) -> None:
    zoho = Zoho(api)
    location, item = api.location(), api.item()
    zoho.create(body(location["id"], line(item["id"], 2)))
    short = zoho.create(body(location["id"], line(item["id"], -5)), status=409)
    assert short["code"] == 2301
    assert all(s in short["message"] for s in (item["itemCode"], location["name"], "5", "2"))
    item = item["id"]
    assert on_hand(api, item) == 2
    assert_ledger_consistent(database, api.tenant.company_id)


def test_another_companys_adjustment_is_not_found(
    api: Api, database: Database, client: Any
) -> None:
    from tests.support import make_tenant

    zoho = Zoho(api)
    location, item = api.location()["id"], api.item()["id"]
    ident = zoho.create(body(location, line(item, 1), status="draft"))["inventory_adjustment"][
        "inventory_adjustment_id"
    ]
    other = make_tenant(database)
    stranger = Zoho(Api(client, other, other.admin_key))
    assert stranger.get(ident, status=404)["code"] == 1002
    assert stranger.delete(ident, status=404)["code"] == 1002
    assert zoho.get(ident)["inventory_adjustment"]["status"] == "draft"


def test_odd_bodies_and_queries_are_refused_never_a_500(api: Api, database: Database) -> None:
    zoho = Zoho(api)
    location, item = api.location()["id"], api.item()["id"]
    bodies: list[Any] = [
        [],
        "adjust",
        {**body(location, line(item, 1)), "line_items": {"item_id": item}},
        body(location, line(item, 1, storages=[7])),
        body(location, line(item, 1, batches=[{"batch_number": "B", "in_quantity": 1}])),
        body(location, line(item, Decimal("1e400"))),
        body(location, line(item, "1.0000001")),
        body(location, line(item, 1), custom_fields=[{"label": "x", "value": {"a": 1}}]),
        body(location, line(item, 1), custom_fields=[{"value": "no label"}]),
        body(location, line(item, 1), date=20260302),
        body(location, line(item, 1), reason="x" * 300),
        body(location, line(item, 1), reason_id="Not A Code"),
        body(location, line(item, 1, item_total=-5)),
        body(location, line(item, 1, storages=[{"storage_id": "b", "in_quantity": 0}])),
        body(location, line(item, 1), status="adjusted-later"),
    ]
    for sent in bodies:
        found = zoho.create(sent, status=422)
        assert found["code"] in (4, 1003, 2303), (sent, found)
    for params in (
        {"page": 0},
        {"per_page": 500},
        {"filter_by": "Status.Lost"},
        {"date_start": "x"},
    ):
        assert zoho.list(status=422, **params)["code"] == 4
    assert zoho.act("adj_nope", "reject", {"reason": 5}, status=422)["code"] == 4
    assert on_hand(api, item) == 0 and zoho.list()["inventory_adjustments"] == []
    assert_ledger_consistent(database, api.tenant.company_id)
