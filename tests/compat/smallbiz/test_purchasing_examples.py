"""The smallbiz document's purchasing examples, replayed: the ``PUT .../items`` body sent
verbatim (its product ids substituted), each documented table of fields sent as a request
(every field of it), the query parameters of each list, and the documented answers (the
packing-slip upload's ``{ok, filename}``, the deletes' ``{ok: true}``) compared with ours:
the same names, nesting and JSON types, and equal values where the request decides them.
The examples are copied here as the document writes them; where the document is at hand
(``tests/compat/spec``), a test checks they still are."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from typing import Any

from stockkeeper.core.db import Database
from tests.compat import spec
from tests.compat.smallbiz.purchasing_support import (
    ORDERS,
    PDF,
    SUPPLIERS,
    ZIP,
    has_names,
    movements,
    number,
    ok,
    on_hand,
    product,
    shape_difference,
    warehouse,
)
from tests.support import Api

SPEC = spec.SMALLBIZ

# PUT /suppliers/orders/:id/items, as the document writes it
ITEMS_EXAMPLE = """{
"items": [
{ "product_id": 5, "quantity": 10, "unit_cost": 4.50 },
{ "product_id": 8, "quantity": 2, "unit_cost": 12.00 }
]
}"""
UPLOAD_ANSWER = '{ "ok": true, "filename": "IO2601_CRED001_20260325.pdf" }'
DELETE_ANSWER = '{ "ok": true }'  # DELETE /suppliers/orders/:id

# each documented table of fields, every field given a value of its documented type
SUPPLIER_FIELDS = {
    "name": "Widget Supplier Ltd",
    "contact_person": "Aisha Rahman",
    "email": "orders@widgets.example",
    "phone": "+60 3-2222 1111",
    "address": "12 Jalan Ampang, Kuala Lumpur",
    "notes": "Pays on 30 days",
    "website": "https://widgets.example",
}
ORDER_FIELDS = {
    "supplier_id": "<supplier>",
    "staff_id": "<staff>",
    "notes": "First order of the year",
    "order_date": "2026-03-20",
    "expected_date": "2026-03-24",
}
UPDATE_FIELDS = {
    "status": "received",
    "notes": "Delivered complete",
    "order_date": "2026-03-21",
    "expected_date": "2026-03-25",
    "received_date": "2026-03-25",
    "packing_slip_number": "PS-4471",
}


def _table(section: str) -> list[str]:
    """The field names of the first table after ``section`` in the document."""
    text = SPEC.read_text()
    after = text[text.index(section) :]
    table = after[after.index("|---") : after.index("\n", after.index("|---") + 1) + 1]
    rows = after[after.index(table) + len(table) :].splitlines()
    names = []
    for row in rows:
        if "|" not in row:
            break
        names.append(row.split("|")[0].strip())
    return names


def test_the_examples_are_the_documents() -> None:
    flat = re.sub(r"\s+", " ", SPEC.read_text())
    for example in (ITEMS_EXAMPLE, UPLOAD_ANSWER, DELETE_ANSWER):
        assert re.sub(r"\s+", " ", example) in flat
    assert _table("POST /suppliers\n") == list(SUPPLIER_FIELDS)
    assert _table("POST /suppliers/orders\n") == list(ORDER_FIELDS)
    assert _table("PUT /suppliers/orders/:id\n") == list(UPDATE_FIELDS)
    assert "active (boolean)" in flat and "status to filter by status; page, limit" in flat


def _verbatim(example: str, ids: dict[int, int]) -> str:
    """The example with its product ids substituted, and nothing else changed."""
    return re.sub(r'("product_id": )(\d+)', lambda m: f"{m[1]}{ids[int(m[2])]}", example)


def test_the_documented_purchasing_requests(api: Api, database: Database) -> None:
    warehouse(api)
    created = ok(api.post(SUPPLIERS, SUPPLIER_FIELDS), 201)
    assert {k: created[k] for k in SUPPLIER_FIELDS} == SUPPLIER_FIELDS
    assert (created["creditor_number"], created["active"]) == ("CRED001", True)
    listed = ok(api.get(SUPPLIERS, params={"active": "true", "page": 1, "limit": 50}))
    assert [s["id"] for s in listed] == [created["id"]]
    has_names(listed[0], "id", "name", "creditor_number", *SUPPLIER_FIELDS)

    (widget, five), (gadget, eight) = product(database, api), product(database, api)
    staff = number(database, api, "staff", api.tenant.actor.key_id or "")
    body = {**ORDER_FIELDS, "supplier_id": created["id"], "staff_id": staff}
    new = ok(api.post(ORDERS, body), 201)
    assert new["items"] == [] and new["status"] == "created"
    assert {k: new[k] for k in ORDER_FIELDS} == body
    assert new["order_number"] == "IO2601"  # the first of its year in this company
    has_names(new, "id", "order_number", "supplier_name", "creditor_number", "items")

    raw = _verbatim(ITEMS_EXAMPLE, {5: five, 8: eight})
    headers = {"Content-Type": "application/json"}
    lined = ok(api.request("PUT", f"{ORDERS}/{new['id']}/items", content=raw, headers=headers))
    sent = json.loads(raw)["items"]
    assert [{k: i[k] for k in sent[0]} for i in lined["items"]] == sent
    for line in lined["items"]:
        has_names(line, "id", "product_id", "product_name", "quantity", "unit_cost")
        assert line["received_quantity"] == 0

    ok(api.put(f"{ORDERS}/{new['id']}", {"status": "ordered"}))
    received = ok(api.put(f"{ORDERS}/{new['id']}", UPDATE_FIELDS))
    assert {k: received[k] for k in UPDATE_FIELDS} == UPDATE_FIELDS
    assert (on_hand(api, widget), on_hand(api, gadget)) == (
        Decimal(10),
        Decimal(2),
    )  # stock incremented
    assert [m["quantity"] for m in movements(api, widget)] == [10]  # its transactions

    listed_orders = ok(api.get(ORDERS, params={"status": "received", "page": 1, "limit": 50}))
    assert [(o["id"], o["supplier_name"], o["item_count"]) for o in listed_orders] == [
        (new["id"], created["name"], 2)
    ]
    one = ok(api.get(f"{ORDERS}/{new['id']}"))
    assert [i["product_id"] for i in one["items"]] == [five, eight]
    detail = ok(api.get(f"{SUPPLIERS}/{created['id']}"))
    assert [o["order_number"] for o in detail["orders"]] == ["IO2601"]
    changed = ok(api.put(f"{SUPPLIERS}/{created['id']}", {"active": False}))
    assert changed["active"] is False


def test_the_documented_answers(api: Api, database: Database) -> None:
    warehouse(api)
    supplier = ok(api.post(SUPPLIERS, {"name": "Widget Supplier Ltd"}), 201)
    _, five = product(database, api)
    new = ok(api.post(ORDERS, {"supplier_id": supplier["id"], "order_date": "2026-03-20"}), 201)
    items = {"items": [{"product_id": five, "quantity": 1, "unit_cost": 4.5}]}
    ok(api.put(f"{ORDERS}/{new['id']}/items", items))
    ok(api.put(f"{ORDERS}/{new['id']}", {"status": "ordered"}))
    ok(api.put(f"{ORDERS}/{new['id']}", {"status": "received", "received_date": "2026-03-25"}))

    files = {"file": ("slip.pdf", PDF, "application/pdf")}
    answer = ok(api.post(f"{ORDERS}/{new['id']}/packing-slip", files=files))
    documented = json.loads(UPLOAD_ANSWER)
    assert shape_difference(documented, answer) is None, shape_difference(documented, answer)
    assert answer == documented  # CRED001, IO2601 and the day received decide every part
    assert api.get(f"{ORDERS}/{new['id']}/packing-slip").content == PDF
    assert api.get(ZIP, params={"year": 2026}).headers["content-type"] == "application/zip"

    deleted = json.loads(DELETE_ANSWER)
    assert ok(api.delete(f"{ORDERS}/{new['id']}")) == deleted
    unused = ok(api.post(SUPPLIERS, {"name": "Spare Parts Co"}), 201)
    assert ok(api.delete(f"{SUPPLIERS}/{unused['id']}")) == deleted


def test_shape_difference_names_the_first_difference() -> None:
    documented: dict[str, Any] = {"ok": True, "items": [{"id": 1, "name": "a"}]}
    assert shape_difference(documented, {"ok": True, "items": []}) is None
    assert shape_difference(documented, {"ok": 1, "items": []}) == (
        "$.ok: documented boolean, ours number"
    )
    found = shape_difference(documented, {"ok": True, "items": [{"id": 2, "name": None}]})
    assert found == "$.items[0].name: documented string, ours null"
    assert shape_difference(documented, {"ok": True}) is not None
