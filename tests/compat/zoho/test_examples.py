"""Zoho's document replayed: its create and update requests (built from the document's own
``example`` values) sent verbatim, ids substituted by the test company's, and every documented
response compared with ours: the same names, nesting and JSON types, equal values where the
request determines them. (Each answer is also validated against its schema by the client.)

The document's example line is every kind of line at once (serial numbers, batches and bins,
a batch both in and out): no item is tracked by both batch and serial, so sent whole it is
refused, and nothing is written. Sent one tracking at a time, each part of it is taken, and
between them the answers cover every name the documented responses have but the ids of
Zoho's own per-batch and per-bin entries (``NOT_SERVED``), which Stockkeeper has no use for."""

from __future__ import annotations

import copy
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest

from stockkeeper.core.db import Database
from tests.compat.zoho.client import Zoho, bin_at, levels, on_hand
from tests.compat.zoho.document import example, paths, shape_difference
from tests.invariants import assert_ledger_consistent
from tests.support import Api

CREATE = "create-an-inventory-adjustment-request"
UPDATE = "update-an-inventory-adjustment-request"
# the ids of Zoho's entries per batch and bin on a line: not served (see the README)
NOT_SERVED = frozenset(
    {
        "/inventory_adjustment/line_items/*/batches/*/batch_in_id",
        "/inventory_adjustment/line_items/*/batches/*/storages/*/storage_in_id",
        "/inventory_adjustment/line_items/*/batches/*/storages/*/storage_out_id",
        "/inventory_adjustment/line_items/*/storages/*/storage_in_id",
        "/inventory_adjustment/line_items/*/storages/*/storage_out_id",
        # the document's response examples have both; an answer has the one of its direction
        "/inventory_adjustment/line_items/*/batches/*/out_quantity",
        "/inventory_adjustment/line_items/*/batches/*/storages/*/out_quantity",
        "/inventory_adjustment/line_items/*/storages/*/out_quantity",
    }
)


@dataclass
class Company:
    location: str
    bins: dict[str, str]  # the document's storage ids -> ours
    plain: str
    batched: str
    serial: str
    account: dict[str, Any]
    batch_id: str  # the batch the document's batch_id names: BTC-TL-089


def _company(api: Api, request: dict[str, Any]) -> Company:
    location = api.location()["id"]
    line = request["line_items"][0]
    documented = {
        line["storages"][0]["storage_id"],
        line["batches"][0]["storages"][0]["storage_id"],
    }
    bins = {
        ident: bin_at(api, location, f"B{n}", name=f"Bin A{n}")
        for n, ident in enumerate(documented)
    }
    batched = api.item(inventory={"tracking": "batch"}, unit="qty")["id"]
    account = api.create(
        "/api/v1/accounts", {"code": "5000", "name": "Cost of Goods Sold", "type": "expense"}
    )
    batch = line["batches"][0]
    first = {  # the batch the example names by its id, made by an earlier adjustment
        "reason": "found",
        "locationId": location,
        "items": [
            {
                "itemId": batched,
                "adjustmentQuantity": 1,
                "unitCost": 1,
                "batches": [{"batchNumber": batch["batch_number"], "quantity": 1}],
            }
        ],
    }
    made = api.create("/api/v1/inventory/adjustments", first)
    return Company(
        location=location,
        bins=bins,
        plain=api.item(unit="qty")["id"],
        batched=batched,
        serial=api.item(inventory={"tracking": "serial"}, unit="qty")["id"],
        account=account,
        batch_id=made["items"][0]["batches"][0]["batchId"],
    )


def _substituted(request: dict[str, Any], company: Company, item: str) -> dict[str, Any]:
    """The example with the document's ids replaced by the company's."""
    sent = copy.deepcopy(request)
    sent["location_id"] = company.location
    sent["custom_fields"] = [{"customfield_id": "460000000012345", "label": "Bay", "value": "4"}]
    for line in sent["line_items"]:
        line.update(item_id=item, location_id=company.location)
        line["adjustment_account_id"] = company.account["id"]
        for batch in line.get("batches", ()):
            batch["batch_id"] = company.batch_id
            for storage in batch.get("storages", ()):
                storage["storage_id"] = company.bins[storage["storage_id"]]
        for storage in line.get("storages", ()):
            storage["storage_id"] = company.bins[storage["storage_id"]]
    return sent


