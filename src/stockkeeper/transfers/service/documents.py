"""Transfer documents: creating one (carried out at once, or kept for approval or as a
draft), replacing a draft's content, reading and listing them. The status changes after
creation are in ``status.py``."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from stockkeeper.catalog.models import Item, Location
from stockkeeper.catalog.service.common import rows_by_id
from stockkeeper.catalog.service.locations import check_bins, require_location
from stockkeeper.core import outbox
from stockkeeper.core.db import insert_new, new_row
from stockkeeper.core.errors import IllegalTransition
from stockkeeper.core.ids import new_id
from stockkeeper.core.pagination import Listed
from stockkeeper.core.types import utcnow
from stockkeeper.stock.service import external_ids, lots
from stockkeeper.stock.service.documents import locations_by_id
from stockkeeper.tenancy.service import Actor, company_today, get_company
from stockkeeper.transfers import views
from stockkeeper.transfers.errors import SameLocations
from stockkeeper.transfers.kind import EDITABLE, RECORDED_AS, TRANSFERS
from stockkeeper.transfers.models import StockTransfer, StockTransferLine, TransferApproval
from stockkeeper.transfers.service import moves
from stockkeeper.transfers.values import (
    NewTransfer,
    Shipping,
    TransferContent,
    TransferFilters,
    TransferLine,
)


def create_transfer(session: Session, actor: Actor, *, transfer: NewTransfer) -> views.TransferView:
    """Creates a transfer. Unless it is to wait for approval or stay a draft, it is carried
    out at once, straight from source to destination. One whose external id the company has
    already is not created again: the view of that one (its ``existing`` set) is the answer."""
    return external_ids.create_once(
        session,
        TRANSFERS,
        actor.company_id,
        transfer.external_id,
        lambda: _create(session, actor, transfer),
        lambda row: replace(_views_of(session, actor, [row])[0], existing=True),
    )


def _create(session: Session, actor: Actor, transfer: NewTransfer) -> views.TransferView:
    company = get_company(session, actor.company_id)
    source, destination = _ends(session, actor, transfer)
    row = StockTransfer(
        id=new_id("xfer"),
        company_id=actor.company_id,
        transfer_date=transfer.date or company_today(company),
        from_location_id=source.id,
        to_location_id=destination.id,
        reference=transfer.reference,
        external_id=transfer.external_id,
        notes=transfer.notes,
        shipping=shipping_json({}, transfer.shipping),
        total_value=Decimal(0),
        created_by=actor.name,
    )
    lines = [_line_row(actor, row, n, line) for n, line in enumerate(transfer.items)]
    row.transfer_number = TRANSFERS.next_number(session, company, row.transfer_date)
    if transfer.status == "draft" or transfer.request_approval:
        row.status = "draft" if transfer.status == "draft" else "pending_approval"
        moves.check_lines(session, actor, row, lines)
    else:
        moves.carry_out(session, actor, company, row, lines)
    # written once checked and carried out, with the figures the posting gave the lines
    insert_new(session, row, *lines)
    number = row.transfer_number
    TRANSFERS.record(session, actor, RECORDED_AS[row.status], row, number=number, lines=len(lines))
    items = rows_by_id(session, Item, actor.company_id, {line.item_id for line in lines})
    view = views.TransferView(
        row, source, destination, [(line, items[line.item_id]) for line in lines], []
    )
    return announce(session, actor, view)


def update_transfer(
    session: Session, actor: Actor, *, transfer_id: str, content: TransferContent
) -> views.TransferView:
    """Replaces a draft's ends, date, reference, notes and lines (a transfer in any other
    status is a 409 ``illegal_transition``); its lines are checked as a new draft's are."""
    row = TRANSFERS.locked(session, actor, transfer_id)
    if row.status not in EDITABLE:
        allowed = TRANSFERS.allowed(row.status)
        raise IllegalTransition("transfer", row.status, "be edited", allowed, "allowed_statuses")
    source, destination = _ends(session, actor, content)
    company = get_company(session, actor.company_id)
    row.transfer_date = content.date or company_today(company)
    row.from_location_id, row.to_location_id = source.id, destination.id
    row.reference, row.notes, row.updated_at = content.reference, content.notes, utcnow()
    lines = [_line_row(actor, row, n, line) for n, line in enumerate(content.items)]
    moves.check_lines(session, actor, row, lines)
    line = StockTransferLine
    session.execute(
        delete(line).where(line.company_id == actor.company_id, line.transfer_id == row.id)
    )
    session.add_all(lines)
    TRANSFERS.record(session, actor, "edited", row, lines=len(lines))
    session.flush()
    return announce(session, actor, get_transfer(session, actor, transfer_id=transfer_id))


