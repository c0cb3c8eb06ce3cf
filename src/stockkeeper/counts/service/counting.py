"""Counting: clerks' entries applied to the count's lines, and lines sent back to be counted
again. Each takes the count's row lock first, so clerks counting at once queue there and
every scan counts: two ``+1`` on one line make 2."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from stockkeeper.core.errors import UnknownReference, field_error
from stockkeeper.core.types import utcnow
from stockkeeper.counts.kind import COUNTS
from stockkeeper.counts.models import StockCount, StockCountLine
from stockkeeper.counts.service import reading
from stockkeeper.counts.service.entries import Counted, check_entries
from stockkeeper.counts.service.keys import new_line
from stockkeeper.counts.values import CountEntry
from stockkeeper.counts.views import CountView
from stockkeeper.tenancy.service import Actor


def count_lines(
    session: Session, actor: Actor, *, count_id: str, entries: Sequence[CountEntry]
) -> CountView:
    """Applies the entries in their order, all of them or (any at fault) none: a quantity
    replaces what its line counted, ``add`` adds to it."""
    count = COUNTS.locked(session, actor, count_id, "count")
    apply_entries(session, actor, count, entries)
    return reading.current(session, actor, count)


def apply_entries(
    session: Session, actor: Actor, count: StockCount, entries: Sequence[CountEntry]
) -> list[StockCountLine]:
    """The entries checked and applied to the (locked) count's lines, with the audit row;
    the line each entry counted, in the entries' order."""
    checked = check_entries(
        session, count, entries, _serials_counted(session, actor.company_id, count.id)
    )
    lines = _lines_by_key(session, actor.company_id, count.id, {c.place.key for c in checked})
    now = utcnow()
    position = _next_position(session, actor.company_id, count.id)
    for entry in checked:
        line = lines.get(entry.place.key)
        if line is None:
            line = new_line(count, position, entry.place, entry.batch_id, in_snapshot=False)
            session.add(line)
            lines[entry.place.key] = line
            position += 1
        if entry.add is not None:
            line.counted = (line.counted or 0) + entry.add
        else:
            line.counted = entry.quantity
        line.counted_by, line.counted_at, line.recount = actor.name, now, False
    _date_new_batches(session, count, checked)
    COUNTS.record(session, actor, "counted", count, entries=len(entries))
    session.flush()
    return [lines[entry.place.key] for entry in checked]


def _date_new_batches(session: Session, count: StockCount, checked: list[Counted]) -> None:
    """A batch the count finds first has one expiry date on all its lines (in every bin): the
    last one given, else the one given before; its adjustment creates the batch with it."""
    dates: dict[tuple[str, str], date | None] = {}
    for c in checked:  # the last date given for each new batch
        if c.place.batch_number is not None and c.batch_id is None:
            key = (c.place.item_id, c.place.batch_number)
            dates[key] = c.expiry_date or dates.get(key)
    line = StockCountLine
    for (item_id, number), given in dates.items():
        siblings = session.scalars(
            select(line).where(
                line.company_id == count.company_id,
                line.count_id == count.id,
                line.item_id == item_id,
                line.batch_number == number,
                line.batch_id.is_(None),
            )
        ).all()
        day = given or next((s.expiry_date for s in siblings if s.expiry_date), None)
        for sibling in siblings:
            sibling.expiry_date = day


def recount_lines(
    session: Session, actor: Actor, *, count_id: str, line_ids: Sequence[str]
) -> CountView:
    """Clears what the lines counted, to be counted again; a submitted count goes back to
    counting."""
    count = COUNTS.locked(session, actor, count_id, "recount")
    wanted = list(dict.fromkeys(line_ids))
    rows = {
        line.id: line
        for line in session.scalars(
            select(StockCountLine).where(
                StockCountLine.company_id == actor.company_id,
                StockCountLine.count_id == count_id,
                StockCountLine.id.in_(wanted),
            )
        )
    }
    errors = [
        field_error(f"line_ids.{n}", f"no line {ident!r} in this count", "unknown_reference")
        for n, ident in enumerate(line_ids)
        if ident not in rows
    ]
    if errors:
        raise UnknownReference("count line", errors)
    for line in rows.values():
        line.counted, line.counted_by, line.counted_at, line.recount = None, None, None, True
    count.status = "counting"
    COUNTS.record(session, actor, "recounted", count, lines=len(rows))
    session.flush()
    return reading.current(session, actor, count)


def _serials_counted(session: Session, company_id: str, count_id: str) -> set[tuple[str, str]]:
    """(item, serial number) of the count's serial lines counted already."""
    line = StockCountLine
    return {
        (item_id, number or "")
        for item_id, number in session.execute(
            select(line.item_id, line.serial_number).where(
                line.company_id == company_id,
                line.count_id == count_id,
                line.serial_number.is_not(None),
                line.counted > 0,
            )
        )
    }


def _lines_by_key(
    session: Session, company_id: str, count_id: str, keys: set[str]
) -> dict[str, StockCountLine]:
    """The count's lines at these keys, by key (a query per thousand keys)."""
    line = StockCountLine
    found: dict[str, StockCountLine] = {}
    ordered = sorted(keys)
    for start in range(0, len(ordered), 1000):
        found |= {
            row.line_key: row
            for row in session.scalars(
                select(line).where(
                    line.company_id == company_id,
                    line.count_id == count_id,
                    line.line_key.in_(ordered[start : start + 1000]),
                )
            )
        }
    return found


def _next_position(session: Session, company_id: str, count_id: str) -> int:
    line = StockCountLine
    last = session.scalar(
        select(func.max(line.position)).where(
            line.company_id == company_id, line.count_id == count_id
        )
    )
    return 0 if last is None else last + 1
