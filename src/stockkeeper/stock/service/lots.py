"""Batches and serial numbers on document lines: checks them, creates new ones, and splits
each line of a tracked item into one ledger line per batch or per serial.

A line of a batch-tracked item names its batches (an existing ``batch_id``, or a
``batch_number``: stock arriving from outside creates the batch, with its dates, if the item
has none of that number) with a quantity each, adding up to the line's. A line of a
serial-tracked item names one serial number per unit. A line whose stock lies in several bins
of its location says how much in each (``bins``, adding up to the line's quantity); a batch
on it says the same of its own quantity; each part is a movement of its own, into or out of
its bin (at the line's one end on the premises). A serial is in stock at most once per
item: stock arriving from outside must bring serials that are nowhere on the premises, and
stock leaving a warehouse or store can only take serials that are in stock there. Serial
rows are locked before any level, in number order, so two postings cannot bring the same
serial in at once.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select, tuple_
from sqlalchemy.orm import Session

from stockkeeper.catalog.models import Item, Location
from stockkeeper.catalog.service.common import rows_by_id
from stockkeeper.core.db import insert_ignoring_duplicates
from stockkeeper.core.errors import Conflict, UnknownReference, field_error
from stockkeeper.core.ids import new_id
from stockkeeper.core.locks import lock
from stockkeeper.core.types import utcnow
from stockkeeper.stock.errors import InvalidLots, SerialInStock, SerialNotInStock
from stockkeeper.stock.models import Batch, SerialNumber, StockLevel
from stockkeeper.stock.service import ledger, levels, lot_checks, picking
from stockkeeper.stock.service.levels import PHYSICAL
from stockkeeper.stock.service.lines import merged, split
from stockkeeper.stock.values import BatchLine, LineLots, LotsInBins
from stockkeeper.tenancy.service import Actor


@dataclass(frozen=True)
class Lots:
    """What a document line says of batches, serials and bins (as stored on the line)."""

    batches: list[dict[str, Any]] | None = None
    serial_numbers: list[str] | None = None
    bins: list[dict[str, Any]] | None = None  # [{bin_id, quantity}]: the line over its bins

    @classmethod
    def given(cls, line: LineLots) -> Lots:
        """The lots a line of a document was given, as the line stores them."""
        bins = line.bins if isinstance(line, LotsInBins) else None
        return cls(
            batches=None if line.batches is None else [_storable(b) for b in line.batches],
            serial_numbers=None if line.serial_numbers is None else list(line.serial_numbers),
            bins=None if bins is None else [b.model_dump() for b in bins],
        )


def _storable(batch: BatchLine) -> dict[str, Any]:
    """A batch entry as a line stores it (what was given, dates as ISO text)."""
    given = batch.model_dump(exclude_unset=True)
    return {k: v.isoformat() if isinstance(v, date) else v for k, v in given.items()}


def post(
    session: Session,
    actor: Actor,
    *,
    document: ledger.Document,
    lines: list[tuple[ledger.Line, Lots]],
    allow_negative: bool,
    on_order: dict[levels.GroupKey, Decimal] | None = None,
) -> tuple[list[ledger.Posted], list[Lots]]:
    """Posts the lines, each split by its batches, serials or bins; returns one merged result per
    line, and each line's lots as resolved (batches with their ids), to store on it."""
    if not lines:
        return [], []
    pieces, owners, resolved = _split(session, actor.company_id, lines)
    posted = ledger.post(
        session,
        actor,
        document=document,
        lines=pieces,
        allow_negative=allow_negative,
        on_order=on_order,
    )
    parts: list[list[ledger.Posted]] = [[] for _ in lines]
    for owner, result in zip(owners, posted, strict=True):
        parts[owner].append(result)
    return [merged(line, part) for (line, _), part in zip(lines, parts, strict=True)], resolved


