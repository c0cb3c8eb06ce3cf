"""Reasons in words: a reason named by its code or its name in any case is filed under it;
other words are filed under ``other`` and kept (``reasonText``); an inactive reason is still
refused, and the documented requests file as they always did."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from stockkeeper.adjustments import service
from stockkeeper.adjustments.values import AdjustmentFilters, NewAdjustment, StockCount
from stockkeeper.catalog.models import AdjustmentReason
from stockkeeper.core.db import Database
from stockkeeper.core.migrate import upgrade
from stockkeeper.core.settings import Settings
from stockkeeper.tenancy.service import Actor
from tests.factories import new_item, new_location
from tests.support import Api, Tenant, problem

ADJUSTMENTS = "/api/v1/inventory/adjustments"


def _body(location: str, item: str, reason: str, *lines: dict[str, Any]) -> dict[str, Any]:
    given = lines or ({},)
    items = [{"itemId": item, "adjustmentQuantity": 1, "unitCost": 1, **line} for line in given]
    return {"reason": reason, "locationId": location, "items": items}


def test_words_of_ones_own_are_filed_under_other_and_kept(api: Api) -> None:
    location, item = api.location()["id"], api.item()["id"]
    body = _body(location, item, "Water damage in aisle 4", {}, {"reason": "Damaged"})
    adjustment = api.create(ADJUSTMENTS, body)
    assert (adjustment["reason"], adjustment["reasonText"]) == ("other", "Water damage in aisle 4")
    inherited, named = adjustment["items"]
    assert (inherited["reason"], inherited["reasonText"]) == ("other", "Water damage in aisle 4")
    assert (named["reason"], named["reasonText"]) == ("damaged", None)
    assert api.data(api.get(f"{ADJUSTMENTS}/{adjustment['id']}")) == adjustment
    listed = api.data(api.get(ADJUSTMENTS, params={"reason": "other"}))
    assert [a["id"] for a in listed] == [adjustment["id"]]
    moved = api.data(api.get("/api/v1/inventory/movements", params={"itemId": item}))
    assert sorted(m["reason"] for m in moved) == ["damaged", "other"]
    # what the API writes in it is its own: a client sends words as the reason
    problem(api.post(ADJUSTMENTS, {**body, "reasonText": "x"}), 422, "validation_failed")


def test_a_reason_is_found_by_its_code_or_name_in_any_case(api: Api) -> None:
    location, item = api.location()["id"], api.item()["id"]
    api.create("/api/v1/inventory/adjustment-reasons", {"code": "shrinkage", "name": "Shelf loss"})
    lines = [{"reason": words} for words in ("STOCK_COUNT", "stock count", "shelf LOSS", "found")]
    filed = api.create(ADJUSTMENTS, _body(location, item, "Initial Stock", *lines))
    assert (filed["reason"], filed["reasonText"]) == ("initial_stock", None)
    assert [(line["reason"], line["reasonText"]) for line in filed["items"]] == [
        ("stock_count", None),
        ("stock_count", None),
        ("shrinkage", None),
        ("found", None),
    ]


def test_the_documented_reasons_file_as_before(api: Api) -> None:
    location, item = api.location()["id"], api.item()["id"]
    for reason in ("stock_count", "damaged", "found", "lost", "expired", "initial_stock"):
        adjustment = api.create(ADJUSTMENTS, _body(location, item, reason))
        assert (adjustment["reason"], adjustment["reasonText"]) == (reason, None)


def test_an_inactive_reason_is_refused_and_so_are_words_without_other(api: Api) -> None:
    location, item = api.location()["id"], api.item()["id"]
    reasons = "/api/v1/inventory/adjustment-reasons"
    api.data(api.put(f"{reasons}/expired", {"isActive": False}))
    for words in ("expired", "Expired"):
        refused = problem(api.post(ADJUSTMENTS, _body(location, item, words)), 422)
        assert refused["code"] == "unknown_reason"
        assert [(e["field"], e["code"]) for e in refused["errors"]] == [
            ("reason", "unknown_reference")
        ]
    api.data(api.put(f"{reasons}/other", {"isActive": False}))
    refused = problem(
        api.post(ADJUSTMENTS, _body(location, item, "found", {"reason": "fell off a lorry"})),
        422,
        "unknown_reason",
    )
    assert [e["field"] for e in refused["errors"]] == ["items.0.reason"]
    assert "'other'" in refused["errors"][0]["message"]
    problem(api.delete(f"{reasons}/other"), 409, "reason_in_use")  # a standard reason
    assert api.data(api.get(ADJUSTMENTS, params={"itemId": item})) == []
    api.data(api.put(f"{reasons}/other", {"isActive": True}))
    assert api.create(ADJUSTMENTS, _body(location, item, "fell off a lorry"))["reason"] == "other"


def test_drafts_and_stock_counts_file_their_reasons(session: Session, tenant: Tenant) -> None:
    actor: Actor = tenant.actor
    location, item = new_location(session, actor), new_item(session, actor)
    draft = NewAdjustment.model_validate(
        {
            "reason": "Audit finding",
            "status": "draft",
            "location_id": location,
            "items": [{"item_id": item, "adjustment_quantity": 2, "unit_cost": 1}],
        }
    )
    view = service.create_adjustment(session, actor, adjustment=draft)
    posted = service.post_adjustment(session, actor, adjustment_id=view.adjustment.id)
    assert (posted.data["reason"], posted.data["reasonText"]) == ("other", "Audit finding")
    assert posted.data["items"][0]["reasonText"] == "Audit finding"
    count = StockCount(item_id=item, location_id=location, new_quantity=1, reason="recount")
    service.count_stock(session, actor, count=count)
    listed = service.list_adjustments(
        session, actor, filters=AdjustmentFilters(item_id=item), limit=5, cursor=None
    )
    counted = listed.rows[0]  # newest first
    assert (counted.data["reason"], counted.data["reasonText"]) == ("other", "recount")
    assert counted.data["items"][0]["adjustmentQuantity"] == -1


def test_existing_companies_are_given_the_reason_other(tmp_path: Path) -> None:
    settings = Settings(environment="test", database_url=f"sqlite:///{tmp_path / 'm.db'}")
    upgrade(settings, "0020")
    database = Database(settings)
    try:
        with database.unit_of_work() as session:
            # the company row as 0020 has it (the model has columns of later revisions)
            session.execute(
                text(
                    "INSERT INTO company (id, name, currency, timezone, allow_negative_stock, "
                    "costing_method, numbering_formats, created_at, updated_at) VALUES "
                    "(:id, :id, 'MYR', 'UTC', false, 'fifo', '{}', :now, :now)"
                ),
                [
                    {"id": ident, "now": "2026-01-05 09:00:00"}
                    for ident in ("comp_plain", "comp_own")
                ],
            )
            session.add(
                AdjustmentReason(company_id="comp_own", code="other", name="Misc", is_system=False)
            )
        upgrade(settings)
        with database.unit_of_work() as session:
            found = session.execute(
                select(
                    AdjustmentReason.company_id,
                    AdjustmentReason.name,
                    AdjustmentReason.is_system,
                    AdjustmentReason.is_active,
                )
                .where(AdjustmentReason.code == "other")
                .order_by(AdjustmentReason.company_id)
            ).all()
    finally:
        database.dispose()
    assert [tuple(row) for row in found] == [
        ("comp_own", "Misc", False, True),  # the company's own is kept
        ("comp_plain", "Other", True, True),
    ]
