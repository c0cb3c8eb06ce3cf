"""Each item's costing replay, started from a snapshot of its book where one holds.

A report up to a day replays, per item, only the movements after the latest snapshot on or
before it. Snapshots are taken at month ends, and at the latest settled day (two days back),
which moves on daily and replaces the one before it; so the valuation of today replays two
or three days of movements, and one of any past day at most a month. An item without a
valid snapshot is replayed from the one before, or from its first movement, and what its
book held at those days is saved for the next report, once a replay was long enough to be
worth it.

Why a snapshot stays true: ledger rows are never changed, so what an item held at a past
day changes only when a movement dated on or before that day is posted later. The ledger
raises the item's ``cost_revision`` with every movement dated before its today (and with
every reversal, which names the layer it takes back), and a
snapshot counts only while it carries the revision its item has now. The revision is read
before the movements (the caller loads the items first), so a backdated posting that the
replay did not see always leaves a higher revision behind. Snapshots are taken only of days
at least two days past, so a posting dated today that is still in flight at midnight cannot
be missed either.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from functools import cached_property
from itertools import chain, groupby
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from stockkeeper.core.db import keep_cache
from stockkeeper.costing.models import CostSnapshot
from stockkeeper.costing.service.engine import Book, Event, Position
from stockkeeper.costing.service.replay import MANY, events_between, events_by_item
from stockkeeper.stock.models import Movement

log = logging.getLogger(__name__)

SETTLED = timedelta(days=2)
LONG_STRETCH = timedelta(days=62)  # beyond it, the events after a snapshot are streamed
# events replayed beyond the snapshots found before the books taken are saved: below that,
# replaying is as quick as reading a snapshot
WORTH_KEEPING = 10_000

Books = dict[str, list[str]]  # variant ("" for none) -> its book's state


def month_end(day: date) -> date:
    """The latest month end on or before ``day``."""
    if (day + timedelta(days=1)).day == 1:
        return day
    return day.replace(day=1) - timedelta(days=1)


@dataclass(frozen=True)
class Anchors:
    """The days a replay up to ``target`` may start from, and takes snapshots at: the month
    end on or before it and, when the target is the latest settled day, that day."""

    month_end: date
    rolling: date | None

    @classmethod
    def of(cls, day: date, today: date) -> Anchors:
        target = min(day, today - SETTLED)
        end = month_end(target)
        return cls(end, target if target == today - SETTLED and target != end else None)

    @cached_property
    def days(self) -> list[date]:
        """Latest first (asked for once per item replayed)."""
        return [day for day in (self.rolling, self.month_end) if day is not None]


@dataclass
class Replay:
    """One item's (and variant's) replay: a book, restored from ``state`` when first asked
    for, and the events after it."""

    item_id: str
    variant_id: str | None
    method: str
    events: list[Event]  # after the book, up to the day asked, in date order
    state: list[str] | None = None
    _book: Book | None = None

    @property
    def book(self) -> Book:
        if self._book is None:
            self._book = Book.restore(self.method, self.state) if self.state else Book(self.method)
        return self._book

    def played(self) -> Book:
        """The book after the rest of the events."""
        for event in self.events:
            self.book.apply(event)
        self.events = []
        return self.book

    def outcome(self, standard_cost: Decimal) -> tuple[dict[str, Position], Decimal]:
        """Location -> quantity and value at the end, and the purchase price variance."""
        if self._book is None and self.state and not self.events:
            return Book.restored_positions(self.method, self.state, standard_cost=standard_cost)
        book = self.played()
        return book.positions(standard_cost=standard_cost), book.purchase_price_variance(
            standard_cost
        )


def moved_since(session: Session, company_id: str, after: date, until: date) -> set[str]:
    """The items with movements dated after ``after``, up to ``until``: read along the date
    index (a DISTINCT would make SQLite walk every movement of the company by item)."""
    m = Movement
    return set(
        session.scalars(
            select(m.item_id)
            .where(m.company_id == company_id, m.effective_date > after)
            .where(m.effective_date <= until)
        )
    )


def replays(
    session: Session,
    company_id: str,
    revisions: dict[str, int],
    method: str,
    until: date,
    *,
    today: date,
    before: date | None = None,
) -> Iterator[Replay]:
    """Each item's (and variant's) replay under ``method`` up to ``until``, its book taken
    from the latest valid snapshot on or before ``before`` (default: ``until``).
    ``revisions`` holds each item's cost revision, read before this runs (see the module's
    note)."""
    anchors = Anchors.of(min(before or until, until), today)
    layering = Book(method).layering
    stored = _load(session, company_id, revisions, layering, anchors)
    fresh = sorted(set(revisions) - set(stored))
    taken: dict[date, dict[str, Books]] = {day: {} for day in anchors.days}
    replayed = 0
    if stored:
        since = min(day for day, _ in stored.values())
        moved = _by_item(_events_after(session, company_id, set(stored), since, until))
        for item_id, events_of in chain(moved, ((i, {}) for i in sorted(stored))):
            if item_id not in stored:
                continue  # its events came already
            day, books = stored.pop(item_id)
            for variant in sorted(books.keys() | events_of.keys()):
                events = [event for event in events_of.get(variant, []) if event.day > day]
                replayed += len(events)
                history = Replay(item_id, variant or None, method, events, books.get(variant))
                _take(history, item_id, variant, [a for a in anchors.days if a > day], taken)
                yield history
    for item_id in fresh:
        for day in anchors.days:
            taken[day][item_id] = {}
    if fresh:
        for (item_id, variant_id), events in events_by_item(session, company_id, fresh, until):
            replayed += len(events)
            history = Replay(item_id, variant_id, method, events)
            _take(history, item_id, variant_id or "", anchors.days, taken)
            yield history
    if replayed >= WORTH_KEEPING:
        _save(session, company_id, revisions, layering, anchors, taken)


def _events_after(
    session: Session, company_id: str, item_ids: set[str], since: date, until: date
) -> Iterator[tuple[tuple[str, str | None], list[Event]]]:
    """The items' events after ``since``, in item order: a short stretch read at once by
    date, a long one (a year for the ABC analysis) streamed item by item."""
    if until - since <= LONG_STRETCH:
        found = events_between(session, company_id, item_ids, since, until)
        return iter(sorted(found.items(), key=lambda kv: (kv[0][0], kv[0][1] or "")))
    return events_by_item(session, company_id, sorted(item_ids), until, after=since)


def _by_item(
    pairs: Iterator[tuple[tuple[str, str | None], list[Event]]],
) -> Iterator[tuple[str, dict[str, list[Event]]]]:
    """Consecutive (item, variant) histories grouped by item: item id -> variant -> events."""
    for item_id, group in groupby(pairs, key=lambda pair: pair[0][0]):
        yield item_id, {variant or "": events for (_, variant), events in group}


def _take(
    history: Replay,
    item_id: str,
    variant: str,
    days: list[date],
    taken: dict[date, dict[str, Books]],
) -> None:
    """Plays the history up to each of ``days`` (earliest first), noting the book there."""
    for day in sorted(days):
        settled = 0
        while settled < len(history.events) and history.events[settled].day <= day:
            history.book.apply(history.events[settled])
            settled += 1
        history.events = history.events[settled:]
        taken[day].setdefault(item_id, {})[variant] = history.book.state()


def _load(
    session: Session,
    company_id: str,
    revisions: dict[str, int],
    layering: str,
    anchors: Anchors,
) -> dict[str, tuple[date, Books]]:
    """Item id -> its latest valid snapshot from the month end before the anchors' on: the
    day, and its variants' books."""
    s = CostSnapshot
    where = [
        s.company_id == company_id,
        s.method == layering,
        s.as_of >= month_end(anchors.month_end - timedelta(days=1)),
        s.as_of <= anchors.days[0],
    ]
    if len(revisions) <= MANY:
        where.append(s.item_id.in_(sorted(revisions)))
    latest: dict[str, tuple[date, str]] = {}
    for item_id, day, revision, state in session.connection().execute(
        select(s.item_id, s.as_of, s.revision, s.state).where(*where)
    ):
        if revisions.get(item_id, -1) == revision and latest.get(item_id, (day,))[0] <= day:
            latest[item_id] = (day, state)
    found: dict[str, tuple[date, Books]] = {}
    for item_id, (day, state) in latest.items():
        books: Books = defaultdict(list)
        for line in state.split("\n") if state else ():
            variant, rest = line.split("\t", 1)
            books[variant].append(rest)
        found[item_id] = (day, books)
    return found


def _rows(
    company_id: str,
    revisions: dict[str, int],
    layering: str,
    anchors: Anchors,
    taken: dict[date, dict[str, Books]],
) -> list[dict[str, Any]]:
    """The snapshot rows of the books taken."""
    return [
        {
            "company_id": company_id,
            "method": layering,
            "as_of": day,
            "item_id": item_id,
            "rolling": day == anchors.rolling,
            "revision": revisions[item_id],
            "state": "\n".join(
                f"{variant}\t{line}" for variant, lines in books.items() for line in lines
            ),
        }
        for day, items in taken.items()
        for item_id, books in items.items()
    ]


def _save(
    session: Session,
    company_id: str,
    revisions: dict[str, int],
    layering: str,
    anchors: Anchors,
    taken: dict[date, dict[str, Books]],
) -> None:
    """Keeps the books taken, and drops the rolling snapshots they replace."""
    s = CostSnapshot
    stale = delete(s).where(
        s.company_id == company_id,
        s.method == layering,
        s.rolling.is_(True),
        s.as_of < (anchors.rolling or date.min),
    )
    rows = _rows(company_id, revisions, layering, anchors, taken)
    keep_cache(session, s, rows, ["revision", "state"], first=stale if anchors.rolling else None)
