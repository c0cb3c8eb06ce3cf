"""The journal entry of each stock movement, derived from the costing replay: what the
movement changed in the value of the stock at each location it touched, and where the
other side of that change is booked (decision 26). Pure: no database.

Each location's value is rounded to the currency's minor unit after every movement, and a
movement's inventory amount is the change of that rounded value; so an item's inventory
lines at a location add up to its valuation there, to the cent, at every date. A move
between two locations whose rounded changes differ by a cent books that cent as rounding.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any, NamedTuple

from stockkeeper.bookkeeping.service.posting_accounts import PostingAccounts
from stockkeeper.costing.service.engine import ZERO, Book, Event

# what a line books; ``inventory`` lines are the ones the valuation ties out with
ROLES = (
    "inventory",
    "goods_received",
    "cost_of_sales",
    "adjustment",
    "price_variance",
    "rounding",
)


class JournalLine(NamedTuple):  # a tuple: a month makes a hundred thousand
    day: date
    entry_id: str  # the movement's id, or the correcting entry's
    kind: str  # movement | correction | sum (a day's lines of an item summed, month_totals)
    role: str
    account_id: str
    amount: Decimal  # a debit is positive, a credit negative
    item_id: str
    variant_id: str | None
    location_id: str  # the stock's location: the line's own, or the movement's holding end
    movement_type: str | None = None
    document_type: str | None = None
    document_id: str | None = None
    document_number: str | None = None
    document_line_id: str | None = None
    reason: str | None = None  # the movement's: it names an adjustment's account

    @property
    def key(self) -> tuple[str, str, str, str | None, str]:
        """What a line's balance is kept by: account, location, item, variant, role."""
        return (self.account_id, self.location_id, self.item_id, self.variant_id, self.role)


@dataclass(frozen=True)
class Valuing:
    """How an item's stock is valued: by its book's method, at ``cent`` precision."""

    method: str
    standard_cost: Decimal
    cent: Decimal

    def worth(self, book: Book, location: str) -> Decimal:
        """The location's value, rounded."""
        holding = book.holdings.get(location)
        if holding is None:
            return ZERO
        exact = (
            holding.quantity * self.standard_cost if self.method == "standard" else holding.value
        )
        return exact.quantize(self.cent, ROUND_HALF_EVEN)


def history_lines(
    book: Book,
    postings: Iterable[tuple[Any, Event]],
    accounts: PostingAccounts,
    valuing: Valuing,
) -> Iterator[JournalLine]:
    """The lines of each movement (a row with the movement's columns, and its event), applied
    to ``book`` in order."""
    worth: dict[str, Decimal] = {}  # location -> its rounded value, once known
    for row, event in postings:
        ends = [loc for loc in dict.fromkeys((event.source, event.target)) if loc is not None]
        if not ends:
            book.apply(event)
            continue
        before = [worth[loc] if loc in worth else valuing.worth(book, loc) for loc in ends]
        book.apply(event)
        after = [valuing.worth(book, loc) for loc in ends]
        worth.update(zip(ends, after, strict=True))
        changes = [now - was for now, was in zip(after, before, strict=True)]
        line = _Maker(row, event.day, ends[0])
        for loc, amount in zip(ends, changes, strict=True):
            if amount:
                yield line("inventory", accounts.inventory(row.item_id, loc), amount, loc)
        balance = -sum(changes, ZERO)
        yield from (
            found
            for found in _other_side(row, event, accounts, valuing, line, balance)
            if found.amount
        )


def _other_side(
    row: Any,
    event: Event,
    accounts: PostingAccounts,
    valuing: Valuing,
    line: _Maker,
    balance: Decimal,
) -> list[JournalLine]:
    """What balances the inventory lines: the account of the movement's outside end (a
    supplier, a customer, a loss or an opening), or rounding between two locations."""
    if event.source is not None and event.target is not None:
        return [line("rounding", accounts.adjustments(), balance)] if balance else []
    outside = row.from_location_id if event.source is None else row.to_location_id
    kind = accounts.location_types.get(outside)
    if kind == "customer":
        return [line("cost_of_sales", accounts.cost_of_sales(row.item_id), balance)]
    if kind != "supplier":
        return [line("adjustment", accounts.adjustments(row.reason, row.document_line_id), balance)]
    if valuing.method != "standard" or event.quantity == 0:
        return [line("goods_received", accounts.goods_received, balance)]
    # under standard cost the supplier's side is what was paid; the rest is the variance
    paid = event.value.quantize(valuing.cent, ROUND_HALF_EVEN)
    received = -paid if event.target is not None else paid
    return [
        line("goods_received", accounts.goods_received, received),
        line("price_variance", accounts.price_variance, balance - received),
    ]


class _Maker:
    """Lines of one movement, its fields read once."""

    def __init__(self, row: Any, day: date, location: str) -> None:
        self.head = (day, row.id, "movement")
        self.item = (row.item_id, row.variant_id)
        self.location = location
        self.tail = (
            row.movement_type,
            row.document_type,
            row.document_id,
            row.document_number,
            row.document_line_id,
            row.reason,
        )

    def __call__(
        self, role: str, account_id: str, amount: Decimal, location: str | None = None
    ) -> JournalLine:
        return JournalLine(
            *self.head, role, account_id, amount, *self.item, location or self.location, *self.tail
        )
