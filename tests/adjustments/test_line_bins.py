"""An adjustment line spread over several bins of its location (``bins``), and a batch on a
line spread the same way: one movement per bin, a reversal that undoes each, the bins shown on
the line as given, and every way of getting them wrong refused with nothing written."""

from __future__ import annotations

from typing import Any

from stockkeeper.core.db import Database
from tests.invariants import assert_ledger_consistent
from tests.support import Api, problem

ADJUSTMENTS = "/api/v1/inventory/adjustments"


def _bin(api: Api, location: str, code: str) -> str:
    return str(api.create(f"/api/v1/locations/{location}/bins", {"code": code})["id"])


def _line(item: str, quantity: Any, **fields: Any) -> dict[str, Any]:
    return {"itemId": item, "adjustmentQuantity": quantity, "unitCost": 2, **fields}


def _post(api: Api, location: str, *lines: dict[str, Any], **fields: Any) -> Any:
    reason = "found" if lines[0].get("adjustmentQuantity", 1) > 0 else "lost"
    body = {"reason": reason, "locationId": location, "items": list(lines), **fields}
    return api.post(ADJUSTMENTS, body)


def _levels(api: Api, item: str) -> dict[tuple[Any, Any], Any]:
    rows = api.data(api.get("/api/v1/inventory/levels", params={"itemId": item}))
    return {(row["binCode"], row["batchNumber"]): row["onHand"] for row in rows}


def _moved(api: Api, item: str, document: str) -> list[tuple[Any, ...]]:
    rows = api.data(api.get("/api/v1/inventory/movements", params={"itemId": item}))
    return sorted(
        (m["binId"], m["batchNumber"] or "", m["quantity"], m["value"])
        for m in rows
        if m["document"]["id"] == document
    )


def test_a_line_over_several_bins_moves_each_and_reverses_exactly(
    api: Api, database: Database
) -> None:
    main = api.location()["id"]
    a1, b2 = _bin(api, main, "A1"), _bin(api, main, "B2")
    item = api.item()["id"]
    bins = [{"binId": a1, "quantity": 3}, {"binId": b2, "quantity": 2}]
    added = api.data(_post(api, main, _line(item, 5, bins=bins)), 201)
    (line,) = added["items"]
    assert line["bins"] == bins and line["binId"] is None
    assert (line["currentStock"], line["adjustedStock"], line["totalCost"]) == (0, 5, 10)
    assert _moved(api, item, added["id"]) == sorted([(a1, "", 3, 6), (b2, "", 2, 4)])
    assert _levels(api, item) == {("A1", None): 3, ("B2", None): 2}
    assert api.data(api.get(f"{ADJUSTMENTS}/{added['id']}")) == added

    taken = api.data(
        _post(
            api,
            main,
            _line(item, -4, bins=[{"binId": b2, "quantity": 2}, {"binId": a1, "quantity": 2}]),
        ),
        201,
    )
    assert (taken["items"][0]["currentStock"], taken["items"][0]["adjustedStock"]) == (5, 1)
    assert _moved(api, item, taken["id"]) == sorted([(a1, "", -2, -4), (b2, "", -2, -4)])
    assert _levels(api, item) == {("A1", None): 1}

    api.data(api.post(f"{ADJUSTMENTS}/{taken['id']}/reverse"))
    assert _levels(api, item) == {("A1", None): 3, ("B2", None): 2}
    api.data(api.post(f"{ADJUSTMENTS}/{added['id']}/reverse"))
    assert _levels(api, item) == {}
    assert_ledger_consistent(database, api.tenant.company_id)


def test_a_batch_over_several_bins(api: Api, database: Database) -> None:
    main = api.location()["id"]
    a1, b2 = _bin(api, main, "A1"), _bin(api, main, "B2")
    item = api.item(inventory={"tracking": "batch"})["id"]
    l1_bins = [{"binId": a1, "quantity": 1}, {"binId": b2, "quantity": 3}]
    batches = [
        {"batchNumber": "L1", "quantity": 4, "bins": l1_bins},
        {"batchNumber": "L2", "quantity": 2, "bins": [{"binId": b2, "quantity": 2}]},
    ]
    added = api.data(_post(api, main, _line(item, 6, batches=batches)), 201)
    first, second = added["items"][0]["batches"]
    assert (first["batchNumber"], first["quantity"], first["bins"]) == ("L1", 4, l1_bins)
    assert first["batchId"].startswith("batch_") and second["bins"] == batches[1]["bins"]
    assert added["items"][0]["bins"] is None
    assert _levels(api, item) == {("A1", "L1"): 1, ("B2", "L1"): 3, ("B2", "L2"): 2}
    assert _moved(api, item, added["id"]) == sorted(
        [(a1, "L1", 1, 2), (b2, "L1", 3, 6), (b2, "L2", 2, 4)]
    )

    out = [{"batchId": first["batchId"], "quantity": 3, "bins": [{"binId": b2, "quantity": 3}]}]
    taken = api.data(_post(api, main, _line(item, -3, batches=out)), 201)
    assert taken["items"][0]["batches"][0]["bins"] == out[0]["bins"]
    assert _levels(api, item) == {("A1", "L1"): 1, ("B2", "L2"): 2}
    api.data(api.post(f"{ADJUSTMENTS}/{taken['id']}/reverse"))
    assert _levels(api, item) == {("A1", "L1"): 1, ("B2", "L1"): 3, ("B2", "L2"): 2}
    assert_ledger_consistent(database, api.tenant.company_id)


