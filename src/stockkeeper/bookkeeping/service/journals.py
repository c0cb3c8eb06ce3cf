"""The company's stock journals as they stand: kept lines up to where the books were closed,
a correcting entry on the first day after them for whatever has changed the closed past
since, and lines derived from the costing replay after that (decision 26)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from datetime import date, timedelta
from decimal import ROUND_HALF_EVEN, Decimal
from itertools import groupby

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from stockkeeper.bookkeeping.models import ClosedBooks, KeptJournalLine
from stockkeeper.bookkeeping.service import month_totals
from stockkeeper.bookkeeping.service.entries import ROLES, JournalLine, Valuing, history_lines
from stockkeeper.bookkeeping.service.posting_accounts import PostingAccounts
from stockkeeper.catalog.models import Item
from stockkeeper.core.currency import minor_unit
from stockkeeper.costing.service import replay, snapshots
from stockkeeper.costing.service.engine import ZERO, Book
from stockkeeper.stock.models import Movement
from stockkeeper.tenancy.service import company_today, get_company

DAY = timedelta(days=1)
_POSTING = (
    *replay.COLUMNS,
    Movement.reason,
    Movement.document_type,
    Movement.document_id,
    Movement.document_number,
    Movement.document_line_id,
)
Key = tuple[str, str, str, str | None, str]  # JournalLine.key
Place = tuple[str, str | None, str]  # item, variant, location


def correction_id(day: date) -> str:
    return f"correction-{day.isoformat()}"


class Journal:
    """One company's journals, read in one unit of work."""

    def __init__(self, session: Session, company_id: str) -> None:
        company = get_company(session, company_id)
        self.session, self.company_id = session, company_id
        self.method = company.costing_method
        self.currency = company.currency
        self.cent = minor_unit(company.currency)
        self.today = company_today(company)
        closed = session.get(ClosedBooks, company_id)
        self.kept_until = closed.kept_until if closed else None
        self.accounts = PostingAccounts.load(session, company_id)
        self._valued: dict[str, replay.CostedItem] | None = None

    def lines(
        self, start: date | None, end: date, items: set[str] | None = None
    ) -> list[JournalLine]:
        """Every line dated from ``start`` (the beginning when None) to ``end``, by date."""
        return sorted(self.stream(start, end, items), key=lambda line: (line.day, line.entry_id))

    def stream(
        self, start: date | None, end: date, items: set[str] | None = None, *, per_day: bool = False
    ) -> Iterator[JournalLine]:
        """The same lines, as they come: kept, then the correction, then item by item; with
        ``per_day``, the derived ones summed per item and day (``per_day``)."""
        kept = self.kept_until
        if kept is not None and (start is None or start <= kept):
            yield from self.kept(start, min(end, kept), items)
        if kept is None or end > kept:
            opening = kept + DAY if kept else None
            if opening and (start is None or start <= opening):
                yield from self.corrections(items)
            later = max(start, opening) if start and opening else start or opening
            if per_day and later is not None:
                yield from self.per_day(later, end, items)
            else:
                yield from self.derived(later, end, items)

    def per_day(
        self, start: date, end: date, items: set[str] | None = None
    ) -> Iterator[JournalLine]:
        """The lines ``derived`` gives, summed per item, day, role and location (what the
        journals per account and day need): settled months' from their kept sums, the rest
        from the replay."""
        first = start.replace(day=1)
        while first <= end and month_totals.last_day(first) <= self.today - snapshots.SETTLED:
            yield from month_totals.month_lines(self, first, start, end, items)
            first = month_totals.last_day(first) + DAY
        if first <= end:
            yield from self.derived(max(start, first), end, items)

    def valued_items(self, items: set[str] | None = None) -> dict[str, replay.CostedItem]:
        """The items the valuation values (and the journals book), read before their
        movements, since their cost revisions must be (all of them read once)."""
        if items is None and self._valued is not None:
            return self._valued
        where = [Item.company_id == self.company_id, Item.type == "inventory", Item.tracked]
        if items is not None:
            where.append(Item.id.in_(sorted(items)))
        found = replay.costed_items(self.session, where)
        if items is None:
            self._valued = found
        return found

    def values(self, day: date) -> dict[Place, Decimal]:
        """(item, variant, location) -> what its stock is worth at the end of ``day``, rounded:
        the valuation, and the sum of its inventory lines."""
        found: dict[Place, Decimal] = {}
        self._books(day, self.valued_items(), set(), found)
        return found

    def derived(
        self,
        start: date | None,
        end: date,
        items: set[str] | None = None,
        *,
        opening: dict[Place, Decimal] | None = None,
        closing: dict[replay.Sku, dict[str, Decimal]] | None = None,
    ) -> Iterator[JournalLine]:
        """The lines the ledger gives now for movements dated from ``start`` to ``end``.
        ``opening``, when given, is filled with what every item's stock was worth before
        ``start``, per place; ``closing`` with what the stock of each item (and variant) that
        moved was worth at the end, per location."""
        costed = self.valued_items(items)
        m = Movement
        conditions = [m.company_id == self.company_id, m.effective_date <= end]
        if start is not None:
            conditions.append(m.effective_date >= start)
        if items is not None:
            conditions.append(m.item_id.in_(sorted(items)))
        books: dict[replay.Sku, Book] = {}
        moving = set(costed)
        if start is not None:
            moving &= set(self.session.scalars(select(m.item_id).where(*conditions).distinct()))
            books = self._books(start - DAY, costed, moving, opening)
        self.accounts.load_items(self.session, self.company_id, moving)
        rows = self.session.connection().execute(  # plain rows: no ORM between
            select(*_POSTING)
            .where(*conditions)
            .order_by(m.item_id, m.variant_id, m.effective_date, m.id)
            .execution_options(yield_per=5000)
        )
        event = replay.event_reader(self.session, self.company_id)
        for sku, group in groupby(rows, key=lambda row: (row.item_id, row.variant_id)):
            item = costed.get(sku[0])
            if item is None:
                continue  # not valued: a service, or an item not tracked
            book = books.get(sku) or Book(self.method)
            valuing = Valuing(self.method, item.standard_cost, self.cent)

            postings = ((row, event(row)) for row in group)
            yield from history_lines(book, postings, self.accounts, valuing)
            if closing is not None:
                worth = {location: valuing.worth(book, location) for location in book.holdings}
                closing[sku] = {location: value for location, value in worth.items() if value}

    def _books(
        self,
        day: date,
        costed: dict[str, replay.CostedItem],
        moving: set[str],
        opening: dict[Place, Decimal] | None,
    ) -> dict[replay.Sku, Book]:
        """The books of the items that move, at the end of ``day``; and, when ``opening``
        is given, what every item's stock was worth there (the others' read straight from
        their snapshots)."""
        wanted = costed if opening is not None else {i: costed[i] for i in moving if i in costed}
        revisions = {ident: item.cost_revision for ident, item in wanted.items()}
        books = {}
        for history in snapshots.replays(
            self.session, self.company_id, revisions, self.method, day, today=self.today
        ):
            if history.item_id in moving:
                books[(history.item_id, history.variant_id)] = history.played()
            if opening is None:
                continue
            positions, _ = history.outcome(costed[history.item_id].standard_cost)
            for location, position in positions.items():
                worth = position.value.quantize(self.cent, ROUND_HALF_EVEN)
                if worth:
                    opening[(history.item_id, history.variant_id, location)] = worth
        return books

    def kept(
        self, start: date | None, end: date, items: set[str] | None = None
    ) -> Iterator[JournalLine]:
        k = KeptJournalLine
        where = [k.company_id == self.company_id, k.day <= end]
        if start is not None:
            where.append(k.day >= start)
        if items is not None:
            where.append(k.item_id.in_(sorted(items)))
        statement = select(k).where(*where).order_by(k.day, k.entry_id, k.line)
        for row in self.session.scalars(statement.execution_options(yield_per=5000)):
            yield _line(row)

    def kept_inventory(self, end: date) -> dict[Place, Decimal]:
        """(item, variant, location) -> the kept inventory lines' sum to ``end``."""
        k = KeptJournalLine
        rows = self.session.execute(
            select(k.item_id, k.variant_id, k.location_id, func.sum(k.amount))
            .where(k.company_id == self.company_id, k.day <= end, k.role == "inventory")
            .group_by(k.item_id, k.variant_id, k.location_id)
        )
        return {(item, variant, location): amount for item, variant, location, amount in rows}

    def corrections(self, items: set[str] | None = None) -> list[JournalLine]:
        """What the kept period's lines would be now, less what was kept: booked on the first
        day after it."""
        if self.kept_until is None:
            return []
        difference = totals(self.derived(None, self.kept_until, items))
        for key, amount in totals(self.kept(None, self.kept_until, items)).items():
            difference[key] -= amount
        day = self.kept_until + DAY
        return [
            JournalLine(
                day=day,
                entry_id=correction_id(day),
                kind="correction",
                role=role,
                account_id=account_id,
                amount=amount,
                item_id=item_id,
                variant_id=variant_id,
                location_id=location_id,
            )
            for (account_id, location_id, item_id, variant_id, role), amount in sorted(
                difference.items(), key=lambda kv: _correction_order(kv[0])
            )
            if amount
        ]


def _correction_order(key: Key) -> tuple[str, str, str, int, str]:
    """Per item and location, the inventory line first, as in a movement's entry."""
    account_id, location_id, item_id, variant_id, role = key
    return (item_id, variant_id or "", location_id, ROLES.index(role), account_id)


def totals(lines: Iterable[JournalLine]) -> defaultdict[Key, Decimal]:
    found: defaultdict[Key, Decimal] = defaultdict(lambda: ZERO)
    for line in lines:
        found[line.key] += line.amount
    return found


def _line(row: KeptJournalLine) -> JournalLine:
    return JournalLine(
        day=row.day,
        entry_id=row.entry_id,
        kind=row.kind,
        role=row.role,
        account_id=row.account_id,
        amount=row.amount,
        item_id=row.item_id,
        variant_id=row.variant_id,
        location_id=row.location_id,
        movement_type=row.movement_type,
        document_type=row.document_type,
        document_id=row.document_id,
        document_number=row.document_number,
        document_line_id=row.document_line_id,
    )