def _split(
    session: Session, company_id: str, lines: list[tuple[ledger.Line, Lots]]
) -> tuple[list[ledger.Line], list[int], list[Lots]]:
    items = rows_by_id(session, Item, company_id, {line.item_id for line, _ in lines})
    tracking = {ident: item.tracking for ident, item in items.items()}
    kinds = _kinds(session, company_id, lines)
    lines = picking.pick(session, company_id, lines, items, kinds)
    lot_checks.refuse(lines, items)
    batches = _batches(session, company_id, lines, tracking, kinds)
    serials = _serials(session, company_id, lines, tracking, kinds)
    every: list[ledger.Line] = []
    owners: list[int] = []
    resolved: list[Lots] = []
    for n, (line, lots) in enumerate(lines):
        kind = tracking.get(line.item_id, "none") if line.quantity else "none"
        pieces, kept = _parts(line, lots, kind, batches, serials, kinds)
        resolved.append(kept)
        every += pieces
        owners += [n] * len(pieces)
    return every, owners, resolved


def _parts(
    line: ledger.Line,
    lots: Lots,
    kind: str,
    batches: dict[tuple[str, str], Batch],
    serials: dict[tuple[str, str], str],
    kinds: dict[str, str],
) -> tuple[list[ledger.Line], Lots]:
    """The line split by its batches or serials (``kind`` is how its item is tracked) and its
    bins; and its lots as the line keeps them once posted."""
    if kind == "batch":
        entries = [
            {**entry, "batch_id": batches[(line.item_id, _batch_name(entry))].id}
            for entry in lots.batches or []
        ]
        parts = [
            part
            for e in entries
            for part in _in_bins(
                line, kinds, Decimal(e["quantity"]), e.get("bins"), {"batch_id": e["batch_id"]}
            )
        ]
        return split(line, parts), Lots(batches=[_stored(e, batches) for e in entries])
    if kind == "serial":
        numbers = lots.serial_numbers or []
        parts = [(Decimal(1), {"serial_id": serials[(line.item_id, n)]}) for n in numbers]
        return split(line, parts), lots
    if lots.bins:
        return split(line, _in_bins(line, kinds, line.quantity, lots.bins, {})), lots
    return [line], lots


def _in_bins(
    line: ledger.Line,
    kinds: dict[str, str],
    quantity: Decimal,
    bins: list[dict[str, Any]] | None,
    named: dict[str, Any],
) -> list[tuple[Decimal, dict[str, Any]]]:
    """A part of a line (the whole line, or one of its batches) with what names it, as it is
    or split over the bins it names, each bin at the line's end on the premises (the other
    end of a line that names bins is virtual: an adjustment's loss or opening balance)."""
    if not bins:
        return [(quantity, named)]
    end = "to_bin_id" if kinds[line.to_location_id] in PHYSICAL else "from_bin_id"
    return [(Decimal(b["quantity"]), {**named, end: b["bin_id"]}) for b in bins]


def subtract(shipped: Lots, arrived: Lots, field: str) -> Lots:
    """What of ``shipped`` did not arrive; refuses arrivals that were never shipped."""
    if shipped.serial_numbers is not None:
        came = set(arrived.serial_numbers or [])
        if not came <= set(shipped.serial_numbers):
            raise InvalidLots(
                [field_error(f"{field}.serial_numbers", "not among those shipped")],
                "a serial number that arrived was not shipped",
            )
        return Lots(serial_numbers=[n for n in shipped.serial_numbers if n not in came])
    if shipped.batches is None:
        return Lots()
    left = {e["batch_id"]: Decimal(e["quantity"]) for e in shipped.batches}
    names = {e["batch_number"]: e["batch_id"] for e in shipped.batches}
    for entry in arrived.batches or []:
        ident = entry.get("batch_id") or names.get(entry.get("batch_number"))
        if ident not in left or Decimal(entry["quantity"]) > left[ident]:
            raise InvalidLots(
                [field_error(f"{field}.batches", "more than was shipped of this batch")],
                "more of a batch arrived than was shipped",
            )
        left[ident] -= Decimal(entry["quantity"])
    return Lots(
        batches=[
            {**e, "quantity": left[e["batch_id"]]} for e in shipped.batches if left[e["batch_id"]]
        ]
    )


