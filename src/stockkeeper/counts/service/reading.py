"""Counts as their views show them: a summary (lists, events, the answer to a write) with
how many lines the count has and has counted, or one count with its lines and their
figures."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Literal

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from stockkeeper.catalog.models import Item
from stockkeeper.core.pagination import Listed
from stockkeeper.counts.kind import COUNTS
from stockkeeper.counts.models import StockCount, StockCountLine
from stockkeeper.counts.service import variance
from stockkeeper.counts.values import CountFilters
from stockkeeper.counts.views import CountView
from stockkeeper.stock.service.documents import locations_by_id
from stockkeeper.tenancy.service import Actor, Role

Which = Literal["all", "uncounted", "variances"]


def reveals(actor: Actor, count: StockCount) -> bool:
    """Whether the actor may see what the count expects: always, unless it is blind."""
    return not count.blind or actor.role >= Role.admin


def current(session: Session, actor: Actor, count: StockCount) -> CountView:
    """The count's summary as it stands in this transaction."""
    session.flush()
    return summaries(session, actor, [count])[0]


def summaries(session: Session, actor: Actor, counts: Sequence[StockCount]) -> list[CountView]:
    if not counts:
        return []
    line = StockCountLine
    tallies = {
        ident: (total, counted)
        for ident, total, counted in session.execute(
            select(line.count_id, func.count(), func.count(line.counted))
            .where(line.company_id == actor.company_id, line.count_id.in_([c.id for c in counts]))
            .group_by(line.count_id)
        )
    }
    places = locations_by_id(session, actor.company_id, {c.location_id for c in counts})
    return [
        CountView(c, places[c.location_id], *tallies.get(c.id, (0, 0)), reveal=reveals(actor, c))
        for c in counts
    ]


def get_count(session: Session, actor: Actor, *, count_id: str, which: Which = "all") -> CountView:
    """The count with its lines (those ``which`` asks for) and their figures."""
    count = COUNTS.get(session, actor, count_id)
    summary = summaries(session, actor, [count])[0]
    line = StockCountLine
    rows = session.execute(
        select(line, Item)
        .join(Item, and_(Item.company_id == line.company_id, Item.id == line.item_id))
        .where(line.company_id == actor.company_id, line.count_id == count_id)
        .order_by(line.position)
    ).all()
    moved = variance.movements_since(session, count)
    costs = variance.average_costs(session, actor.company_id, count.location_id)
    lines = [(row, item, variance.figures(row, moved, costs)) for row, item in rows]
    if which == "uncounted":
        lines = [entry for entry in lines if entry[0].counted is None]
    elif which == "variances":
        lines = [entry for entry in lines if entry[2].variance]
    return replace(summary, lines=lines, role=actor.role)


def list_counts(
    session: Session, actor: Actor, *, filters: CountFilters, limit: int, cursor: str | None
) -> Listed[CountView]:
    """Newest first (by date, then opening)."""
    page = COUNTS.page(session, actor, filters, limit=limit, cursor=cursor)
    views = [replace(view, role=actor.role) for view in summaries(session, actor, page.rows)]
    return Listed(views, page.next_cursor, page.total)
