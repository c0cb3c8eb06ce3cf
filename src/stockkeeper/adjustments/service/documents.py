"""Adjustment documents: creating one (posted at once, or kept as a draft), replacing a
draft's content, deleting a draft, reading and listing them. The moves after creation are in
``lifecycle.py``."""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy import delete
from sqlalchemy.orm import Session

from stockkeeper.adjustments.kind import ADJUSTMENTS
from stockkeeper.adjustments.models import StockAdjustment, StockAdjustmentLine
from stockkeeper.adjustments.service import lifecycle, reading
from stockkeeper.adjustments.service.content import fill
from stockkeeper.adjustments.values import AdjustmentContent, AdjustmentFilters, NewAdjustment
from stockkeeper.adjustments.views import AdjustmentView
from stockkeeper.catalog.models import Item
from stockkeeper.catalog.service.common import rows_by_id
from stockkeeper.core import collector
from stockkeeper.core.db import insert_new
from stockkeeper.core.ids import new_id
from stockkeeper.core.pagination import Listed
from stockkeeper.core.types import utcnow
from stockkeeper.stock.service import external_ids, ledger, lots
from stockkeeper.stock.service.locations import virtual_locations
from stockkeeper.tenancy.service import Actor, company_today, get_company


def create_adjustment(
    session: Session, actor: Actor, *, adjustment: NewAdjustment, movement_type: str = "adjustment"
) -> AdjustmentView:
    """Creates the adjustment and posts it at once, unless it is to stay a draft. One whose
    external id the company has already is not created again: the view of that one (its
    ``existing`` set) is the answer."""
    with collector.held_off(len(adjustment.items)):
        return external_ids.create_once(
            session,
            ADJUSTMENTS,
            actor.company_id,
            adjustment.external_id,
            lambda: _create(session, actor, adjustment, movement_type),
            lambda row: replace(_views(session, actor, [row])[0], existing=True),
        )


def _create(
    session: Session, actor: Actor, adjustment: NewAdjustment, movement_type: str
) -> AdjustmentView:
    company = get_company(session, actor.company_id)
    row = StockAdjustment(
        id=new_id("adj"),
        company_id=actor.company_id,
        status="draft",
        external_id=adjustment.external_id,
        created_by=actor.name,
        created_at=utcnow(),  # before it is posted, not when its row is written
    )
    lines = fill(session, actor, row, adjustment, company_today(company))
    row.adjustment_number = ADJUSTMENTS.next_number(session, company, row.adjustment_date)
    # written once checked and posted, with the figures the posting gave the lines
    if adjustment.status == "draft":
        _check_draft_lines(session, actor, lines)
        ADJUSTMENTS.record(session, actor, "drafted", row, number=row.adjustment_number)
    else:
        lifecycle.post_lines(session, actor, company, row, lines, movement_type)
    insert_new(session, row, *lines)
    view = _view(session, actor, row, lines)
    if row.status == "posted":
        lifecycle.announce(session, actor, view)
    return view


def update_adjustment(
    session: Session, actor: Actor, *, adjustment_id: str, content: AdjustmentContent
) -> AdjustmentView:
    """Replaces a draft's content and lines."""
    row = ADJUSTMENTS.locked(session, actor, adjustment_id, "edit")
    company = get_company(session, actor.company_id)
    lines = fill(session, actor, row, content, company_today(company))
    _delete_lines(session, actor, row)
    _check_draft_lines(session, actor, lines)
    session.add_all(lines)
    ADJUSTMENTS.record(session, actor, "edited", row, lines=len(lines))
    session.flush()
    return get_adjustment(session, actor, adjustment_id=adjustment_id)


def delete_adjustment(session: Session, actor: Actor, *, adjustment_id: str) -> None:
    row = ADJUSTMENTS.locked(session, actor, adjustment_id, "delete")
    _delete_lines(session, actor, row)
    session.delete(row)
    ADJUSTMENTS.record(session, actor, "deleted", row, number=row.adjustment_number)
    session.flush()


def get_adjustment(session: Session, actor: Actor, *, adjustment_id: str) -> AdjustmentView:
    found = _views(session, actor, [ADJUSTMENTS.get(session, actor, adjustment_id)])[0]
    return replace(found, role=actor.role)


def list_adjustments(
    session: Session,
    actor: Actor,
    *,
    filters: AdjustmentFilters,
    limit: int,
    cursor: str | None,
    offset: int = 0,
) -> Listed[AdjustmentView]:
    """Newest first (by date, then creation); ``offset`` skips that many first, for the
    faces that number their pages."""
    page = ADJUSTMENTS.page(session, actor, filters, limit=limit, cursor=cursor, offset=offset)
    rows = [replace(view, role=actor.role) for view in _views(session, actor, page.rows)]
    return Listed(rows, page.next_cursor, page.total)


def _views(
    session: Session, actor: Actor, adjustments: list[StockAdjustment]
) -> list[AdjustmentView]:
    if not adjustments:
        return []
    lines = ADJUSTMENTS.lines(session, actor.company_id, [a.id for a in adjustments])
    return reading.views(session, actor.company_id, adjustments, lines)


def _view(
    session: Session, actor: Actor, row: StockAdjustment, lines: list[StockAdjustmentLine]
) -> AdjustmentView:
    """The view of an adjustment whose lines are at hand, from rows the session holds."""
    items = rows_by_id(session, Item, actor.company_id, {line.item_id for line in lines})
    with_items = {row.id: [(line, items[line.item_id]) for line in lines]}
    return reading.views(session, actor.company_id, [row], with_items)[0]


def _delete_lines(session: Session, actor: Actor, row: StockAdjustment) -> None:
    session.execute(
        delete(StockAdjustmentLine).where(
            StockAdjustmentLine.company_id == actor.company_id,
            StockAdjustmentLine.adjustment_id == row.id,
        )
    )


def _check_draft_lines(session: Session, actor: Actor, lines: list[StockAdjustmentLine]) -> None:
    """What posting would refuse about the items, refused already when a draft is saved."""
    loss = virtual_locations(session, actor.company_id)["loss"]
    moves = [lifecycle.movement_line(line, loss, loss, "") for line in lines]
    ledger.check_items(session, actor.company_id, moves)
    lots.check(
        session,
        actor.company_id,
        [(move, lifecycle.lots_of(line)) for move, line in zip(moves, lines, strict=True)],
    )
