"""Counted entries checked, all of them before any is applied: what each code names (an
item's or variant's code or barcode, or a serial number), whether it is in the count's scope,
its bin, its batch and its serial. Every entry at fault is named in one refusal, by its
index and why."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from stockkeeper.catalog.models import Bin, Item, ItemVariant
from stockkeeper.catalog.service.common import rows_by_id
from stockkeeper.core.errors import FieldError, field_error
from stockkeeper.counts.errors import InvalidEntries
from stockkeeper.counts.models import StockCount
from stockkeeper.counts.service.keys import Place
from stockkeeper.counts.values import CountEntry
from stockkeeper.stock.models import Batch, SerialNumber, StockLevel


@dataclass(frozen=True)
class Counted:
    """A checked entry (``index`` in the list sent): where it counts, the batch's id if the
    batch exists, and either the quantity counted or the quantity added."""

    index: int
    place: Place
    batch_id: str | None
    quantity: Decimal | None
    add: Decimal | None
    expiry_date: date | None = None  # of a batch not known yet


@dataclass(frozen=True)
class _Named:
    item: Item
    variant_id: str | None = None
    serial_number: str | None = None


class _Check:
    """The entries' errors, gathered as they are found."""

    def __init__(self) -> None:
        self.errors: list[FieldError] = []

    def refuse(self, n: int, field: str, message: str, code: str) -> None:
        self.errors.append(field_error(f"entries.{n}.{field}", message, code))


def check_entries(
    session: Session,
    count: StockCount,
    entries: Sequence[CountEntry],
    already: set[tuple[str, str]],
) -> list[Counted]:
    """The entries checked against the count (``already``: the (item, serial number) it has
    counted); refuses them all (``InvalidEntries``) if any is at fault."""
    check = _Check()
    _check_shapes(entries, check)
    named = _name_items(session, count.company_id, entries, check)
    bins = _bins(session, count, entries, check)
    counted: list[Counted] = []
    for n, entry in enumerate(entries):
        what = named.get(n)
        if what is None or n in bins:
            continue
        if not _in_scope(count, what.item, entry.bin_id):
            check.refuse(n, "code" if entry.code else "item_id", "not in the count", "out_of_scope")
            continue
        place = Place(what.item.id, what.variant_id, entry.bin_id, entry.batch, what.serial_number)
        if _lots_fit(n, entry, what, check):
            counted.append(Counted(n, place, None, entry.quantity, entry.add, entry.expiry_date))
    counted = _with_batches(session, count.company_id, counted)
    _check_serials(session, count, counted, already, check)
    if check.errors:
        raise InvalidEntries(sorted(check.errors, key=_index))
    return counted


def _index(error: FieldError) -> tuple[int, str]:
    return int(error.field.split(".")[1]), error.field


def _check_shapes(entries: Sequence[CountEntry], check: _Check) -> None:
    for n, entry in enumerate(entries):
        if (entry.code is None) == (entry.item_id is None):
            check.refuse(n, "code", "name what was counted by code or by itemId", "wrong_kind")
        if entry.code is not None and entry.variant_id is not None:
            check.refuse(n, "variant_id", "a code names the variant already", "wrong_kind")
        if (entry.quantity is None) == (entry.add is None):
            check.refuse(n, "quantity", "give the quantity counted or add", "wrong_kind")
        if entry.expiry_date is not None and entry.batch is None:
            check.refuse(n, "expiry_date", "an expiry date goes with a batch", "wrong_kind")