def test_a_draft_keeps_its_bins_and_posts_them(api: Api, database: Database) -> None:
    main = api.location()["id"]
    a1, b2 = _bin(api, main, "A1"), _bin(api, main, "B2")
    item = api.item()["id"]
    bins = [{"binId": b2, "quantity": 1.5}, {"binId": a1, "quantity": 0.5}]
    draft = api.data(_post(api, main, _line(item, 2, bins=bins), status="draft"), 201)
    assert draft["items"][0]["bins"] == bins and _levels(api, item) == {}
    posted = api.data(api.post(f"{ADJUSTMENTS}/{draft['id']}/post"))
    assert posted["items"][0]["bins"] == bins
    assert _levels(api, item) == {("A1", None): 0.5, ("B2", None): 1.5}

    # a bin nothing but a draft names may be deleted: posting the draft then names it
    c3 = _bin(api, main, "C3")
    later = api.data(
        _post(api, main, _line(item, 1, bins=[{"binId": c3, "quantity": 1}]), status="draft"),
        201,
    )
    api.data(api.delete(f"/api/v1/locations/{main}/bins/{c3}"))
    gone = problem(api.post(f"{ADJUSTMENTS}/{later['id']}/post"), 422, "unknown_bin")
    assert [e["field"] for e in gone["errors"]] == ["items.0.bins.0.binId"]
    assert api.data(api.get(f"{ADJUSTMENTS}/{later['id']}"))["status"] == "draft"
    assert _levels(api, item) == {("A1", None): 0.5, ("B2", None): 1.5}
    assert_ledger_consistent(database, api.tenant.company_id)


def test_bins_that_do_not_fit_are_refused_and_nothing_is_written(
    api: Api, database: Database
) -> None:
    main, elsewhere = api.location()["id"], api.location()["id"]
    a1, b2, far = _bin(api, main, "A1"), _bin(api, main, "B2"), _bin(api, elsewhere, "Z9")
    item, batched = api.item()["id"], api.item(inventory={"tracking": "batch"})["id"]
    first = api.data(_post(api, main, _line(item, 1, binId=a1)), 201)

    def refused(
        line: dict[str, Any], status: int, code: str, **fields: Any
    ) -> list[tuple[str, str]]:
        found = problem(_post(api, main, line, **fields), status, code)
        return [(e["field"], e["code"]) for e in found.get("errors", [])]

    def share(bin_id: str, quantity: Any) -> dict[str, Any]:
        return {"binId": bin_id, "quantity": quantity}

    assert refused(_line(item, 5, bins=[share(a1, 3), share(b2, 1)]), 422, "invalid_lots") == [
        ("items.0.bins", "does_not_add_up")
    ]
    assert refused(_line(item, -2, bins=[share(a1, 1), share(a1, 1)]), 422, "invalid_lots") == [
        ("items.0.bins", "duplicate")
    ]
    assert refused(_line(item, 2, bins=[share(a1, 1), share(far, 1)]), 422, "unknown_bin") == [
        ("items.0.bins.1.binId", "unknown_reference")
    ]
    assert refused(_line(item, 1, bins=[share("bin_nope", 1)]), 422, "unknown_bin") == [
        ("items.0.bins.0.binId", "unknown_reference")
    ]
    badly_split = [{"batchNumber": "L1", "quantity": 2, "bins": [share(a1, 1)]}]
    assert refused(_line(batched, 2, batches=badly_split), 422, "invalid_lots") == [
        ("items.0.batches.0.bins", "does_not_add_up")
    ]
    unsplit = [{"batchNumber": "L1", "quantity": 2}]
    assert refused(
        _line(batched, 2, batches=unsplit, bins=[share(a1, 2)]), 422, "invalid_lots"
    ) == [("items.0.bins", "contradicts_item")]
    twice = refused(_line(item, 1, binId=a1, bins=[share(a1, 1)]), 422, "validation_failed")
    assert twice == [("items.0", "value_error")]
    batch_and_line = _line(
        batched, 2, bins=[share(a1, 2)], batches=[{**unsplit[0], "bins": [share(a1, 2)]}]
    )
    assert refused(batch_and_line, 422, "validation_failed") == [("items.0", "value_error")]
    revalue = {"itemId": item, "valueAdjusted": 5, "bins": [share(a1, 1)]}
    assert refused(revalue, 422, "validation_failed", adjustmentType="value") == [
        ("items.0.bins", "wrong_kind")
    ]
    assert refused(_line(item, 1, bins=[]), 422, "validation_failed") == [
        ("items.0.bins", "too_short")
    ]

    assert _levels(api, item) == {("A1", None): 1}
    listed = api.data(api.get(ADJUSTMENTS, params={"itemId": item}))
    assert [a["id"] for a in listed] == [first["id"]]
    number = int(first["adjustmentNumber"].rsplit("-", 1)[1])
    after = api.data(_post(api, main, _line(item, 1, bins=[share(b2, 1)])), 201)
    assert after["adjustmentNumber"].endswith(f"-{number + 1:04d}")  # none was used up
    # two on hand at the location, one of them in A1: the bin is short, and named
    short = problem(_post(api, main, _line(item, -2, bins=[share(a1, 2)])), 409)
    assert [(s["binId"], s["requested"], s["available"]) for s in short["shortages"]] == [
        (a1, 2, 1)
    ]
    assert _levels(api, item) == {("A1", None): 1, ("B2", None): 1}
    assert_ledger_consistent(database, api.tenant.company_id)
