"""Stock levels under lock: the rows a posting or a reservation touches, taken in key order,
with their running totals per item x variant x location.

Availability is judged per item x variant x location (on hand over all its bins, batches and
serials, less what is reserved there), and no single level may go below zero. Reservations
that have passed their expiry are expired here, under the same lock, before anything is
judged, so they stop counting the moment they expire.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_EVEN, Decimal
from functools import cache
from typing import Any

from sqlalchemy import (
    Select,
    String,
    Table,
    bindparam,
    func,
    literal_column,
    select,
    tuple_,
    update,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Session

from stockkeeper.catalog.models import Item
from stockkeeper.core import audit, locks, outbox
from stockkeeper.core.db import insert_on_conflict, run
from stockkeeper.core.lists import is_listed, json_rows, listed
from stockkeeper.core.types import Amount, utcnow
from stockkeeper.stock.models import StockLevel, StockReservation
from stockkeeper.stock.service import reservation_events
from stockkeeper.stock.views import stock as views
from stockkeeper.tenancy.service import Actor

PHYSICAL = ("warehouse", "store")
ZERO = Decimal(0)
_CENT_OF_CENT = Decimal("0.000001")

GroupKey = tuple[str, str | None, str]  # item, variant, location
LotKey = tuple[str, str | None, str, str | None, str | None]  # ... batch, serial


def level_key(
    item_id: str,
    variant_id: str | None,
    location_id: str,
    bin_id: str | None = None,
    batch_id: str | None = None,
    serial_id: str | None = None,
) -> str:
    # written out, not joined from a generator: a posting makes several per line
    return (
        f"{item_id or ''}|{variant_id or ''}|{location_id or ''}|"
        f"{bin_id or ''}|{batch_id or ''}|{serial_id or ''}"
    )


def level_row(
    company_id: str,
    item_id: str,
    variant_id: str | None,
    location_id: str,
    *,
    physical: bool,
    bin_id: str | None = None,
    batch_id: str | None = None,
    serial_id: str | None = None,
) -> dict[str, Any]:
    """A new, empty level row."""
    return {
        "company_id": company_id,
        "level_key": level_key(item_id, variant_id, location_id, bin_id, batch_id, serial_id),
        "item_id": item_id,
        "variant_id": variant_id,
        "location_id": location_id,
        "bin_id": bin_id,
        "batch_id": batch_id,
        "serial_id": serial_id,
        "physical": physical,
        "on_hand": ZERO,
        "reserved": ZERO,
        "on_order": ZERO,
        "value": ZERO,
        "last_movement_id": None,
        "updated_at": utcnow(),
    }


@dataclass
class Group:
    """Running totals of one item x variant x location."""

    on_hand: Decimal = ZERO
    value: Decimal = ZERO
    reserved: Decimal = ZERO

    @property
    def available(self) -> Decimal:
        return self.on_hand - self.reserved

    def average(self) -> Decimal | None:
        return (
            (self.value / self.on_hand).quantize(_CENT_OF_CENT, ROUND_HALF_EVEN)
            if self.on_hand > 0
            else None
        )


@dataclass
class Levels:
    levels: dict[str, dict[str, Any]] = field(default_factory=dict)
    groups: dict[GroupKey, Group] = field(default_factory=lambda: defaultdict(Group))

    def lots_free(self) -> dict[LotKey, Decimal]:
        """What each batch or serial (or the untracked stock) at a location has free: on hand
        over all its bins, less what is reserved of it."""
        free: dict[LotKey, Decimal] = defaultdict(Decimal)
        for level in self.levels.values():
            free[lot_of(level)] += level["on_hand"] - (
                ZERO if is_base(level) else level["reserved"]
            )
        return free

    def announce(self, session: Session, company_id: str, keys: Iterable[GroupKey]) -> None:
        """Announces the stock levels of ``keys`` that lie at warehouses or stores, as they
        now stand, as ``inventory.level``: once per transaction each, the last figures
        replacing earlier ones."""
        wanted = set(keys)
        on_order: dict[GroupKey, Decimal] = defaultdict(Decimal)
        physical = set()
        for level in self.levels.values():
            key = (level["item_id"], level["variant_id"], level["location_id"])
            if key in wanted and level["physical"]:
                physical.add(key)
                on_order[key] += level["on_order"]
        outbox.emit_keyed(
            session,
            company_id,
            "inventory.level",
            (
                (
                    ("level", key[0], key[1] or "", key[2]),
                    views.level_data(key, group.on_hand, group.reserved, on_order[key]),
                )
                for key in sorted(physical, key=lambda k: level_key(*k))
                for group in [self.groups[key]]
            ),
        )


def lock(
    session: Session,
    company_id: str,
    pairs: set[tuple[str, str]],
    rows: list[dict[str, Any]],
) -> Levels:
    """Makes sure the level ``rows`` (each of one of the ``pairs``) exist, then locks every
    level of the item x location ``pairs`` in key order (the whole pair, since the average
    cost spans its bins and batches), and expires the pairs' reservations that are due.

    Only missing rows are inserted, in key order: on PostgreSQL an insert that meets a row
    another transaction has changed waits for it, like a lock taken out of order, so they are
    looked for and inserted before the levels are locked. SQLite's write transaction holds the
    whole database: there the levels read tell which rows are missing, inserted after them
    and taken as inserted, which spares a count's posting a query of 20,000 keys."""
    wanted = {row["level_key"]: row for row in rows}
    dialect = session.get_bind().dialect.name
    if wanted and dialect == "postgresql":
        keys = {"company": company_id, "keys": listed(dialect, wanted)}
        existing = set(run(session, _existing(dialect), keys).scalars())
        _insert(session, dialect, [wanted[key] for key in sorted(wanted.keys() - existing)])
    ordered = sorted(pairs)
    taken = locks.lock(session, _locked(dialect), _pairs(dialect, company_id, ordered), core=True)
    columns = list(taken.keys())
    state = Levels()
    found = [dict(zip(columns, row, strict=True)) for row in taken.all()]
    if dialect != "postgresql" and (missing := wanted.keys() - {f["level_key"] for f in found}):
        new = [wanted[key] for key in sorted(missing)]
        assert all((row["item_id"], row["location_id"]) in pairs for row in new)
        _insert(session, dialect, new)
        found = sorted([*found, *(dict(row) for row in new)], key=lambda f: f["level_key"])
    for level in found:
        state.levels[level["level_key"]] = level
        group = state.groups[(level["item_id"], level["variant_id"], level["location_id"])]
        group.on_hand += level["on_hand"]
        group.value += level["value"]
        group.reserved += level["reserved"]
    if any(group.reserved for group in state.groups.values()):
        _expire_due(session, company_id, pairs, state)
    return state


