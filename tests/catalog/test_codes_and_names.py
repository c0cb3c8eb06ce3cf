"""Codes and names are what they look like, through the API on both engines: the same text
in NFC and NFD is one code, codes hold no invisible formatting characters, nothing a client
names holds a control character, and notes keep their lines. Every refusal is a 422
``validation_failed`` naming the field, and writes nothing."""

from __future__ import annotations

import unicodedata
from typing import Any

import pytest

from tests.support import Api, problem

ITEMS = "/api/v1/items"
ADJUSTMENTS = "/api/v1/inventory/adjustments"
COMPOSED = "CAFÉ-Ω1"
DECOMPOSED = unicodedata.normalize("NFD", COMPOSED)


def _refused(response: Any, field: str, message: str) -> None:
    body = problem(response, 422, "validation_failed")
    assert [(e["field"], e["message"]) for e in body["errors"]] == [(field, message)], body


def _invisible(point: str) -> str:
    return f"must not contain invisible formatting characters ({point})"


def _control(point: str) -> str:
    return f"must not contain control characters ({point})"


def test_a_code_in_nfd_is_the_same_code_as_in_nfc(api: Api) -> None:
    assert DECOMPOSED != COMPOSED
    item = api.item(itemCode=DECOMPOSED, name=unicodedata.normalize("NFD", "Crème brûlée"))
    assert (item["itemCode"], item["name"]) == (COMPOSED, "Crème brûlée")
    again = problem(api.post(ITEMS, {"itemCode": COMPOSED, "name": "x", "type": "inventory"}), 409)
    assert again["code"] == "duplicate_item_code"
    variant = {"name": "v", "itemCode": unicodedata.normalize("NFD", "SKU-É")}
    other = api.item(variants=[variant])
    assert other["variants"][0]["itemCode"] == "SKU-É"
    taken = api.post(ITEMS, {"itemCode": "SKU-É", "name": "x", "type": "inventory"})
    assert problem(taken, 409)["code"] == "duplicate_item_code"
    location = api.location(code=unicodedata.normalize("NFD", "ÅL-1"))
    assert location["code"] == "ÅL-1"
    same = api.post("/api/v1/locations", {"name": "Other", "code": "ÅL-1"})
    assert problem(same, 409)["code"] == "duplicate_code"
    found = api.data(api.get(ITEMS, params={"search": "café"}))
    assert [i["id"] for i in found] == [item["id"]]


def _item_count(api: Api) -> int:
    return len(api.data(api.get(ITEMS, params={"limit": 200})))


@pytest.mark.parametrize(
    ("fields", "field", "point"),
    [
        ({"itemCode": "WDG\u200b001"}, "itemCode", "U+200B"),  # zero-width space
        ({"barcode": "\u202e1234567890"}, "barcode", "U+202E"),  # right-to-left override
        ({"supplierItemCode": "WS\u2066-1"}, "supplierItemCode", "U+2066"),  # bidi isolate
        ({"tax": {"salesTaxCode": "SST\u00ad"}}, "tax.salesTaxCode", "U+00AD"),  # soft hyphen
        (
            {"variants": [{"name": "Red", "itemCode": "\ufeffWDG-RED"}]},  # a BOM
            "variants.0.itemCode",
            "U+FEFF",
        ),
        (
            {"variants": [{"name": "Red", "itemCode": "R", "barcode": "12\u200d34"}]},
            "variants.0.barcode",
            "U+200D",
        ),
    ],
)
def test_codes_refuse_invisible_formatting_characters(
    api: Api, fields: dict[str, Any], field: str, point: str
) -> None:
    before = _item_count(api)
    body = {"itemCode": "WDG-001", "name": "Widget", "type": "inventory", **fields}
    _refused(api.post(ITEMS, body), field, _invisible(point))
    assert _item_count(api) == before


