"""A count from opening to posting: the snapshot, counting by code, barcode and item id, the
review's figures, one adjustment of the variances, and what the ledger holds after."""

from __future__ import annotations

from sqlalchemy import select

from stockkeeper.core.audit import AuditEvent
from stockkeeper.core.db import Database
from stockkeeper.core.outbox import OutboxEvent
from tests.counts.support import COUNTS, close, counted, lines_by_item, move, open_count, read
from tests.invariants import assert_ledger_consistent
from tests.support import Api, problem


def test_a_count_posts_one_adjustment_of_its_variances(api: Api, database: Database) -> None:
    here = api.location()["id"]
    widget = api.item(barcode="9555000000011")
    bolt = api.item()
    nut = api.item()
    api.adjust(here, (widget["id"], 10, 2), (bolt["id"], 5, 3), (nut["id"], 7, 1))
    opened = open_count(api, here, reference="Q4")
    assert (opened["status"], opened["lineCount"], opened["countedLines"]) == ("counting", 3, 0)
    assert opened["countNumber"].startswith("CNT-") and opened["allowedActions"] == [
        "count",
        "recount",
        "submit",
        "cancel",
    ]
    count_id = opened["id"]
    after = counted(
        api,
        count_id,
        {"code": "9555000000011", "add": 1},
        {"code": widget["itemCode"], "quantity": 7},
        {"code": "9555000000011", "add": 1},
        {"itemId": bolt["id"], "quantity": 5},
    )
    assert (after["lineCount"], after["countedLines"]) == (3, 2)
    review = read(api, count_id)
    lines = lines_by_item(review)
    assert lines[widget["itemCode"]]["counted"] == 8  # 1, then 7 counted, then a scan
    assert (lines[widget["itemCode"]]["expected"], lines[widget["itemCode"]]["variance"]) == (
        10,
        -2,
    )
    assert lines[widget["itemCode"]]["value"] == -4
    assert lines[bolt["itemCode"]]["variance"] == 0
    assert lines[nut["itemCode"]]["counted"] is None and lines[nut["itemCode"]]["variance"] is None
    uncounted = read(api, count_id, lines="uncounted")["lines"]
    assert [line["itemCode"] for line in uncounted] == [nut["itemCode"]]
    assert [line["itemCode"] for line in read(api, count_id, lines="variances")["lines"]] == [
        widget["itemCode"]
    ]
    assert (review["varianceQuantity"], review["varianceValue"]) == (-2, -4)

    posted = close(api, count_id)
    assert posted["status"] == "posted" and posted["allowedActions"] == []
    adjustment = api.data(api.get(f"/api/v1/inventory/adjustments/{posted['adjustmentId']}"))
    assert (adjustment["reason"], adjustment["status"], adjustment["reference"]) == (
        "stock_count",
        "posted",
        posted["countNumber"],
    )
    assert [(i["itemId"], i["adjustmentQuantity"]) for i in adjustment["items"]] == [
        (widget["id"], -2)
    ]
    stock = {row["itemId"]: row["currentStock"] for row in api.stock(locationId=here)}
    assert stock == {widget["id"]: 8, bolt["id"]: 5, nut["id"]: 7}
    final = lines_by_item(read(api, count_id))
    assert (final[widget["itemCode"]]["variance"], final[widget["itemCode"]]["unitCost"]) == (-2, 2)
    assert problem(move(api, count_id, "cancel"), 409, "illegal_transition")["allowedActions"] == []
    with database.unit_of_work(write=False) as session:
        actions = session.scalars(
            select(AuditEvent.action)
            .where(AuditEvent.company_id == api.tenant.company_id, AuditEvent.entity_id == count_id)
            .order_by(AuditEvent.occurred_at)
        ).all()
        events = session.scalars(
            select(OutboxEvent.message).where(
                OutboxEvent.company_id == api.tenant.company_id,
                OutboxEvent.event == "inventory.count",
            )
        ).all()
    assert list(actions) == [
        "count.opened",
        "count.counted",
        "count.submitted",
        "count.approved",
        "count.posted",
    ]
    changes = sorted('"change":"' + c + '"' in m for m in events for c in ("opened", "posted"))
    assert changes.count(True) == 2
    assert_ledger_consistent(database, api.tenant.company_id)


def test_a_count_that_matches_posts_no_adjustment(api: Api, database: Database) -> None:
    here = api.location()["id"]
    item = api.item()
    api.adjust(here, (item["id"], 4, 1))
    count_id = open_count(api, here)["id"]
    counted(api, count_id, {"itemId": item["id"], "quantity": "4"})
    posted = close(api, count_id)
    assert posted["status"] == "posted" and posted["adjustmentId"] is None
    assert_ledger_consistent(database, api.tenant.company_id)


def test_a_read_lists_the_actions_its_readers_role_may_take(api: Api) -> None:
    """A viewer's read of a count lists none; a clerk's no approving or posting (an admin's);
    the admin's every one the status allows."""
    here = api.location()["id"]
    item = api.item()
    api.adjust(here, (item["id"], 2, 1))
    count_id = open_count(api, here)["id"]
    counted(api, count_id, {"itemId": item["id"], "quantity": 2})
    move(api, count_id, "submit")

    def actions(key: str) -> tuple[list[str], list[str]]:
        reader = api.as_key(key)
        listed = reader.data(reader.get(COUNTS, params={"locationId": here}))
        return read(reader, count_id)["allowedActions"], listed[0]["allowedActions"]

    tenant = api.tenant
    assert actions(tenant.viewer_key) == ([], [])
    assert actions(tenant.clerk_key) == (["recount", "cancel"], ["recount", "cancel"])
    assert actions(tenant.admin_key)[0] == ["recount", "approve", "cancel"]
