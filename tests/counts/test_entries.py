"""Counted entries: serials and batches, and every entry at fault named in one refusal with
nothing of the list applied."""

from __future__ import annotations

from typing import Any

from stockkeeper.core.db import Database
from tests.counts.support import close, count, counted, lines_by_item, open_count, read
from tests.invariants import assert_ledger_consistent
from tests.support import Api, problem


def _serials(api: Api, location: str, item: str, *numbers: str) -> None:
    body = {
        "reason": "found",
        "locationId": location,
        "items": [
            {
                "itemId": item,
                "adjustmentQuantity": len(numbers),
                "unitCost": 5,
                "serialNumbers": list(numbers),
            }
        ],
    }
    api.create("/api/v1/inventory/adjustments", body)


def _batch(api: Api, location: str, item: str, number: str, quantity: int) -> None:
    body = {
        "reason": "found",
        "locationId": location,
        "items": [
            {
                "itemId": item,
                "adjustmentQuantity": quantity,
                "unitCost": 2,
                "batches": [{"batchNumber": number, "quantity": quantity}],
            }
        ],
    }
    api.create("/api/v1/inventory/adjustments", body)


def test_every_bad_entry_is_named_at_once_and_nothing_is_applied(
    api: Api, database: Database
) -> None:
    here, there = api.location()["id"], api.location()["id"]
    plain = api.item()
    phone = api.item(inventory={"tracking": "serial"})
    milk = api.item(inventory={"tracking": "batch"})
    service = api.item(type="service")
    api.adjust(here, (plain["id"], 3, 1))
    _serials(api, here, phone["id"], "SN-1", "SN-2")
    _serials(api, there, phone["id"], "SN-9")
    count_id = open_count(api, here)["id"]
    entries: list[dict[str, Any]] = [
        {"code": plain["itemCode"], "quantity": 3},  # 0: fine
        {"code": "NO-SUCH-CODE", "add": 1},  # 1: unknown
        {"code": "SN-1", "add": 1},  # 2: counted twice (with 3)
        {"code": "SN-1", "add": 1},  # 3
        {"code": "SN-9", "add": 1},  # 4: lies elsewhere
        {"itemId": milk["id"], "quantity": 2},  # 5: no batch
        {"itemId": plain["id"], "binId": "bin_nope", "add": 1},  # 6: not a bin here
        {"code": plain["itemCode"], "itemId": plain["id"], "add": 1},  # 7: both
        {"code": plain["itemCode"]},  # 8: neither quantity nor add
        {"itemId": service["id"], "add": 1},  # 9: not stocked
        {"itemId": phone["id"], "add": 1},  # 10: a serial item counted without its serial
    ]
    refused = problem(count(api, count_id, *entries), 422, "invalid_count_entries")
    found = [(e["field"], e["code"]) for e in refused["errors"]]
    assert found == [
        ("entries.1.code", "unknown_reference"),
        ("entries.2.code", "duplicate"),
        ("entries.3.code", "duplicate"),
        ("entries.4.code", "serial_elsewhere"),
        ("entries.5.batch", "batch_missing"),
        ("entries.6.binId", "unknown_reference"),
        ("entries.7.code", "wrong_kind"),
        ("entries.8.quantity", "wrong_kind"),
        ("entries.9.itemId", "not_stocked"),
        ("entries.10.itemId", "serial_missing"),
    ]
    view = read(api, count_id)
    assert view["countedLines"] == 0 and all(line["counted"] is None for line in view["lines"])
    # a serial counted once, then scanned again in a later list: counted twice
    counted(api, count_id, {"code": "SN-1", "add": 1})
    again = problem(count(api, count_id, {"code": "SN-1", "add": 1}), 422)
    assert again["errors"][0]["code"] == "duplicate"


def test_serials_found_and_missing_post_with_their_numbers(api: Api, database: Database) -> None:
    here = api.location()["id"]
    phone = api.item(inventory={"tracking": "serial"})
    _serials(api, here, phone["id"], "P-1", "P-2", "P-3")
    count_id = open_count(api, here)["id"]
    view = read(api, count_id)
    assert sorted(line["serialNumber"] for line in view["lines"]) == ["P-1", "P-2", "P-3"]
    counted(
        api,
        count_id,
        {"code": "P-1", "add": 1},
        {"code": "P-2", "quantity": 0},  # looked for, not found
        {"code": "P-3", "add": 1},
        {"itemId": phone["id"], "serial": "P-NEW", "add": 1},  # a unit never seen before
    )
    posted = close(api, count_id)
    adjustment = api.data(api.get(f"/api/v1/inventory/adjustments/{posted['adjustmentId']}"))
    assert [(i["adjustmentQuantity"], i["serialNumbers"]) for i in adjustment["items"]] == [
        (-1, ["P-2"]),
        (1, ["P-NEW"]),
    ]
    [row] = api.stock(locationId=here)
    assert row["currentStock"] == 3
    assert_ledger_consistent(database, api.tenant.company_id)