def _one_tracking(sent: dict[str, Any], kind: str) -> dict[str, Any]:
    """The example's line with only what an item of that tracking takes, its quantities in
    (a positive adjustment), the line's quantity what its parts add up to."""
    part = copy.deepcopy(sent)
    line = part["line_items"][0]
    keep = {"batch": "batches", "serial": "serial_numbers", "bins": "storages"}[kind]
    for name in {"batches", "serial_numbers", "storages"} - {keep}:
        line.pop(name)
    if kind == "serial":  # one serial on the line, one in its bin
        line["storages"] = copy.deepcopy(sent["line_items"][0]["storages"])
    for entry in [*line.get("batches", ()), *line.get("storages", ())]:
        entry.pop("out_quantity", None)
        for storage in entry.get("storages", ()):
            storage.pop("out_quantity")
    if kind == "batch":
        line["quantity_adjusted"] = sum(b["in_quantity"] for b in line["batches"])
    elif kind == "serial":  # the line's serial and its bin's: two units, in that bin
        serials = {*line["serial_numbers"], *line["storages"][0]["serial_numbers"]}
        line["quantity_adjusted"] = line["storages"][0]["in_quantity"] = len(serials)
    else:  # an item tracked by bin alone: no serial numbers in its bins
        for storage in line["storages"]:
            storage.pop("serial_numbers")
        line["quantity_adjusted"] = sum(s["in_quantity"] for s in line["storages"])
    return part


def _item(company: Company, kind: str) -> str:
    return {"batch": company.batched, "serial": company.serial, "bins": company.plain}[kind]


def _determined(sent: dict[str, Any], got: dict[str, Any], company: Company) -> None:
    """What the request determines is answered as sent."""
    for name in ("date", "reason", "description", "reference_number", "adjustment_type"):
        assert got[name] == sent[name], name
    assert got["location_id"] == company.location and got["reason_id"] == "other"
    assert got["custom_fields"] == sent["custom_fields"]
    line, ours = sent["line_items"][0], got["line_items"][0]
    for name in ("item_id", "description", "quantity_adjusted", "unit", "location_id"):
        assert ours[name] == line[name], name
    assert ours["item_total"] == line["item_total"]  # its quantity at item_total / quantity
    assert (ours["adjustment_account_id"], ours["adjustment_account_name"]) == (
        company.account["id"],
        company.account["name"],
    )
    in_bins = [n for s in line.get("storages", ()) for n in s.get("serial_numbers", ())]
    assert ours["serial_numbers"] == [*line.get("serial_numbers", []), *in_bins]
    for theirs, mine in zip(line.get("batches", ()), ours["batches"], strict=True):
        for name in ("batch_id", "batch_number", "in_quantity"):
            assert mine[name] == theirs[name], name
        assert [s["storage_id"] for s in mine["storages"]] == [
            s["storage_id"] for s in theirs["storages"]
        ]
    for theirs, mine in zip(line.get("storages", ()), ours["storages"], strict=True):
        assert (mine["storage_id"], mine["in_quantity"]) == (
            theirs["storage_id"],
            theirs["in_quantity"],
        )
        assert mine["storage_name"].startswith("Bin A")


def test_the_create_example_whole_is_refused_and_writes_nothing(
    api: Api, database: Database
) -> None:
    zoho = Zoho(api)
    request = example(CREATE)
    company = _company(api, request)
    sent = _substituted(request, company, company.batched)
    before, listed = levels(api, company.batched), zoho.list()
    refused = zoho.create(sent, status=422)
    assert refused["code"] != 0 and "line_items.0" in refused["message"]
    assert zoho.list() == listed
    assert levels(api, company.batched) == before
    assert_ledger_consistent(database, api.tenant.company_id)


