"""The report use cases through the service layer alone (no HTTP), on both engines: typed
filters in, a report with its file's name, day and rows out, and refusals in the domain's
names."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from pydantic import ValidationError
from sqlalchemy.orm import Session

from stockkeeper.adjustments import service as adjustments
from stockkeeper.adjustments.values import NewAdjustment
from stockkeeper.core.errors import Invalid, UnknownReference
from stockkeeper.reports.schemas import AbcParams
from stockkeeper.reports.service import low_stock, periods, valuation
from stockkeeper.reports.values import (
    AbcFilters,
    LowStockFilters,
    MovementFilters,
    ValuationFilters,
)
from stockkeeper.tenancy.service import Actor
from tests.factories import new_item, new_location
from tests.support import Tenant

DAY = dt.date(2026, 5, 4)


@pytest.fixture
def actor(tenant: Tenant) -> Actor:
    return tenant.actor


def _stock(session: Session, actor: Actor, location: str, item: str, quantity: int) -> None:
    line = {"item_id": item, "adjustment_quantity": quantity, "unit_cost": 3}
    body = {"reason": "found", "date": DAY, "location_id": location, "items": [line]}
    adjustments.create_adjustment(session, actor, adjustment=NewAdjustment.model_validate(body))


def test_the_valuation_as_of_a_day_with_its_file(session: Session, actor: Actor) -> None:
    location, item = new_location(session, actor), new_item(session, actor)
    _stock(session, actor, location, item, 4)
    filters = ValuationFilters(as_of_date=DAY, valuation_method="fifo")
    report = valuation.valuation_report(session, actor, filters=filters)
    assert (report.file_name, report.day) == ("stock-valuation", DAY)
    [row] = report.rows
    assert (row["item_id"], row["quantity"], row["total_value"]) == (item, 4, 12)
    read = report.read().model_dump()
    assert read["summary"]["total_value"] == 12 and read["by_location"][0]["total_items"] == 1
    before = valuation.valuation_report(
        session, actor, filters=ValuationFilters(as_of_date=DAY - dt.timedelta(days=1))
    )
    assert before.rows == []


def test_the_low_stock_report_suggests_what_to_order(session: Session, actor: Actor) -> None:
    location = new_location(session, actor)
    item = new_item(session, actor, inventory={"minimum_stock": 5, "reorder_quantity": 20})
    _stock(session, actor, location, item, 2)
    report = low_stock.low_stock_report(session, actor, filters=LowStockFilters())
    assert report.file_name == "low-stock"
    [row] = report.rows
    assert (row["location_id"], row["current_stock"], row["suggested_quantity"]) == (
        location,
        2,
        20,
    )
    elsewhere = LowStockFilters(location_id=new_location(session, actor, type="store"))
    assert low_stock.low_stock_report(session, actor, filters=elsewhere).rows == []


def test_periods_that_end_before_they_start_name_their_own_fields(
    session: Session, actor: Actor
) -> None:
    backwards = MovementFilters(date_from=DAY, date_to=DAY - dt.timedelta(days=1))
    with pytest.raises(Invalid) as movements:
        periods.movements_report(session, actor, filters=backwards)
    assert movements.value.code == "validation_failed"
    assert [e.field for e in movements.value.errors] == ["date_from"]
    abc = AbcFilters(period_from=DAY, period_to=DAY - dt.timedelta(days=1))
    with pytest.raises(Invalid) as ranked:
        periods.abc_analysis(session, actor, filters=abc)
    assert [e.field for e in ranked.value.errors] == ["period_from"]


def test_an_unknown_location_is_refused(session: Session, actor: Actor) -> None:
    with pytest.raises(UnknownReference) as unknown:
        periods.movements_report(session, actor, filters=MovementFilters(location_id="loc_x"))
    assert unknown.value.code == "unknown_location"
    assert [e.field for e in unknown.value.errors] == ["location_id"]


def test_the_abc_thresholds_leave_room_for_class_c_in_each_face_s_names() -> None:
    assert AbcFilters(a_threshold=Decimal(80), b_threshold=Decimal(20)).b_threshold == 20
    with pytest.raises(ValidationError, match="a_threshold and b_threshold add up"):
        AbcFilters(a_threshold=Decimal(80), b_threshold=Decimal(30))
    with pytest.raises(ValidationError, match="aThreshold and bThreshold add up"):
        AbcParams.model_validate({"aThreshold": 80, "bThreshold": 30})


def test_the_abc_analysis_ranks_what_was_used(session: Session, actor: Actor) -> None:
    location, item = new_location(session, actor), new_item(session, actor)
    _stock(session, actor, location, item, 4)
    filters = AbcFilters(period_from=DAY, period_to=DAY)
    report = periods.abc_analysis(session, actor, filters=filters)
    assert (report.file_name, report.day, report.rows) == ("abc-analysis", DAY, [])
    assert report.read().model_dump()["classification"]["A"]["item_count"] == 0