def check(session: Session, company_id: str, lines: list[tuple[ledger.Line, Lots]]) -> None:
    """Refuses lots that do not fit their items (for drafts, which post later: batches are
    picked then for lines that take stock naming none)."""
    items = rows_by_id(session, Item, company_id, {line.item_id for line, _ in lines})
    lot_checks.refuse(lines, items, _kinds(session, company_id, lines))


def _kinds(
    session: Session, company_id: str, lines: list[tuple[ledger.Line, Lots]]
) -> dict[str, str]:
    """The type of every location the lines name, by id."""
    ids = {line.from_location_id for line, _ in lines} | {line.to_location_id for line, _ in lines}
    return {
        ident: row.type for ident, row in rows_by_id(session, Location, company_id, ids).items()
    }


def _day(value: Any) -> date | None:
    return date.fromisoformat(value) if isinstance(value, str) else value


def _batch_name(entry: dict[str, Any]) -> str:
    return str(entry.get("batch_id") or entry["batch_number"])


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def _stored(entry: dict[str, Any], batches: dict[tuple[str, str], Batch]) -> dict[str, Any]:
    """A batch entry as a posted line keeps it: the batch as it is, the quantity (and the
    bins) as given."""
    batch = next(b for b in batches.values() if b.id == entry["batch_id"])
    in_bins = {"bins": entry["bins"]} if entry.get("bins") else {}
    return {
        "batch_id": batch.id,
        "batch_number": batch.batch_number,
        "external_batch_number": batch.external_batch_number,
        "manufacturer_date": _iso(batch.manufacturer_date),
        "expiry_date": _iso(batch.expiry_date),
        "quantity": entry["quantity"],
    } | in_bins


def _arrives(line: ledger.Line, kinds: dict[str, str]) -> bool:
    """Whether the line brings stock onto the premises from outside."""
    return kinds[line.to_location_id] in PHYSICAL and kinds[line.from_location_id] not in PHYSICAL


def _batches(
    session: Session,
    company_id: str,
    lines: list[tuple[ledger.Line, Lots]],
    tracking: dict[str, str],
    kinds: dict[str, str],
) -> dict[tuple[str, str], Batch]:
    """(item, batch id or number) -> the batch; creates the new ones stock arrives in."""
    wanted = [
        (line, entry)
        for line, lots in lines
        if tracking.get(line.item_id) == "batch" and line.quantity
        for entry in lots.batches or []
    ]
    if not wanted:
        return {}
    known = _known_batches(session, company_id, wanted)
    errors = []
    for line, entry in wanted:
        key = (line.item_id, _batch_name(entry))
        if key in known:
            continue
        if entry.get("batch_id") or not _arrives(line, kinds):
            errors.append(
                field_error(
                    line.at("batches"), f"no batch {key[1]!r} of this item", "unknown_batch"
                )
            )
            continue
        known[key] = Batch(
            id=new_id("batch"),
            company_id=company_id,
            item_id=line.item_id,
            batch_number=entry["batch_number"],
            external_batch_number=entry.get("external_batch_number"),
            manufacturer_date=_day(entry.get("manufacturer_date")),
            expiry_date=_day(entry.get("expiry_date")),
            created_at=utcnow(),
        )
        session.add(known[key])
    if errors:
        raise UnknownReference("batch", errors, errors[0].message)
    session.flush()
    return known


def _known_batches(
    session: Session, company_id: str, wanted: list[tuple[ledger.Line, dict[str, Any]]]
) -> dict[tuple[str, str], Batch]:
    """The existing batches the lines name, by (item, id) and by (item, number)."""
    b = Batch
    found = list(
        session.scalars(
            select(b).where(
                b.company_id == company_id,
                b.item_id.in_({line.item_id for line, _ in wanted}),
                b.id.in_({e["batch_id"] for _, e in wanted if e.get("batch_id")})
                | b.batch_number.in_(
                    {e["batch_number"] for _, e in wanted if e.get("batch_number")}
                ),
            )
        )
    )
    return {(x.item_id, x.id): x for x in found} | {(x.item_id, x.batch_number): x for x in found}