def test_batches_are_counted_by_number_and_a_new_batch_is_made(
    api: Api, database: Database
) -> None:
    here = api.location()["id"]
    milk = api.item(inventory={"tracking": "batch"})
    _batch(api, here, milk["id"], "B-1", 10)
    count_id = open_count(api, here)["id"]
    [line] = read(api, count_id)["lines"]
    assert (line["batchNumber"], line["expected"]) == ("B-1", 10)
    counted(
        api,
        count_id,
        # a known batch keeps its own expiry date; a new one is made with the one given
        {"code": milk["itemCode"], "batch": "B-1", "quantity": 8, "expiryDate": "2030-01-01"},
        {"code": milk["itemCode"], "batch": "B-NEW", "quantity": 3, "expiryDate": "2027-03-31"},
    )
    refused = problem(
        count(api, count_id, {"code": milk["itemCode"], "add": 1, "expiryDate": "2027-01-01"}), 422
    )
    assert ("entries.0.expiryDate", "wrong_kind") in {
        (e["field"], e["code"]) for e in refused["errors"]
    }
    lines = {line["batchNumber"]: line for line in read(api, count_id)["lines"]}
    assert (lines["B-1"]["variance"], lines["B-NEW"]["variance"]) == (-2, 3)
    assert (lines["B-1"]["expiryDate"], lines["B-NEW"]["expiryDate"]) == (None, "2027-03-31")
    assert lines["B-NEW"]["inSnapshot"] is False
    close(api, count_id)
    levels = {
        row["batchNumber"]: (row["onHand"], row["expiryDate"])
        for row in api.data(api.get("/api/v1/inventory/levels", params={"itemId": milk["id"]}))
    }
    assert levels == {"B-1": (8, None), "B-NEW": (3, "2027-03-31")}
    assert lines_by_item(read(api, count_id))
    assert_ledger_consistent(database, api.tenant.company_id)


def test_a_new_batch_has_one_expiry_date_in_every_bin(api: Api, database: Database) -> None:
    """A batch the count finds first in two bins takes the last expiry date given for it on
    both lines; the batch its adjustment creates has that date."""
    here = api.location()["id"]
    shelf, floor = (api.create(f"/api/v1/locations/{here}/bins", {"code": c})["id"] for c in "AB")
    milk = api.item(inventory={"tracking": "batch"})
    count_id = open_count(api, here)["id"]
    new = {"code": milk["itemCode"], "batch": "B-9"}
    counted(api, count_id, new | {"binId": shelf, "quantity": 2, "expiryDate": "2027-01-31"})
    counted(api, count_id, new | {"binId": floor, "quantity": 3})
    [first, second] = read(api, count_id)["lines"]
    assert (first["expiryDate"], second["expiryDate"]) == ("2027-01-31", "2027-01-31")
    counted(api, count_id, new | {"binId": floor, "add": 1, "expiryDate": "2027-06-30"})
    assert {line["expiryDate"] for line in read(api, count_id)["lines"]} == {"2027-06-30"}
    close(api, count_id)
    levels = api.data(api.get("/api/v1/inventory/levels", params={"itemId": milk["id"]}))
    assert {(row["binId"], row["onHand"], row["expiryDate"]) for row in levels} == {
        (shelf, 2, "2027-06-30"),
        (floor, 4, "2027-06-30"),
    }
    assert_ledger_consistent(database, api.tenant.company_id)


def test_an_expiry_date_is_a_day_in_iso_text(api: Api) -> None:
    here = api.location()["id"]
    milk = api.item(inventory={"tracking": "batch"})
    count_id = open_count(api, here)["id"]
    for bad in (1798675200, "0001-01-01", "31/01/2027"):
        entry = {"code": milk["itemCode"], "batch": "B-1", "add": 1, "expiryDate": bad}
        problem(count(api, count_id, entry), 422)
    assert read(api, count_id)["countedLines"] == 0
