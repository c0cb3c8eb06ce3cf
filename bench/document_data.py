"""The documents of the web benchmark's company, posted through the services.

After the catalogue (bench/item_data.py) is filled, a company of that size has a history:
adjustments (some into the bins of the main warehouse), transfers between the warehouses and
the store, purchase orders at every stage, issues, returns of some of them and reservations.
Each is made by the service function the API's route calls, so the documents, their lines,
the ledger's movements, the stock levels, the audit rows and the outbox events are what a
running company would hold. Their number follows the catalogue's size (``Documents``); each
stage leaves some documents behind (drafts, orders not yet received) so that every status
filter finds some.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bench.item_data import Catalogue
from bench.timing import stopwatch
from stockkeeper.adjustments import service as adjustments
from stockkeeper.adjustments.values import NewAdjustment
from stockkeeper.catalog.models import Item
from stockkeeper.catalog.service.locations import create_bin
from stockkeeper.catalog.values import NewBin
from stockkeeper.core.db import Database
from stockkeeper.purchasing import service as purchasing
from stockkeeper.purchasing.values import NewOrder, OrderChanges, Receipt
from stockkeeper.sales import service as sales
from stockkeeper.sales.values import NewIssue, NewReturn
from stockkeeper.stock.models import Movement, StockLevel
from stockkeeper.stock.service.reservations import create_reservation
from stockkeeper.stock.values import NewReservation
from stockkeeper.tenancy.service import Actor, Role
from stockkeeper.transfers import service as transfers
from stockkeeper.transfers.values import NewTransfer

PER_UNIT = 50  # documents a unit of work
BINS = 120  # at the main warehouse: aisles A-F, 20 places each
REASONS = ("found", "stock_count", "damaged", "correction")


@dataclass
class Documents:
    """How many of each document a catalogue of ``items`` items gets: an adjustment, a transfer
    and an issue per 125 items, a purchase order per 250, a return and a reservation per 500
    (at 100,000 items: 800 adjustments, transfers and issues, 400 orders, 200 returns and
    200 reservations, 3,200 documents). Posting them takes a minute or two at that size (on
    PostgreSQL most); more would lengthen the run past ten minutes without changing what a
    list reads for a page."""

    adjustments: int
    transfers: int
    orders: int
    issues: int
    returns: int
    reservations: int

    @classmethod
    def for_items(cls, items: int) -> Documents:
        every = max(items // 125, 20)
        rarer = max(items // 500, 5)
        return cls(every, every, max(items // 250, 10), every, rarer, rarer)


@dataclass
class Seeded:
    """What was made, and what the benchmark's pages ask for."""

    made: dict[str, int] = field(default_factory=dict)
    movements: int = 0
    seconds: float = 0.0
    bin_id: str = ""  # a bin of the main warehouse with stock in it
    busy_item: str = ""  # the item with the most movements
    ids: dict[str, str] = field(default_factory=dict)  # one document of each kind, by path


@dataclass
class _Place:
    """An item's stock at a location (no variant, no bin), as the catalogue left it."""

    item_id: str
    location_id: str


