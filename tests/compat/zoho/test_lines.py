"""What a Zoho adjustment and its lines carry: reasons by id or in words, custom fields, a
line's own location and account, batches and bins going in and out, serial numbers in a bin;
and a POST retried with its Idempotency-Key."""

from __future__ import annotations

from decimal import Decimal

from stockkeeper.core.db import Database
from tests.compat.zoho.client import Zoho, bin_at, body, levels, line, on_hand
from tests.invariants import assert_ledger_consistent
from tests.support import Api


def test_a_reason_by_its_id_or_in_words(api: Api) -> None:
    zoho = Zoho(api)
    location, item = api.location()["id"], api.item()["id"]

    def made(**fields: object) -> dict[str, object]:
        sent = {k: v for k, v in body(location, line(item, 1), **fields).items() if v is not None}
        return zoho.create(sent)["inventory_adjustment"]  # type: ignore[no-any-return]

    by_id = made(reason=None, reason_id="damaged")
    assert (by_id["reason_id"], by_id["reason"]) == ("damaged", "damaged")
    with_words = made(reason="Dropped by the forklift", reason_id="damaged")
    assert (with_words["reason_id"], with_words["reason"]) == ("damaged", "Dropped by the forklift")
    by_name = made(reason="Damaged")
    assert by_name["reason_id"] == "damaged"
    words = made(reason="Water damage in aisle 4")
    assert (words["reason_id"], words["reason"]) == ("other", "Water damage in aisle 4")
    unknown = zoho.create(body(location, line(item, 1), reason_id="shrinkage"), status=422)
    assert unknown["code"] == 1003 and "reason_id" in unknown["message"]
    assert zoho.create(body(location, line(item, 1), reason=None), status=422)["code"] == 4
    listed = zoho.list(reason_id="damaged")["inventory_adjustments"]
    assert {a["inventory_adjustment_id"] for a in listed} == {
        by_id["inventory_adjustment_id"],
        with_words["inventory_adjustment_id"],
        by_name["inventory_adjustment_id"],
    }
    assert on_hand(api, item) == 4


def test_custom_fields_as_zoho_sends_them(api: Api) -> None:
    zoho = Zoho(api)
    location, item = api.location()["id"], api.item()["id"]
    fields = [
        {"customfield_id": "460000000012345", "value": "Bay 4"},
        {"label": "Checked", "value": True},
        {"customfield_id": "460000000012346", "label": "Pallets", "value": Decimal("2.5")},
    ]
    got = zoho.create(body(location, line(item, 1), custom_fields=fields))["inventory_adjustment"]
    assert got["custom_fields"] == [
        {"customfield_id": "460000000012345", "label": "460000000012345", "value": "Bay 4"},
        {"customfield_id": "2", "label": "Checked", "value": "true"},
        {"customfield_id": "460000000012346", "label": "Pallets", "value": "2.5"},
    ]
    twice = [{"label": "Bay", "value": "1"}, {"label": "bay", "value": "2"}]
    refused = zoho.create(body(location, line(item, 1), custom_fields=twice), status=422)
    assert "custom_fields.1.label" in refused["message"]


def test_a_line_of_its_own_location_and_account(api: Api, database: Database) -> None:
    zoho = Zoho(api)
    main, store = api.location(), api.location(type="store")
    item = api.item()["id"]
    account = api.create(
        "/api/v1/accounts", {"code": "5100", "name": "Shrinkage", "type": "expense"}
    )
    got = zoho.create(
        body(
            main["id"],
            line(item, 3, item_total=6),
            line(item, 2, item_total=4, location_id=store["id"], adjustment_account_id="5100"),
        )
    )["inventory_adjustment"]
    first, second = got["line_items"]
    assert (first["location_id"], first["location_name"]) == (main["id"], main["name"])
    assert (second["location_id"], second["location_name"]) == (store["id"], store["name"])
    assert (first["adjustment_account_id"], first["adjustment_account_name"]) == ("", "")
    assert (second["adjustment_account_id"], second["adjustment_account_name"]) == (
        account["id"],
        "Shrinkage",
    )
    stock = {row["locationId"]: row["currentStock"] for row in api.stock(itemId=item)}
    assert stock == {main["id"]: 3, store["id"]: 2}
    assert got["total"] == 10
    assert_ledger_consistent(database, api.tenant.company_id)


