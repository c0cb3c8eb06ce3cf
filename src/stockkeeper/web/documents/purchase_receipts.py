"""Receiving a purchase order: a form of what is still open on each line (filled in with
it), partial receipts allowed (a quantity left blank receives nothing of that line), with
the bin (by its code), batch or serial numbers a line's item needs. It calls the use case the API's
receipts route calls (``purchasing.service.receive_order``), a clerk's."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from fastapi import Request, Response
from sqlalchemy.orm import Session

from stockkeeper.catalog.service.bin_codes import NamedBin, bin_ids_of
from stockkeeper.purchasing import service
from stockkeeper.purchasing.values import Receipt
from stockkeeper.purchasing.views import OrderView
from stockkeeper.tenancy.service import Actor
from stockkeeper.web.auth import Clerk, DbSession
from stockkeeper.web.documents.lines import Column, Lines, Posted, given, shown_beside
from stockkeeper.web.forms import Form, attempt, parse
from stockkeeper.web.pages import page_router, redirect, render

router = page_router()

HEADER = ("date", "reference", "notes")  # a receipt of nothing is refused above the form
COLUMNS = (
    Column("line_id", "Order line"),
    Column("quantity", "Quantity received", also=("line_id", "item_id")),
    Column("bin", "Bin code", path="bin_id", hint="For stock kept in bins"),
    Column(
        "batch",
        "Batch",
        path="batches",
        also=("batches.0.batch_number", "batches.0.quantity"),
    ),
    Column("expiry", "Batch expiry", type="date", path="batches.0.expiry_date"),
    Column(
        "serials",
        "Serial numbers",
        path="serial_numbers",
        hint="Separated by spaces",
    ),
)
_ENTRY = re.compile(r"items\.(\d+)(.*)")


@router.get("/purchase-orders/{order_id}/receive")
def receive_page(request: Request, session: DbSession, visit: Clerk, order_id: str) -> Response:
    view = service.get_order(session, visit.actor, order_id=order_id)
    if not _open_lines(view):
        return redirect(f"/purchase-orders/{order_id}")
    return _form(request, view, Form(_open_typed(view)))


@router.post("/purchase-orders/{order_id}/receive")
def receive_action(
    request: Request, session: DbSession, visit: Clerk, order_id: str, posted: Posted
) -> Response:
    view = service.get_order(session, visit.actor, order_id=order_id)
    lines = Lines.read(posted, COLUMNS)
    given_at = [n for n, line in enumerate(lines.lines) if line.get("quantity")]
    done = attempt(
        session, lines.values(), lambda: _receive(session, visit.actor, view, lines, given_at)
    )
    if done.result is not None:
        return redirect(f"/purchase-orders/{order_id}")
    return _form(request, view, _renumbered(done.form, given_at))


def _receive(
    session: Session, actor: Actor, view: OrderView, lines: Lines, given_at: list[int]
) -> OrderView:
    """The receipt of the form's lines given a quantity (``given_at``), in their order."""
    header = given(**{name: lines.header.get(name) for name in HEADER})
    entries = [_entry(lines.lines[n]) for n in given_at]
    _with_bin_ids(session, actor, view.order.location_id, entries)
    receipt = parse(Receipt, header | {"items": entries})
    return service.receive_order(session, actor, order_id=view.order.id, receipt=receipt)


def _with_bin_ids(
    session: Session, actor: Actor, location_id: str, entries: list[dict[str, Any]]
) -> None:
    """The entries' bins, named by code, replaced by their ids (bins of the order's location;
    an unknown code refused beside its line)."""
    binned = [entry for entry in entries if entry.get("bin_id")]
    named = [
        NamedBin(f"items.{n}.bin_id", location_id, entry["bin_id"])
        for n, entry in enumerate(entries)
        if entry.get("bin_id")
    ]
    for entry, ident in zip(binned, bin_ids_of(session, actor, named=named), strict=True):
        entry["bin_id"] = ident


def _renumbered(form: Form, given_at: list[int]) -> Form:
    """The refusal's errors named by the form's lines: the service numbers the entries sent,
    which leave out the lines given no quantity."""
    errors: dict[str, list[str]] = {}
    for path, messages in form.errors.items():
        found = _ENTRY.fullmatch(path)
        if found is not None and int(found.group(1)) < len(given_at):
            path = f"items.{given_at[int(found.group(1))]}{found.group(2)}"
        errors.setdefault(path, []).extend(messages)
    form.errors = errors
    return form


def _entry(line: dict[str, str]) -> dict[str, Any]:
    quantity = line.get("quantity", "")
    batch = given(batch_number=line.get("batch"), expiry_date=line.get("expiry"))
    return given(
        line_id=line.get("line_id"),
        quantity=quantity,
        bin_id=line.get("bin"),
        batches=[batch | {"quantity": quantity}] if batch else None,
        serial_numbers=line.get("serials", "").replace(",", " ").split(),
    )


def _open_lines(view: OrderView) -> list[dict[str, Any]]:
    return [line for line in view.data["items"] if Decimal(str(line["quantityOpen"])) > 0]


def _open_typed(view: OrderView) -> dict[str, str]:
    """Every line of the order, those still open filled in with what is open."""
    typed: dict[str, str] = {}
    for n, line in enumerate(view.data["items"]):
        typed[f"items.{n}.line_id"] = line["id"]
        if Decimal(str(line["quantityOpen"])) > 0:
            typed[f"items.{n}.quantity"] = str(line["quantityOpen"])
    return typed | {"lines": str(len(view.data["items"]))}


def _form(request: Request, view: OrderView, form: Form) -> Response:
    shown_beside(form, HEADER, COLUMNS)
    status = form.status
    tracking = {item.id: item.tracking for _, item in view.lines}
    return render(
        request,
        "documents/purchase_orders/receive.html",
        status,
        form=form,
        doc=view.data,
        tracking=tracking,
        columns={column.name: column for column in COLUMNS},
    )
