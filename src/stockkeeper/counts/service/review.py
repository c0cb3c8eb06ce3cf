"""A count's review a page at a time: a count of ten thousand lines is read a hundred lines
at once, with their figures (expected, counted, variance and its value)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any, cast

from sqlalchemy import and_, select
from sqlalchemy.orm import Session

from stockkeeper.catalog.models import Bin, Item
from stockkeeper.catalog.service.common import rows_by_id
from stockkeeper.counts.kind import COUNTS
from stockkeeper.counts.models import StockCount, StockCountLine
from stockkeeper.counts.service import reading, variance
from stockkeeper.counts.service.reading import Which
from stockkeeper.counts.views import CountView
from stockkeeper.tenancy.service import Actor


@dataclass(frozen=True)
class Review:
    """One page of the count's lines (``view.lines``), how many lines ``which`` finds, and
    the codes of the page's bins (by id)."""

    view: CountView
    total: int
    bin_codes: dict[str, str]


def review_count(
    session: Session, actor: Actor, *, count_id: str, which: Which, offset: int, limit: int
) -> Review:
    """The lines ``which`` asks for, in the count's order, from ``offset``: their variances
    only to those the count reveals them to (a blind count's clerks see every line)."""
    count = COUNTS.get(session, actor, count_id)
    summary = reading.summaries(session, actor, [count])[0]
    if which == "variances" and not summary.reveal:
        which = "all"
    line = StockCountLine
    rows = (
        select(line, Item)
        .join(Item, and_(Item.company_id == line.company_id, Item.id == line.item_id))
        .where(line.company_id == actor.company_id, line.count_id == count_id)
        .order_by(line.position)
    )
    moved = variance.movements_since(session, count)
    costs = variance.average_costs(session, actor.company_id, count.location_id)
    if which == "variances":
        differing = _differing(session, count, moved, costs)
        chosen = differing[offset : offset + limit]
        page = session.execute(rows.where(line.id.in_(chosen))).all() if chosen else []
        total = len(differing)
    else:
        if which == "uncounted":
            rows = rows.where(line.counted.is_(None))
        page = session.execute(rows.offset(offset).limit(limit)).all()
        total = summary.line_count - (summary.counted_lines if which == "uncounted" else 0)
    lines = [(row, item, variance.figures(row, moved, costs)) for row, item in page]
    view = replace(summary, lines=lines, role=actor.role)
    shelves = {row.bin_id for row, _, _ in lines if row.bin_id}
    codes = rows_by_id(session, Bin, actor.company_id, shelves) if shelves else {}
    return Review(view, total, {ident: shelf.code for ident, shelf in codes.items()})


def _differing(
    session: Session,
    count: StockCount,
    moved: variance.Movements,
    costs: dict[tuple[str, str | None], Decimal],
) -> list[str]:
    """The ids of the counted lines with a variance, in the count's order. A variance is
    figured from the movements, so every counted line is read (the columns the figures need)."""
    line = StockCountLine
    figured = variance.counted_lines(
        session,
        count,
        line.id,
        line.item_id,
        line.variant_id,
        line.line_key,
        line.expected,
        line.counted,
        line.counted_at,
        line.variance,
        line.unit_cost,
    )
    # a row has the attributes of the line that the figures read
    return [row.id for row in figured if variance.figures(cast(Any, row), moved, costs).variance]
