"""What the faster path of large adjustments (lines built past their attribute events, line
views built past validation, the levels' and items' updates run in one driver executemany)
writes and announces: the same as the validated, one-by-one path, on both engines."""

from __future__ import annotations

import json
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from stockkeeper.adjustments import service
from stockkeeper.adjustments.models import StockAdjustmentLine
from stockkeeper.adjustments.schemas import AdjustmentRead
from stockkeeper.adjustments.values import AdjustmentLine, NewAdjustment
from stockkeeper.adjustments.views import adjustment_read
from stockkeeper.catalog.models import Item
from stockkeeper.catalog.service import locations
from stockkeeper.catalog.values import NewBin
from stockkeeper.core import outbox
from stockkeeper.core.json import dump, render_json
from stockkeeper.stock.models import StockLevel
from stockkeeper.stock.values import BatchInBins, BinQuantity
from stockkeeper.tenancy.service import Actor
from tests.factories import new_item, new_location
from tests.support import Tenant


def _post(session: Session, actor: Actor, location: str, lines: list[AdjustmentLine]) -> str:
    adjustment = NewAdjustment(reason="found", location_id=location, items=lines)
    return service.create_adjustment(session, actor, adjustment=adjustment).adjustment.id


def test_a_posted_adjustment_reads_and_announces_as_its_validated_model_does(
    session: Session, tenant: Tenant
) -> None:
    actor = tenant.actor
    location = new_location(session, actor)
    items = [new_item(session, actor) for _ in range(3)]
    # costs whose totals are quantized to six places (trailing zeros a view drops), a line
    # with words of its own, a line that takes stock away
    _post(
        session,
        actor,
        location,
        [AdjustmentLine(item_id=items[0], adjustment_quantity=Decimal(10), unit_cost=Decimal(3))],
    )
    lines = [
        AdjustmentLine(
            item_id=items[1], adjustment_quantity=Decimal(2), unit_cost=Decimal("3.333333")
        ),
        AdjustmentLine(
            item_id=items[2], adjustment_quantity=Decimal(4), unit_cost=Decimal("2.50"), notes="n"
        ),
        AdjustmentLine(item_id=items[0], adjustment_quantity=Decimal("-2.250")),
    ]
    ident = _post(session, actor, location, lines)
    view = service.get_adjustment(session, actor, adjustment_id=ident)
    validated = dump(AdjustmentRead.model_validate(view.data))
    assert render_json(view.data) == render_json(validated)
    announced = [
        m["data"]["object"] for m in outbox.pending(session) if m["event"] == "inventory.adjustment"
    ]
    assert announced[-1] == json.loads(render_json(validated), parse_float=Decimal)
    assert [line["totalCost"] for line in view.data["items"]] == [
        Decimal("6.666666"),
        Decimal(10),
        Decimal("-6.75"),
    ]


def test_many_lines_write_the_rows_and_figures_of_one_line_each(
    session: Session, tenant: Tenant
) -> None:
    actor = tenant.actor
    location = new_location(session, actor)
    items = [new_item(session, actor) for _ in range(4)]
    before = {
        row.id: row.updated_at for row in session.scalars(select(Item).where(Item.id.in_(items)))
    }
    for item in items[:2]:  # one line each
        _post(session, actor, location, [AdjustmentLine(item_id=item, adjustment_quantity=3)])
    many = [AdjustmentLine(item_id=item, adjustment_quantity=3) for item in items[2:]]
    _post(session, actor, location, many)
    session.expire_all()
    levels = {
        row.item_id: (row.on_hand, row.value, row.last_movement_id is not None)
        for row in session.scalars(
            select(StockLevel).where(
                StockLevel.company_id == actor.company_id, StockLevel.location_id == location
            )
        )
    }
    assert len(set(levels.values())) == 1 and len(levels) == 4
    rows = session.scalars(select(Item).where(Item.id.in_(items))).all()
    assert {row.stock_on_hand for row in rows} == {Decimal(3)}
    assert all(row.updated_at >= before[row.id] for row in rows)
    written = session.scalars(
        select(StockAdjustmentLine).where(StockAdjustmentLine.item_id.in_(items))
    ).all()
    shapes = {
        (line.position, line.adjustment_quantity, line.current_stock, line.adjusted_stock)
        for line in written
    }
    assert shapes == {
        (0, Decimal(3), Decimal(0), Decimal(3)),
        (1, Decimal(3), Decimal(0), Decimal(3)),
    }


def test_an_adjustment_renders_its_lines_as_their_models_dump(
    session: Session, tenant: Tenant
) -> None:
    """``view.data`` renders plain lines (no bins, batches or account) straight into their
    dump: the same as the model each line's API read builds, serials, bins and batches too."""
    actor = tenant.actor
    location = new_location(session, actor)
    shelf = locations.create_bin(session, actor, location_id=location, bin=NewBin(code="S1")).id
    plain, serial, batch = (
        new_item(session, actor),
        new_item(session, actor, inventory={"tracking": "serial"}),
        new_item(session, actor, inventory={"tracking": "batch"}),
    )
    lines = [
        AdjustmentLine(item_id=plain, adjustment_quantity=Decimal("2.50"), unit_cost=Decimal(4)),
        AdjustmentLine(
            item_id=serial,
            adjustment_quantity=Decimal(2),
            unit_cost=Decimal("1.1"),
            serial_numbers=["SN-1", "SN-2"],
        ),
        AdjustmentLine(
            item_id=plain,
            adjustment_quantity=Decimal(3),
            unit_cost=Decimal(4),
            bins=[BinQuantity(bin_id=shelf, quantity=Decimal(3))],
        ),
        AdjustmentLine(
            item_id=batch,
            adjustment_quantity=Decimal(1),
            unit_cost=Decimal(7),
            batches=[BatchInBins(batch_number="B-1", quantity=Decimal(1))],
        ),
    ]
    view = service.get_adjustment(
        session, actor, adjustment_id=_post(session, actor, location, lines)
    )
    read = dump(adjustment_read(view))
    assert view.data == read
    assert list(view.data) == list(read)
    assert [list(line) for line in view.data["items"]] == [list(line) for line in read["items"]]
    assert render_json(view.data) == render_json(read)
    assert view.data["items"][1]["serialNumbers"] == ["SN-1", "SN-2"]