def _name_items(
    session: Session, company_id: str, entries: Sequence[CountEntry], check: _Check
) -> dict[int, _Named]:
    """What each well-formed entry names, by index."""
    by_code = _codes(session, company_id, {e.code for e in entries if e.code})
    ids = {e.item_id for e in entries if e.item_id}
    items = rows_by_id(session, Item, company_id, ids) if ids else {}
    variant_ids = {e.variant_id for e in entries if e.variant_id}
    variants = rows_by_id(session, ItemVariant, company_id, variant_ids) if variant_ids else {}
    named: dict[int, _Named] = {}
    for n, entry in enumerate(entries):
        if entry.code is not None:
            found = by_code.get(entry.code, [])
            if len(found) != 1:
                words = "names several serials" if found else "is no item, variant or serial"
                code = "ambiguous" if found else "unknown_reference"
                check.refuse(n, "code", f"{entry.code!r} {words}", code)
                continue
            what = found[0]
        elif entry.item_id is not None:
            item = items.get(entry.item_id)
            if item is None:
                check.refuse(n, "item_id", f"no item {entry.item_id!r}", "unknown_reference")
                continue
            variant = variants.get(entry.variant_id) if entry.variant_id else None
            if entry.variant_id and (variant is None or variant.item_id != item.id):
                words = f"no variant {entry.variant_id!r} of {item.item_code}"
                check.refuse(n, "variant_id", words, "unknown_reference")
                continue
            what = _Named(item, entry.variant_id)
        else:
            continue
        if entry.serial is not None:
            if what.serial_number is not None or what.item.tracking != "serial":
                words = "only an item tracked by serial number, named by its code, takes one"
                check.refuse(n, "serial", words, "wrong_kind")
                continue
            what = _Named(what.item, what.variant_id, entry.serial)
        if what.item.type != "inventory" or not what.item.tracked:
            words = f"{what.item.item_code}'s stock is not tracked"
            check.refuse(n, "code" if entry.code else "item_id", words, "not_stocked")
            continue
        named[n] = what
    return named


def _codes(session: Session, company_id: str, codes: set[str]) -> dict[str, list[_Named]]:
    """Code -> what it names: an item by its code or barcode, else a variant by its own,
    else the serials of that number (one, unless items share the number)."""
    if not codes:
        return {}
    found: dict[str, list[_Named]] = {}
    for item in session.scalars(
        select(Item).where(
            Item.company_id == company_id, or_(Item.item_code.in_(codes), Item.barcode.in_(codes))
        )
    ):
        for code in {item.item_code, item.barcode or ""} & codes:
            found.setdefault(code, [_Named(item)])
    v = ItemVariant
    variants = session.execute(
        select(v.id, v.item_id, v.item_code, v.barcode).where(
            v.company_id == company_id, or_(v.item_code.in_(codes), v.barcode.in_(codes))
        )
    ).all()
    serials = session.execute(
        select(SerialNumber.item_id, SerialNumber.serial_number).where(
            SerialNumber.company_id == company_id,
            SerialNumber.serial_number.in_(codes - set(found)),
        )
    ).all()
    owners = {row.item_id for row in variants} | {row.item_id for row in serials}
    items = rows_by_id(session, Item, company_id, owners) if owners else {}
    for row in variants:
        for code in {row.item_code, row.barcode} & codes:
            found.setdefault(code, [_Named(items[row.item_id], row.id)])
    for item_id, number in serials:
        if number not in found or found[number][0].serial_number is not None:
            found.setdefault(number, []).append(_Named(items[item_id], serial_number=number))
    return found


def _bins(
    session: Session, count: StockCount, entries: Sequence[CountEntry], check: _Check
) -> set[int]:
    """The entries naming a bin that is not one of the count's location (their indexes)."""
    named = {e.bin_id for e in entries if e.bin_id}
    found = rows_by_id(session, Bin, count.company_id, named) if named else {}
    wrong: set[int] = set()
    for n, entry in enumerate(entries):
        if entry.bin_id is None:
            continue
        place = found.get(entry.bin_id)
        if place is None or place.location_id != count.location_id:
            check.refuse(
                n, "bin_id", f"no bin {entry.bin_id!r} at the count's location", "unknown_reference"
            )
            wrong.add(n)
    return wrong


def _in_scope(count: StockCount, item: Item, bin_id: str | None) -> bool:
    scope = count.scope
    if "item_ids" in scope:
        return item.id in scope["item_ids"]
    if "category_ids" in scope:
        return item.category_id in scope["category_ids"]
    if "bin_ids" in scope:
        return bin_id in scope["bin_ids"]
    return True