def test_batches_and_bins_in_and_out(api: Api, database: Database) -> None:
    zoho = Zoho(api)
    location = api.location()["id"]
    a1, b2 = bin_at(api, location, "A1", name="Bin A1"), bin_at(api, location, "B2")
    item = api.item(inventory={"tracking": "batch"})["id"]
    batch = {
        "batch_number": "BTC-TL-089",
        "external_batch_number": "MFR-TL-089",
        "manufacturer_date": "2026-05-12",
        "expiry_date": "2026-12-16",
        "in_quantity": 5,
        "storages": [{"storage_id": a1, "in_quantity": 3}, {"storage_id": b2, "in_quantity": 2}],
    }
    added = zoho.create(body(location, line(item, 5, item_total=10, batches=[batch])))
    (got,) = added["inventory_adjustment"]["line_items"][0]["batches"]
    for name in ("batch_number", "external_batch_number", "manufacturer_date", "expiry_date"):
        assert got[name] == batch[name], name
    assert got["in_quantity"] == 5 and "out_quantity" not in got
    assert got["storages"] == [
        {"storage_id": a1, "storage_name": "Bin A1", "in_quantity": 3},
        {"storage_id": b2, "storage_name": "B2", "in_quantity": 2},
    ]
    assert levels(api, item) == {("A1", "BTC-TL-089"): 3, ("B2", "BTC-TL-089"): 2}

    out = {
        "batch_id": got["batch_id"],
        "out_quantity": 2,
        "storages": [{"storage_id": b2, "out_quantity": 2}],
    }
    taken = zoho.create(body(location, line(item, -2, batches=[out])))
    (gone,) = taken["inventory_adjustment"]["line_items"][0]["batches"]
    assert (gone["batch_id"], gone["out_quantity"]) == (got["batch_id"], 2)
    assert "in_quantity" not in gone and gone["storages"][0]["out_quantity"] == 2
    assert levels(api, item) == {("A1", "BTC-TL-089"): 3}
    assert_ledger_consistent(database, api.tenant.company_id)


def test_serial_numbers_in_a_bin(api: Api, database: Database) -> None:
    zoho = Zoho(api)
    location = api.location()["id"]
    shelf = bin_at(api, location, "S1")
    item = api.item(inventory={"tracking": "serial"})["id"]
    storages = [{"storage_id": shelf, "in_quantity": 2, "serial_numbers": ["SR-1", "SR-2"]}]
    got = zoho.create(
        body(location, line(item, 2, serial_numbers=["SR-1", "SR-2"], storages=storages))
    )
    (row,) = got["inventory_adjustment"]["line_items"]
    assert row["serial_numbers"] == ["SR-1", "SR-2"]
    assert row["storages"] == [
        {
            "storage_id": shelf,
            "storage_name": "S1",
            "in_quantity": 2,
            "serial_numbers": ["SR-1", "SR-2"],
        }
    ]
    rows = api.data(api.get("/api/v1/inventory/levels", params={"itemId": item}))
    assert sorted((r["binCode"], r["serialNumber"]) for r in rows) == [
        ("S1", "SR-1"),
        ("S1", "SR-2"),
    ]
    removed = zoho.create(body(location, line(item, -1, serial_numbers=["SR-2"])))
    assert removed["inventory_adjustment"]["line_items"][0]["serial_numbers"] == ["SR-2"]
    assert on_hand(api, item) == 1
    assert_ledger_consistent(database, api.tenant.company_id)


def test_a_retried_post_is_answered_once(api: Api, database: Database) -> None:
    zoho = Zoho(api)
    location, item = api.location()["id"], api.item()["id"]
    key = {"Idempotency-Key": "zoho-retry-1"}
    sent = body(location, line(item, 4, item_total=Decimal("9.99")))
    first = zoho.send("POST", "", "create-an-inventory-adjustment-response", sent, 201, headers=key)
    again = zoho.send("POST", "", "create-an-inventory-adjustment-response", sent, 201, headers=key)
    assert again == first and on_hand(api, item) == 4
    assert first["inventory_adjustment"]["line_items"][0]["item_total"] == Decimal("9.99")
    assert_ledger_consistent(database, api.tenant.company_id)