def _serials(
    session: Session,
    company_id: str,
    lines: list[tuple[ledger.Line, Lots]],
    tracking: dict[str, str],
    kinds: dict[str, str],
) -> dict[tuple[str, str], str]:
    """(item, serial number) -> serial id, after the in-stock rules; locks the serial rows."""
    wanted = [
        (line, number)
        for line, lots in lines
        if tracking.get(line.item_id) == "serial" and line.quantity
        for number in lots.serial_numbers or []
    ]
    if not wanted:
        return {}
    ids = _serial_ids(session, company_id, sorted({(line.item_id, n) for line, n in wanted}))
    held = _held(session, company_id, set(ids.values()))
    errors: list[tuple[ledger.Line, str, type[Conflict], str]] = []
    for line, number in wanted:
        where = held.get(ids[(line.item_id, number)], {})
        if _arrives(line, kinds) and where:
            errors.append((line, number, SerialInStock, "is in stock already"))
        elif kinds[line.from_location_id] in PHYSICAL and not _lies_where_taken(line, where):
            errors.append((line, number, SerialNotInStock, "is not in stock there"))
    if errors:
        line, number, refusal, words = errors[0]
        raise refusal(
            f"serial number {number!r} {words}",
            errors=[
                field_error(e[0].at("serial_numbers"), f"{e[1]!r} {e[3]}", e[2].code)
                for e in errors
            ],
        )
    return ids


def _lies_where_taken(line: ledger.Line, where: dict[tuple[str, str | None], Decimal]) -> bool:
    """Whether a serial lies where the line takes it from: in the bin it names, or, naming
    none, anywhere at its location (the ledger finds the bin)."""
    if line.from_bin_id is not None:
        return (line.from_location_id, line.from_bin_id) in where
    return any(location_id == line.from_location_id for location_id, _ in where)


def _serial_ids(
    session: Session, company_id: str, keys: list[tuple[str, str]]
) -> dict[tuple[str, str], str]:
    """(item, serial number) -> serial id, new serials made; the rows locked in key order."""
    session.execute(
        insert_ignoring_duplicates(session, SerialNumber).on_conflict_do_nothing(),
        [
            {
                "company_id": company_id,
                "id": new_id("serial"),
                "item_id": item,
                "serial_number": number,
                "created_at": utcnow(),
            }
            for item, number in keys
        ],
    )
    s = SerialNumber
    statement = (
        select(s.item_id, s.serial_number, s.id)
        .where(
            s.company_id == company_id,
            s.item_id.in_({item for item, _ in keys}),  # SQLite seeks by neither half of a pair
            tuple_(s.item_id, s.serial_number).in_(keys),
        )
        .order_by(s.item_id, s.serial_number)
    )
    return {(item, number): ident for item, number, ident in lock(session, statement)}


def _held(
    session: Session, company_id: str, serial_ids: set[str]
) -> dict[str, dict[tuple[str, str | None], Decimal]]:
    """Serial id -> where it is in stock (location and bin) at warehouses and stores."""
    held: dict[str, dict[tuple[str, str | None], Decimal]] = defaultdict(dict)
    level = StockLevel
    for serial_id, location_id, bin_id, on_hand in session.execute(
        select(level.serial_id, level.location_id, level.bin_id, func.sum(level.on_hand))
        .where(
            level.company_id == company_id,
            level.physical.is_(True),
            level.serial_id.in_(serial_ids),
        )
        .group_by(level.serial_id, level.location_id, level.bin_id)
    ):
        if serial_id is not None and on_hand > 0:
            held[serial_id][(location_id, bin_id)] = on_hand
    return held