def _insert(session: Session, dialect: str, missing: list[dict[str, Any]]) -> None:
    if missing:
        run(session, _insert_missing(dialect), missing)


# Built once: every posting runs them.


@cache
def _existing(dialect: str) -> Select[Any]:
    return select(StockLevel.level_key).where(
        StockLevel.company_id == bindparam("company"),
        is_listed(StockLevel.level_key, "keys", dialect),
    )


@cache
def _insert_missing(dialect: str) -> Any:
    return insert_on_conflict(dialect, StockLevel).on_conflict_do_nothing()


@cache
def _locked(dialect: str) -> Select[Any]:
    """The levels of the item x location pairs. PostgreSQL takes the pairs as two arrays
    joined by ``unnest``: a list of row values is matched pair by pair, which costs seconds
    for the tens of thousands of pairs of a large count; SQLite takes them as JSON."""
    if dialect == "postgresql":
        given = (
            func.unnest(
                bindparam("items", type_=ARRAY(String)), bindparam("places", type_=ARRAY(String))
            )
            .table_valued("item_id", "location_id")
            .render_derived()
        )
        wanted: Any = select(given.c.item_id, given.c.location_id)
        order: Any = StockLevel.level_key
    else:
        wanted = json_rows("pairs", "$[0]", "$[1]")
        # an expression no index holds: ordered by the key itself, SQLite would read every
        # level of the company along the key's index rather than look each pair up
        order = literal_column("+stock_level.level_key")
    return (
        select(StockLevel.__table__)
        .where(
            StockLevel.company_id == bindparam("company"),
            tuple_(StockLevel.item_id, StockLevel.location_id).in_(wanted),
        )
        .order_by(order)
    )


def _pairs(dialect: str, company_id: str, pairs: list[tuple[str, str]]) -> dict[str, Any]:
    """The parameters of ``_locked`` for these pairs."""
    if dialect == "postgresql":
        items = [item for item, _ in pairs]
        return {"company": company_id, "items": items, "places": [place for _, place in pairs]}
    return {"company": company_id, "pairs": listed(dialect, pairs)}