def get_transfer(session: Session, actor: Actor, *, transfer_id: str) -> views.TransferView:
    found = _views_of(session, actor, [TRANSFERS.get(session, actor, transfer_id)])[0]
    return replace(found, role=actor.role)


def list_transfers(
    session: Session, actor: Actor, *, filters: TransferFilters, limit: int, cursor: str | None
) -> Listed[views.TransferView]:
    """Newest first (by date, then creation)."""
    page = TRANSFERS.page(session, actor, filters, limit=limit, cursor=cursor)
    rows = [replace(view, role=actor.role) for view in _views_of(session, actor, page.rows)]
    return Listed(rows, page.next_cursor, page.total)


def announce(session: Session, actor: Actor, view: views.TransferView) -> views.TransferView:
    """Every change of a transfer (its creation too) is ``inventory.transfer``."""
    outbox.emit(session, actor.company_id, "inventory.transfer", view.data)
    return view


def shipping_json(
    current: dict[str, Any], given: Shipping | None, **defaults: datetime
) -> dict[str, Any]:
    """The stored shipping details: ``current`` with what is given laid over it, and the
    ``defaults`` of times not given."""
    merged = dict(current)
    sent = given.model_dump(exclude_none=True) if given is not None else {}
    for key, value in (defaults | sent).items():
        merged[key] = value.isoformat() if isinstance(value, datetime) else value
    return merged


def approvals_of(
    session: Session, actor: Actor, transfer_ids: list[str]
) -> dict[str, list[TransferApproval]]:
    """Each transfer's sign-offs, in the order they were given: one query for all."""
    signed: dict[str, list[TransferApproval]] = {ident: [] for ident in transfer_ids}
    a = TransferApproval
    for approval in session.scalars(
        select(a)
        .where(a.company_id == actor.company_id, a.transfer_id.in_(transfer_ids))
        .order_by(a.approved_at, a.id)
    ):
        signed[approval.transfer_id].append(approval)
    return signed


def _views_of(
    session: Session, actor: Actor, transfers: list[StockTransfer]
) -> list[views.TransferView]:
    if not transfers:
        return []
    ids = [t.id for t in transfers]
    lines = TRANSFERS.lines(session, actor.company_id, ids)
    signed = approvals_of(session, actor, ids)
    ends = [t.from_location_id for t in transfers] + [t.to_location_id for t in transfers]
    locations = locations_by_id(session, actor.company_id, ends)
    return [
        views.TransferView(
            t, locations[t.from_location_id], locations[t.to_location_id], lines[t.id], signed[t.id]
        )
        for t in transfers
    ]


def _ends(session: Session, actor: Actor, transfer: TransferContent) -> tuple[Location, Location]:
    """The source and the destination, two of the company's warehouses or stores, after
    checking the bins the lines name in each."""
    source = require_location(session, actor, transfer.from_location_id, "from_location_id")
    destination = require_location(session, actor, transfer.to_location_id, "to_location_id")
    if source.id == destination.id:
        raise SameLocations()
    bins = [
        (f"items.{n}.{end}_bin_id", bin_id, location)
        for n, line in enumerate(transfer.items)
        for end, bin_id, location in (
            ("from", line.from_bin_id, source),
            ("to", line.to_bin_id, destination),
        )
        if bin_id
    ]
    check_bins(session, actor.company_id, bins)
    return source, destination


def _line_row(actor: Actor, row: StockTransfer, n: int, line: TransferLine) -> StockTransferLine:
    given = lots.Lots.given(line)
    return new_row(
        StockTransferLine,
        id=new_id("xferitem"),
        company_id=actor.company_id,
        transfer_id=row.id,
        position=n,
        item_id=line.item_id,
        variant_id=line.variant_id,
        from_bin_id=line.from_bin_id,
        to_bin_id=line.to_bin_id,
        quantity_requested=line.quantity,
        notes=line.notes,
        batches=given.batches,
        serial_numbers=given.serial_numbers,
    )