def test_location_and_bin_codes_refuse_them_too(api: Api) -> None:
    refused = api.post("/api/v1/locations", {"name": "Hidden", "code": "WH\u200c1"})
    _refused(refused, "code", _invisible("U+200C"))
    location = api.location()["id"]
    bins = f"/api/v1/locations/{location}/bins"
    _refused(api.post(bins, {"code": "A1\u2060"}), "code", _invisible("U+2060"))
    assert api.data(api.get(bins)) == []
    assert [loc["id"] for loc in api.data(api.get("/api/v1/locations"))] == [location]


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        (ITEMS, {"itemCode": "C", "name": "\x1b[31mRed", "type": "inventory"}, "name"),
        (ITEMS, {"itemCode": "C\x07", "name": "Bell", "type": "inventory"}, "itemCode"),
        ("/api/v1/categories", {"name": "Tools\x1b[0m"}, "name"),
        ("/api/v1/locations", {"name": "Main\x1bWarehouse"}, "name"),
        ("/api/v1/suppliers", {"name": "Acme\x1b"}, "name"),
        ("/api/v1/suppliers", {"name": "Acme", "contactPerson": "Ann\x1b"}, "contactPerson"),
        ("/api/v1/price-groups", {"name": "Trade\x1b"}, "name"),
    ],
)
def test_names_and_codes_refuse_control_characters(
    api: Api, path: str, body: dict[str, Any], field: str
) -> None:
    point = "U+0007" if any("\x07" in str(v) for v in body.values()) else "U+001B"
    before = api.data(api.get(path))
    _refused(api.post(path, body), field, _control(point))
    assert api.data(api.get(path)) == before


def test_free_text_keeps_its_lines_and_refuses_other_controls(api: Api) -> None:
    notes = "counted twice\r\n\tshelf 3"
    item = api.item(description=notes)
    assert api.data(api.get(f"{ITEMS}/{item['id']}"))["description"] == notes
    _refused(
        api.put(f"{ITEMS}/{item['id']}", {"description": "beep\x07"}),
        "description",
        _control("U+0007"),
    )
    assert api.data(api.get(f"{ITEMS}/{item['id']}"))["description"] == notes
    location = api.location()["id"]
    line = {"itemId": item["id"], "adjustmentQuantity": 1, "unitCost": 1}
    adjustment = {"reason": "found", "locationId": location, "items": [line]}
    refused = api.post(ADJUSTMENTS, {**adjustment, "notes": "esc\x1b"})
    _refused(refused, "notes", _control("U+001B"))
    created = api.create(ADJUSTMENTS, {**adjustment, "notes": notes})
    assert created["notes"] == notes
    assert created["adjustmentNumber"].endswith("-0001")  # the refusal took no number


def test_batch_and_serial_numbers_are_codes(api: Api) -> None:
    location = api.location()["id"]
    batched = api.item(inventory={"tracking": "batch"})["id"]
    serial = api.item(inventory={"tracking": "serial"})["id"]

    def adjust(item: str, quantity: int, **lots: Any) -> Any:
        line = {"itemId": item, "adjustmentQuantity": quantity, "unitCost": 2, **lots}
        return api.post(ADJUSTMENTS, {"reason": "found", "locationId": location, "items": [line]})

    hidden = adjust(batched, 1, batches=[{"batchNumber": "L\u200b1", "quantity": 1}])
    _refused(hidden, "items.0.batches.0.batchNumber", _invisible("U+200B"))
    _refused(
        adjust(serial, 1, serialNumbers=["SN-1", "SN\x1f2"]),
        "items.0.serialNumbers.1",
        _control("U+001F"),
    )
    assert api.data(api.get(ADJUSTMENTS)) == []  # nothing written, no number consumed
    received = api.data(adjust(serial, 1, serialNumbers=[DECOMPOSED]), 201)
    assert received["items"][0]["serialNumbers"] == [COMPOSED]
    assert received["adjustmentNumber"].endswith("-0001")
    again = problem(adjust(serial, 1, serialNumbers=[COMPOSED]), 409, "serial_in_stock")
    assert again["errors"][0]["field"] == "items.0.serialNumbers"


def test_names_are_no_longer_than_their_columns_hold(api: Api) -> None:
    """A name the database cannot hold is refused as too long, never a server error."""
    long_name = "n" * 121
    for path in ("/api/v1/categories", "/api/v1/locations"):
        refused = problem(api.post(path, {"name": long_name}), 422, "validation_failed")
        assert [e["field"] for e in refused["errors"]] == ["name"]
        assert api.data(api.post(path, {"name": "n" * 120}), 201)["name"] == "n" * 120
    bins = f"/api/v1/locations/{api.location()['id']}/bins"
    refused = problem(api.post(bins, {"code": "B1", "name": long_name}), 422)
    assert [e["field"] for e in refused["errors"]] == ["name"]
    email = "a" * 250 + "@x.io"
    refused = problem(api.post("/api/v1/suppliers", {"name": "S", "email": email}), 422)
    assert [e["field"] for e in refused["errors"]] == ["email"]
    assert api.data(api.get(bins)) == [] and api.data(api.get("/api/v1/suppliers")) == []