def _expire_due(
    session: Session, company_id: str, pairs: set[tuple[str, str]], state: Levels
) -> None:
    r = StockReservation
    now = utcnow()
    due = list(
        session.scalars(
            select(r).where(
                r.company_id == company_id,
                r.status == "active",
                r.expires_at <= now,
                tuple_(r.item_id, r.location_id).in_(sorted(pairs)),
            )
        )
    )
    expiry = Actor.system(company_id, "expiry")
    for reservation in due:
        reservation.status, reservation.closed_at, reservation.closed_by = "expired", now, "expiry"
        change_reserved(
            session, company_id, state, reserved_key(reservation), -reservation.remaining
        )
        details = {"quantity": reservation.remaining, "expires_at": reservation.expires_at}
        audit.record(
            session, expiry, "reservation.expired", "reservation", reservation.id, **details
        )
    if due:
        reservation_events.announce(session, company_id, due)


def reserved_key(reservation: StockReservation) -> str:
    """The level a reservation holds stock on: its batch's or serial's, else the base one."""
    r = reservation
    return level_key(r.item_id, r.variant_id, r.location_id, None, r.batch_id, r.serial_id)


def lot_of(level: dict[str, Any]) -> LotKey:
    """The batch or serial (or untracked stock) at a location a level holds, whatever its bin."""
    return (
        level["item_id"],
        level["variant_id"],
        level["location_id"],
        level["batch_id"],
        level["serial_id"],
    )


def is_base(level: dict[str, Any]) -> bool:
    """Whether a level is a location's base level (no bin, batch or serial), whose reserved
    figure is a claim on the whole location rather than on the level itself."""
    return not (level["bin_id"] or level["batch_id"] or level["serial_id"])


def change_reserved(
    session: Session, company_id: str, state: Levels, key: str, delta: Decimal
) -> None:
    """Adds ``delta`` to what is reserved on a level (which must be among the locked rows),
    its group, and the item's reserved total."""
    level = state.levels[key]
    group = (level["item_id"], level["variant_id"], level["location_id"])
    state.groups[group].reserved += delta
    level["reserved"] += delta
    state.announce(session, company_id, [group])
    levels = StockLevel.__table__
    items = Item.__table__
    assert isinstance(levels, Table)
    assert isinstance(items, Table)
    session.execute(
        update(levels)
        .where(levels.c.company_id == company_id, levels.c.level_key == key)
        .values(reserved=levels.c.reserved + bindparam("delta", type_=Amount())),
        {"delta": delta},
    )
    session.execute(
        update(items)
        .where(items.c.company_id == company_id, items.c.id == level["item_id"])
        .values(stock_reserved=items.c.stock_reserved + bindparam("delta", type_=Amount())),
        {"delta": delta},
    )


def change_on_order(
    session: Session, company_id: str, state: Levels, deltas: dict[GroupKey, Decimal]
) -> None:
    """Adds to what is on order of each item x variant x location (on its base level, which
    must be among the locked rows) and to the items' on-order totals."""
    changed = sorted(((g, d) for g, d in deltas.items() if d), key=lambda gd: level_key(*gd[0]))
    if not changed:
        return
    for group, delta in changed:
        state.levels[level_key(*group)]["on_order"] += delta
    state.announce(session, company_id, [group for group, _ in changed])
    levels = StockLevel.__table__
    items = Item.__table__
    assert isinstance(levels, Table)
    assert isinstance(items, Table)
    session.execute(
        update(levels)
        .where(
            levels.c.company_id == bindparam("b_company"), levels.c.level_key == bindparam("b_key")
        )
        .values(on_order=levels.c.on_order + bindparam("delta", type_=Amount())),
        [{"b_company": company_id, "b_key": level_key(*g), "delta": d} for g, d in changed],
    )
    per_item: dict[str, Decimal] = defaultdict(Decimal)
    for (item_id, _, _), delta in changed:
        per_item[item_id] += delta
    session.execute(
        update(items)
        .where(items.c.company_id == bindparam("b_company"), items.c.id == bindparam("b_item"))
        .values(stock_on_order=items.c.stock_on_order + bindparam("delta", type_=Amount())),
        [{"b_company": company_id, "b_item": i, "delta": d} for i, d in sorted(per_item.items())],
    )


def on_order_rows(company_id: str, deltas: dict[GroupKey, Decimal]) -> list[dict[str, Any]]:
    """The base level rows that on-order changes need locked."""
    return [level_row(company_id, i, v, loc, physical=True) for i, v, loc in deltas]


def lock_and_change_on_order(
    session: Session, company_id: str, deltas: dict[GroupKey, Decimal]
) -> None:
    """Changes what is on order where nothing is posted (an order placed, cancelled, closed)."""
    pairs = {(item_id, location_id) for item_id, _, location_id in deltas}
    state = lock(session, company_id, pairs, on_order_rows(company_id, deltas))
    change_on_order(session, company_id, state, deltas)
