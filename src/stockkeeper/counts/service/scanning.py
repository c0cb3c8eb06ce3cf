"""A scan at a count: one entry from the floor (a code, and the bin by its code), applied as
``count_lines`` applies entries, answered with the line it counted so that the clerk sees
the item and its running quantity at once. A refusal names the scan's own fields."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy.orm import Session

from stockkeeper.catalog.models import Item
from stockkeeper.catalog.service.bin_codes import NamedBin, bin_ids_of
from stockkeeper.core.errors import Invalid, NotFound, field_error
from stockkeeper.counts.errors import InvalidEntries
from stockkeeper.counts.kind import COUNTS
from stockkeeper.counts.models import StockCount, StockCountLine
from stockkeeper.counts.service import reading
from stockkeeper.counts.service.counting import apply_entries
from stockkeeper.counts.values import CountEntry, CountScan
from stockkeeper.counts.views import CountView
from stockkeeper.tenancy.service import Actor

# an entry's fields as the scan names them
_FIELDS = {"code": "code", "item_id": "code", "bin_id": "bin", "batch": "batch"}
_FIELDS |= {"expiry_date": "expiry"}
_FIELDS |= {"serial": "serial", "quantity": "quantity", "add": "quantity"}


@dataclass(frozen=True)
class Scanned:
    """The count after the scan, the line the scan counted, its item and its bin's code."""

    view: CountView
    line: StockCountLine
    item: Item
    bin_code: str | None


def scan_count(session: Session, actor: Actor, *, count_id: str, scan: CountScan) -> Scanned:
    """Adds 1 (or sets the quantity given) to the line of what was scanned, at its bin."""
    count = COUNTS.locked(session, actor, count_id, "count")
    entry = CountEntry(
        code=scan.code,
        bin_id=_bin_id(session, actor, count, scan.bin),
        batch=scan.batch,
        expiry_date=scan.expiry,
        serial=scan.serial,
        quantity=scan.quantity,
        add=Decimal(1) if scan.quantity is None else None,
    )
    try:
        line = apply_entries(session, actor, count, [entry])[0]
    except InvalidEntries as refused:
        errors = [
            field_error(_FIELDS.get(e.field.split(".")[-1], "code"), e.message, e.code)
            for e in refused.errors
        ]
        raise Invalid.fields(errors) from None
    item = session.get(Item, (actor.company_id, line.item_id))
    if item is None:  # the line's item was just checked
        raise NotFound("item", line.item_id)
    return Scanned(reading.current(session, actor, count), line, item, scan.bin)


def _bin_id(session: Session, actor: Actor, count: StockCount, code: str | None) -> str | None:
    if code is None:
        return None
    return bin_ids_of(session, actor, named=[NamedBin("bin", count.location_id, code)])[0]