class _Maker:
    """Builds each document's values from the seeded generator and the catalogue's stock."""

    def __init__(self, rng: random.Random, catalogue: Catalogue, places: list[_Place]) -> None:
        self.rng, self.catalogue, self.places = rng, catalogue, places
        self.by_location: dict[str, list[_Place]] = {}
        for place in places:
            self.by_location.setdefault(place.location_id, []).append(place)
        self.bins: list[str] = []
        self.issued: list[tuple[str, str, str]] = []  # issue id, item, location

    def lines(self, most: int) -> list[_Place]:
        return self.rng.sample(self.places, self.rng.randint(1, most))

    def adjustment(self, number: int) -> NewAdjustment:
        main = self.catalogue.location_ids[0]
        binned = number % 3 == 0  # a third put stock away into the main warehouse's bins
        lines = []
        for place in self.lines(4):
            quantity = self.rng.randint(1, 12) if binned else self.rng.choice((-2, -1, 1, 3, 6))
            line: dict[str, Any] = {"item_id": place.item_id, "adjustment_quantity": quantity}
            if binned:
                line["bin_id"] = self.rng.choice(self.bins)
            else:
                line["location_id"] = place.location_id
            lines.append(line)
        return NewAdjustment.model_validate(
            {
                "reason": self.rng.choice(REASONS),
                "location_id": main,
                "reference": f"ADJ-{number:05d}",
                "status": "draft" if number % 10 == 9 else "posted",
                "items": lines,
            }
        )

    def transfer(self, number: int) -> NewTransfer:
        source = self.rng.choice(self.places).location_id
        here = [place for place in self.lines(8) if place.location_id == source][:3]
        others = [ident for ident in self.catalogue.location_ids if ident != source]
        target = self.rng.choice(others)
        lines = [{"item_id": p.item_id, "quantity": self.rng.randint(1, 2)} for p in here]
        return NewTransfer.model_validate(
            {
                "from_location_id": source,
                "to_location_id": target,
                "reference": f"TR-{number:05d}",
                "status": "draft" if number % 10 == 9 else None,
                "items": lines or [{"item_id": self._at(source).item_id, "quantity": 1}],
            }
        )

    def _at(self, location_id: str) -> _Place:
        # any of the location's: always its first drained that item at a large catalogue
        return self.rng.choice(self.by_location[location_id])

    def order(self) -> NewOrder:
        lines = [
            {"item_id": place.item_id, "quantity": self.rng.choice((5, 10, 20, 50, 100))}
            for place in self.lines(5)
        ]
        return NewOrder.model_validate(
            {
                "supplier_id": self.rng.choice(self.catalogue.supplier_ids),
                "location_id": self.rng.choice(self.catalogue.location_ids[:2]),
                "items": lines,
            }
        )

    def issue(self, number: int) -> NewIssue:
        location = self.rng.choice(self.places).location_id
        here = [place for place in self.lines(6) if place.location_id == location][:3]
        lines = [{"item_id": p.item_id, "quantity": self.rng.randint(1, 2)} for p in here]
        return NewIssue.model_validate(
            {
                "location_id": location,
                "reference": f"INV-{number:05d}",
                "customer": f"Customer {self.rng.randint(1, 400)}",
                "items": lines or [{"item_id": self._at(location).item_id, "quantity": 1}],
            }
        )

    def reservation(self, number: int) -> NewReservation:
        place = self.rng.choice(self.places)
        return NewReservation(
            item_id=place.item_id,
            location_id=place.location_id,
            quantity=Decimal(self.rng.randint(1, 3)),
            reference=f"SO-{number:05d}",
        )