def _lots_fit(n: int, entry: CountEntry, what: _Named, check: _Check) -> bool:
    """A batch-tracked item names its batch; a serial-tracked item is counted by its serial
    numbers, one unit each; no other item names either."""
    tracking, code = what.item.tracking, what.item.item_code
    if tracking == "batch" and entry.batch is None:
        check.refuse(n, "batch", f"{code} is tracked by batch: name the batch", "batch_missing")
        return False
    if tracking != "batch" and entry.batch is not None:
        check.refuse(n, "batch", f"{code} is not tracked by batch", "wrong_kind")
        return False
    if tracking == "serial" and what.serial_number is None:
        words = f"{code} is tracked by serial number: scan each unit's serial"
        check.refuse(n, "code" if entry.code else "item_id", words, "serial_missing")
        return False
    if tracking == "serial" and (entry.add or entry.quantity or 0) > 1:
        field = "add" if entry.add is not None else "quantity"
        check.refuse(n, field, "a serial number is one unit: 0 or 1", "wrong_kind")
        return False
    return True


def _with_batches(session: Session, company_id: str, counted: list[Counted]) -> list[Counted]:
    """The entries with the ids of the batches that exist (a new number has none yet)."""
    wanted = {(c.place.item_id, c.place.batch_number) for c in counted if c.place.batch_number}
    if not wanted:
        return counted
    b = Batch
    found = {
        (item_id, number): ident
        for ident, item_id, number in session.execute(
            select(b.id, b.item_id, b.batch_number).where(
                b.company_id == company_id,
                b.item_id.in_({item for item, _ in wanted}),
                b.batch_number.in_({number for _, number in wanted}),
            )
        )
    }
    return [
        replace(c, batch_id=found.get((c.place.item_id, c.place.batch_number or "")))
        for c in counted
    ]


def _check_serials(
    session: Session,
    count: StockCount,
    counted: list[Counted],
    already: set[tuple[str, str]],
    check: _Check,
) -> None:
    """A serial is counted once (in this list and in the count), and only where it is in
    stock, if it is in stock anywhere: its own bin at the count's location."""
    serial = [(c.index, c) for c in counted if c.place.serial_number and _adds(c)]
    if not serial:
        return
    seen = Counter((c.place.item_id, c.place.serial_number or "") for _, c in serial)
    where = _serials_held(
        session, count.company_id, {c.place.serial_number or "" for _, c in serial}
    )
    for n, c in serial:
        key = (c.place.item_id, c.place.serial_number or "")
        if seen[key] > 1 or (key in already and c.add is not None):
            check.refuse(
                n, "code", f"serial {c.place.serial_number!r} is counted twice", "duplicate"
            )
        held = where.get(key, set())
        if held and (count.location_id, c.place.bin_id) not in held:
            check.refuse(
                n, "code", f"serial {c.place.serial_number!r} lies elsewhere", "serial_elsewhere"
            )


def _adds(c: Counted) -> bool:
    return (c.add or c.quantity or 0) > 0


def _serials_held(
    session: Session, company_id: str, numbers: set[str]
) -> dict[tuple[str, str], set[tuple[str, str | None]]]:
    """(item, serial number) -> where it is in stock: (location, bin)."""
    level, serial = StockLevel, SerialNumber
    held: dict[tuple[str, str], set[tuple[str, str | None]]] = {}
    for item_id, number, location_id, bin_id in session.execute(
        select(serial.item_id, serial.serial_number, level.location_id, level.bin_id)
        .join(level, (level.company_id == serial.company_id) & (level.serial_id == serial.id))
        .where(
            serial.company_id == company_id,
            serial.serial_number.in_(numbers),
            level.physical.is_(True),
        )
        .group_by(serial.item_id, serial.serial_number, level.location_id, level.bin_id)
        .having(func.sum(level.on_hand) > 0)
    ):
        held.setdefault((item_id, number), set()).add((location_id, bin_id))
    return held