def test_the_create_example_one_tracking_at_a_time(api: Api, database: Database) -> None:
    zoho = Zoho(api)
    request = example(CREATE)
    documented = example("create-an-inventory-adjustment-response")
    company = _company(api, request)
    covered: set[str] = set()
    for kind in ("batch", "serial", "bins"):
        sent = _one_tracking(_substituted(request, company, _item(company, kind)), kind)
        answer = zoho.create(sent)
        assert shape_difference(documented, answer, NOT_SERVED) is None, (kind, answer)
        assert answer["message"] == documented["message"]
        _determined(sent, answer["inventory_adjustment"], company)
        covered |= paths(answer)
        item = _item(company, kind)
        assert on_hand(api, item) == sent["line_items"][0]["quantity_adjusted"] + (
            1 if kind == "batch" else 0
        )
    assert paths(documented) - covered == NOT_SERVED
    assert levels(api, company.batched) == {("B0", "BTC-TL-089"): 2, (None, "BTC-TL-089"): 1} or (
        levels(api, company.batched) == {("B1", "BTC-TL-089"): 2, (None, "BTC-TL-089"): 1}
    )
    assert_ledger_consistent(database, api.tenant.company_id)


@pytest.mark.parametrize("kind", ["batch", "serial", "bins"])
def test_the_update_example_replaces_a_draft(api: Api, database: Database, kind: str) -> None:
    zoho = Zoho(api)
    request = example(UPDATE)
    company = _company(api, example(CREATE))
    item = _item(company, kind)
    first = _one_tracking(_substituted(example(CREATE), company, item), kind)
    draft = zoho.create({**first, "status": "draft"})["inventory_adjustment"]
    whole = _substituted(request, company, item)
    whole["line_items"][0]["line_item_id"] = draft["line_items"][0]["line_item_id"]
    zoho.update(draft["inventory_adjustment_id"], whole, status=422)  # every kind at once

    sent = _one_tracking(whole, kind)
    answer = zoho.update(draft["inventory_adjustment_id"], sent)
    documented = example("update-an-inventory-adjustment-response")
    assert shape_difference(documented, answer, NOT_SERVED) is None
    got = answer["inventory_adjustment"]
    assert (
        got["status"] == "draft"
        and got["inventory_adjustment_id"] == draft["inventory_adjustment_id"]
    )
    _determined(sent, got, company)
    held = on_hand(api, item)
    zoho.act(got["inventory_adjustment_id"], "status/adjusted")
    assert on_hand(api, item) == held + Decimal(sent["line_items"][0]["quantity_adjusted"])
    assert_ledger_consistent(database, api.tenant.company_id)


def test_the_other_documented_responses(api: Api, database: Database) -> None:
    zoho = Zoho(api)
    company = _company(api, example(CREATE))
    sent = _one_tracking(_substituted(example(CREATE), company, company.plain), "bins")
    made = zoho.create(sent)["inventory_adjustment"]
    ident = made["inventory_adjustment_id"]

    got = zoho.get(ident)
    documented = example("retrieve-an-inventory-adjustment-response")
    assert shape_difference(documented, got, NOT_SERVED) is None
    assert got["inventory_adjustment"] == made
    listed = zoho.list()
    assert shape_difference(example("list-all-the-inventory-adjustments-response"), listed) is None
    # the example's (dated 2015), after the company's first batch (dated today): newest first
    assert [a["inventory_adjustment_id"] for a in listed["inventory_adjustments"]][1:] == [ident]
    assert listed["inventory_adjustments"][1] == {
        k: v for k, v in made.items() if k != "line_items"
    }

    draft = zoho.create({**sent, "status": "draft"})["inventory_adjustment"]
    deleted = zoho.delete(draft["inventory_adjustment_id"])
    assert deleted == example("delete-an-inventory-adjustment-response")

    pending = [
        zoho.create({**sent, "status": "draft"})["inventory_adjustment"]["inventory_adjustment_id"]
        for _ in range(2)
    ]
    for each in pending:
        zoho.act(each, "submit")
    before = on_hand(api, company.plain)
    assert zoho.act(pending[0], "approve") == example("approval-action-response")
    assert on_hand(api, company.plain) == before + sent["line_items"][0]["quantity_adjusted"]
    rejection = example("reject-request")
    assert zoho.act(pending[1], "reject", rejection) == example("approval-action-response")
    assert on_hand(api, company.plain) == before + sent["line_items"][0]["quantity_adjusted"]
    assert_ledger_consistent(database, api.tenant.company_id)
