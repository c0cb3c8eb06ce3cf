"""Transfer documents: creating them (carried out at once, or kept for approval or as a
draft), reading and listing. The status changes after creation are in ``workflow.py``."""

from __future__ import annotations

import operator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from stockkeeper.catalog.models import Item, Location
from stockkeeper.catalog.service.documents import lines_with_items, locations_by_id
from stockkeeper.catalog.service.locations import check_bins, require_location
from stockkeeper.core.audit import record
from stockkeeper.core.errors import Invalid, NotFound, field_error
from stockkeeper.core.filters import given
from stockkeeper.core.ids import new_id
from stockkeeper.core.pagination import Keyset, keyset_page
from stockkeeper.core.sequences import next_number
from stockkeeper.stock import ledger, lots
from stockkeeper.tenancy.service import Actor, company_today, get_company, numbering_template
from stockkeeper.transfers import workflow
from stockkeeper.transfers.models import StockTransfer, StockTransferLine, TransferApproval


@dataclass(frozen=True)
class TransferView:
    transfer: StockTransfer
    source: Location
    destination: Location
    lines: list[tuple[StockTransferLine, Item]]
    approvals: list[TransferApproval]


def create_transfer(session: Session, actor: Actor, *, values: dict[str, Any]) -> StockTransfer:
    """Creates a transfer. Without ``requestApproval`` or a ``draft`` status it is carried out
    at once, straight from source to destination."""
    company = get_company(session, actor.company_id)
    source = require_location(session, actor, values["from_location_id"], "fromLocationId")
    destination = require_location(session, actor, values["to_location_id"], "toLocationId")
    if source.id == destination.id:
        raise Invalid(
            "a transfer goes between two different locations",
            errors=[field_error("toLocationId", "the same as fromLocationId")],
        )
    lines = values["items"]
    check_bins(
        session,
        actor.company_id,
        [
            (f"items.{n}.{end}BinId", line[f"{end}_bin_id"], location)
            for n, line in enumerate(lines)
            for end, location in (("from", source), ("to", destination))
            if line.get(f"{end}_bin_id")
        ],
    )
    effective = values.get("date") or company_today(company)
    transfer = StockTransfer(
        id=new_id("xfer"),
        company_id=actor.company_id,
        transfer_date=effective,
        from_location_id=source.id,
        to_location_id=destination.id,
        reference=values.get("reference"),
        notes=values.get("notes"),
        shipping=workflow.shipping_json({}, values.get("shipping") or {}),
        total_value=Decimal(0),
        created_by=actor.name,
    )
    rows = [
        StockTransferLine(
            id=new_id("xferitem"),
            company_id=actor.company_id,
            transfer_id=transfer.id,
            position=n,
            item_id=line["item_id"],
            variant_id=line.get("variant_id"),
            from_bin_id=line.get("from_bin_id"),
            to_bin_id=line.get("to_bin_id"),
            quantity_requested=line["quantity"],
            notes=line.get("notes"),
            batches=lots.storable(line.get("batches")),
            serial_numbers=line.get("serial_numbers"),
        )
        for n, line in enumerate(lines)
    ]
    transfer.transfer_number = next_number(
        session,
        actor.company_id,
        name="transfer",
        template=numbering_template(company, "transfer"),
        today=effective,
    )
    # added after the checks and postings, whose queries would flush lines not yet vetted
    if values.get("status") == "draft" or values.get("request_approval"):
        transfer.status = "draft" if values.get("status") == "draft" else "pending_approval"
        moves = [
            workflow.ledger_line(transfer, row, source.id, destination.id, row.quantity_requested)
            for row in rows
        ]
        ledger.check_items(session, actor.company_id, moves)
        lots.check(
            session,
            actor.company_id,
            [(move, workflow.lots_of(row)) for move, row in zip(moves, rows, strict=True)],
        )
    else:
        workflow.carry_out(session, actor, company, transfer, rows)
    session.add(transfer)
    session.add_all(rows)
    record(
        session,
        actor,
        f"transfer.{transfer.status}",
        "transfer",
        transfer.id,
        number=transfer.transfer_number,
        lines=len(rows),
    )
    session.flush()
    return transfer


def get_transfer(session: Session, actor: Actor, *, transfer_id: str) -> TransferView:
    transfer = session.get(StockTransfer, (actor.company_id, transfer_id))
    if transfer is None:
        raise NotFound("transfer", transfer_id)
    return _views(session, actor, [transfer])[0]


def _views(session: Session, actor: Actor, transfers: list[StockTransfer]) -> list[TransferView]:
    ids = [t.id for t in transfers]
    lines = lines_with_items(
        session, actor.company_id, StockTransferLine, StockTransferLine.transfer_id, ids
    )
    signed: dict[str, list[TransferApproval]] = {i: [] for i in ids}
    for approval in session.scalars(
        select(TransferApproval)
        .where(
            TransferApproval.company_id == actor.company_id,
            TransferApproval.transfer_id.in_(ids),
        )
        .order_by(TransferApproval.id)
    ):
        signed[approval.transfer_id].append(approval)
    locations = locations_by_id(
        session,
        actor.company_id,
        [t.from_location_id for t in transfers] + [t.to_location_id for t in transfers],
    )
    return [
        TransferView(
            t, locations[t.from_location_id], locations[t.to_location_id], lines[t.id], signed[t.id]
        )
        for t in transfers
    ]


@dataclass(frozen=True)
class TransferFilters:
    status: str | None = None
    from_location_id: str | None = None
    to_location_id: str | None = None
    location_id: str | None = None
    item_id: str | None = None
    date_from: date | None = None
    date_to: date | None = None


def list_transfers(
    session: Session, actor: Actor, *, filters: TransferFilters, limit: int, cursor: str | None
) -> tuple[list[TransferView], str | None, int]:
    """Newest first (by date, then creation); returns the page, next cursor and total."""
    t = StockTransfer
    where: list[Any] = [t.company_id == actor.company_id]
    where += given(
        (filters.status, t.status, operator.eq),
        (filters.from_location_id, t.from_location_id, operator.eq),
        (filters.to_location_id, t.to_location_id, operator.eq),
        (filters.date_from, t.transfer_date, operator.ge),
        (filters.date_to, t.transfer_date, operator.le),
    )
    if filters.location_id:
        where.append(
            (t.from_location_id == filters.location_id) | (t.to_location_id == filters.location_id)
        )
    if filters.item_id:
        where.append(
            t.id.in_(
                select(StockTransferLine.transfer_id).where(
                    StockTransferLine.company_id == actor.company_id,
                    StockTransferLine.item_id == filters.item_id,
                )
            )
        )
    found, next_cursor, total = keyset_page(
        session,
        t,
        where,
        Keyset(key=t.transfer_date, ident=t.id, descending=True),
        kind="transfer",
        limit=limit,
        cursor=cursor,
        parse=date.fromisoformat,
    )
    return _views(session, actor, found) if found else [], next_cursor, total