def seed(database: Database, catalogue: Catalogue, documents: Documents, seed: int = 1) -> Seeded:
    """Posts ``documents`` for the catalogue's company; returns what was made."""
    elapsed = stopwatch()
    seeded = Seeded()
    actor = Actor(company_id=catalogue.company_id, key_id="bench", name="bench", role=Role.admin)
    maker = _Maker(random.Random(seed), catalogue, _places(database, catalogue.company_id))
    with database.unit_of_work() as session:
        maker.bins = _bins(session, actor, catalogue.location_ids[0])
    steps: list[tuple[str, int, Callable[[Session, int], str]]] = [
        ("adjustments", documents.adjustments, lambda s, n: _adjust(s, actor, maker, n)),
        ("transfers", documents.transfers, lambda s, n: _transfer(s, actor, maker, n)),
        ("purchase-orders", documents.orders, lambda s, n: _order(s, actor, maker, n)),
        ("issues", documents.issues, lambda s, n: _issue(s, actor, maker, n)),
        ("returns", documents.returns, lambda s, n: _return(s, actor, maker, n)),
        ("reservations", documents.reservations, lambda s, n: _reserve(s, actor, maker, n)),
    ]
    for path, count, make in steps:
        ids = _in_units(database, count, make)
        seeded.made[path] = len(ids)
        seeded.ids[path] = ids[len(ids) // 2]
    seeded.bin_id = _stocked_bin(database, catalogue.company_id)
    seeded.movements, seeded.busy_item = _movements(database, catalogue.company_id)
    seeded.seconds = elapsed()
    return seeded


def _in_units(database: Database, count: int, make: Callable[[Session, int], str]) -> list[str]:
    """``make`` called ``count`` times, ``PER_UNIT`` documents a transaction."""
    ids: list[str] = []
    for start in range(0, count, PER_UNIT):
        with database.unit_of_work() as session:
            ids += [make(session, n) for n in range(start, min(start + PER_UNIT, count))]
    return ids


def _adjust(session: Session, actor: Actor, maker: _Maker, number: int) -> str:
    made = adjustments.create_adjustment(session, actor, adjustment=maker.adjustment(number))
    return made.adjustment.id


def _transfer(session: Session, actor: Actor, maker: _Maker, number: int) -> str:
    return transfers.create_transfer(session, actor, transfer=maker.transfer(number)).transfer.id


def _order(session: Session, actor: Actor, maker: _Maker, number: int) -> str:
    """Received in full (half of them), partly received, ordered, or just created."""
    ident = purchasing.create_order(session, actor, order=maker.order()).order.id
    stage = number % 10
    if stage < 8:
        ordered = OrderChanges(status="ordered")
        view = purchasing.update_order(session, actor, order_id=ident, changes=ordered)
    if stage < 5:
        received = OrderChanges(status="received")
        purchasing.update_order(session, actor, order_id=ident, changes=received)
    elif stage < 7:
        first = view.lines[0][0]
        part = {"line_id": first.id, "quantity": first.quantity / 2}
        receipt = Receipt.model_validate({"reference": f"DN-{number:05d}", "items": [part]})
        purchasing.receive_order(session, actor, order_id=ident, receipt=receipt)
    return ident


def _issue(session: Session, actor: Actor, maker: _Maker, number: int) -> str:
    made = sales.create_issue(session, actor, issue=maker.issue(number))
    line = made.lines[0][0]
    maker.issued.append((made.document.id, line.item_id, made.document.location_id))
    return made.document.id


def _return(session: Session, actor: Actor, maker: _Maker, number: int) -> str:
    issue_id, item_id, location_id = maker.issued[number]  # fewer returns than issues
    back = NewReturn(
        issue_id=issue_id,
        location_id=location_id,
        reference=f"RET-{number:05d}",
        items=[{"item_id": item_id, "quantity": 1}],
    )
    return sales.create_return(session, actor, customer_return=back).document.id


def _reserve(session: Session, actor: Actor, maker: _Maker, number: int) -> str:
    made = create_reservation(session, actor, reservation=maker.reservation(number))
    return made.reservation.id


def _bins(session: Session, actor: Actor, location_id: str) -> list[str]:
    codes = [f"{aisle}-{place:02d}" for aisle in "ABCDEF" for place in range(1, BINS // 6 + 1)]
    return [
        create_bin(session, actor, location_id=location_id, bin=NewBin(code=code)).id
        for code in codes
    ]


def _places(database: Database, company_id: str) -> list[_Place]:
    """Active items with plenty of stock (30 or more free) at a location, in a stable order."""
    level = StockLevel
    with database.unit_of_work() as session:
        rows = session.execute(
            select(level.item_id, level.location_id)
            .join(Item, (Item.company_id == level.company_id) & (Item.id == level.item_id))
            .where(
                Item.is_active.is_(True),
                level.company_id == company_id,
                level.variant_id.is_(None),
                level.bin_id.is_(None),
                level.on_hand - level.reserved >= 30,
            )
            .order_by(level.level_key)
        ).all()
    assert rows, "the catalogue has stock"
    return [_Place(item_id, location_id) for item_id, location_id in rows]


def _movements(database: Database, company_id: str) -> tuple[int, str]:
    """How many movements the documents made, and the item with the most of them."""
    moved = func.count().label("moved")
    with database.unit_of_work() as session:
        counts = (
            select(Movement.item_id, moved)
            .where(Movement.company_id == company_id)
            .group_by(Movement.item_id)
            .subquery()
        )
        total = session.scalar(select(func.sum(counts.c.moved))) or 0
        busiest = session.scalar(
            select(counts.c.item_id).order_by(counts.c.moved.desc(), counts.c.item_id).limit(1)
        )
    assert busiest is not None, "the documents moved stock"
    return int(total), str(busiest)


def _stocked_bin(database: Database, company_id: str) -> str:
    with database.unit_of_work() as session:
        ident = session.scalar(
            select(StockLevel.bin_id)
            .where(StockLevel.company_id == company_id, StockLevel.on_hand > 0)
            .where(StockLevel.bin_id.is_not(None))
            .order_by(StockLevel.level_key)
            .limit(1)
        )
    assert ident is not None, "adjustments put stock into bins"
    return str(ident)
