"""Transfers: the list with its filters, a transfer's page with the status changes it allows
(submit, approve, reject, ship, receive, cancel), and the form that creates one (carried out
at once, kept as a draft, or sent for approval) or edits a draft. Each page calls the use case
the API's route calls (``transfers.routes``); a draft's edit calls ``update_transfer``."""

from __future__ import annotations

from typing import Any, get_args

from fastapi import Request, Response
from sqlalchemy.orm import Session

from stockkeeper.catalog.service.locations import list_locations
from stockkeeper.people.service.visits import Visit
from stockkeeper.tenancy.service import Actor
from stockkeeper.transfers import service
from stockkeeper.transfers.kind import EDITABLE, TRANSFERS
from stockkeeper.transfers.values import (
    NewTransfer,
    StatusChange,
    TransferContent,
    TransferFilters,
    TransferStatus,
)
from stockkeeper.transfers.views import TransferView
from stockkeeper.web import nav
from stockkeeper.web.auth import Clerk, DbSession, Viewer
from stockkeeper.web.documents.actions import Action, buttons, require
from stockkeeper.web.documents.lines import (
    ITEM_CODE,
    SERIALS,
    Column,
    Lines,
    Posted,
    document_values,
    form_page,
    given,
    serial_numbers,
)
from stockkeeper.web.documents.listing import PAGE_SIZE, list_page, show_list
from stockkeeper.web.forms import Form, attempt, parse
from stockkeeper.web.pages import page_router, redirect, render

router = page_router()
nav.register("Transfers", "/transfers", order=45, group="/documents")

PATH = "/transfers"
FILTERS = ("status", "location_id", "date_from", "date_to")
HEADER = ("from_location_id", "to_location_id", "date", "reference", "notes")
COLUMNS = (
    ITEM_CODE,
    Column("quantity", "Quantity", hint="How much to move"),
    Column("from_bin_id", "From bin", hint="For stock kept in bins: the bin's code"),
    Column("to_bin_id", "To bin"),
    Column(
        "batch",
        "Batch",
        path="batches",
        hint="For batch-tracked items",
        also=("batches.0.batch_number", "batches.0.batch_id", "batches.0.quantity"),
    ),
    SERIALS,
)
# the statuses a transfer may be given, as its API route allows them (approving and
# rejecting: admins)
ACTIONS = (
    Action("edit", "Edit", link=True),  # a draft's (``EDITABLE``)
    Action("shipped", "Ship", style="primary"),
    Action("received", "Receive", style="primary"),
    Action("pending_approval", "Submit for approval"),
    Action("approved", "Approve", "primary"),
    Action("rejected", "Reject", asks=("notes", "Reason for rejecting")),
    Action("cancelled", "Cancel transfer"),
)
# what the form's buttons ask of a new transfer
_AS = {"draft": {"status": "draft"}, "approval": {"request_approval": "true"}, "now": {}}


@router.get("/transfers")
def transfers_page(request: Request, session: DbSession, visit: Viewer) -> Response:
    shown = show_list(
        request,
        TransferFilters,
        FILTERS,
        lambda filters, cursor: service.list_transfers(
            session, visit.actor, filters=filters, limit=PAGE_SIZE, cursor=cursor
        ),
    )
    return _list(request, session, visit, shown)


@router.get("/transfers/new")
def new_transfer_page(request: Request, session: DbSession, visit: Clerk) -> Response:
    return _form(request, session, visit, Form({"lines": "2"}))


@router.post("/transfers/new")
def create_transfer_action(
    request: Request, session: DbSession, visit: Clerk, posted: Posted
) -> Response:
    lines = Lines.read(posted, COLUMNS)
    if posted.get("do") not in _AS:
        return _form(request, session, visit, Form(lines.grown()))
    made = attempt(session, lines.values(), lambda: _create(session, visit.actor, lines))
    return _then_open(made.result) or _form(request, session, visit, made.form)


@router.get("/transfers/{transfer_id}")
def transfer_page(
    request: Request, session: DbSession, visit: Viewer, transfer_id: str
) -> Response:
    view = service.get_transfer(session, visit.actor, transfer_id=transfer_id)
    return _document(request, visit, view, Form())


@router.get("/transfers/{transfer_id}/edit")
def edit_transfer_page(
    request: Request, session: DbSession, visit: Clerk, transfer_id: str
) -> Response:
    view = service.get_transfer(session, visit.actor, transfer_id=transfer_id)
    if view.transfer.status not in EDITABLE:
        return redirect(f"{PATH}/{transfer_id}")
    return _form(request, session, visit, Form(_as_typed(view)), transfer_id)


@router.post("/transfers/{transfer_id}/edit")
def edit_transfer_action(
    request: Request, session: DbSession, visit: Clerk, transfer_id: str, posted: Posted
) -> Response:
    lines = Lines.read(posted, COLUMNS)
    if posted.get("do") != "save":
        return _form(request, session, visit, Form(lines.grown()), transfer_id)
    saved = attempt(session, lines.values(), lambda: _edit(session, visit, transfer_id, lines))
    return _then_open(saved.result) or _form(request, session, visit, saved.form, transfer_id)


@router.post("/transfers/{transfer_id}/{action}")
def transfer_action(
    request: Request,
    session: DbSession,
    visit: Clerk,
    transfer_id: str,
    action: str,
    posted: Posted,
) -> Response:
    chosen = require(ACTIONS, action, visit.actor, TRANSFERS)
    done = attempt(session, {}, lambda: _change(session, visit.actor, chosen, transfer_id, posted))
    if not done.form.failed:
        return redirect(f"{PATH}/{transfer_id}")
    view = service.get_transfer(session, visit.actor, transfer_id=transfer_id)
    return _document(request, visit, view, done.form)


# --- the use cases, from the form's values ---------------------------------------------------


def _line(line: dict[str, str]) -> dict[str, Any]:
    """A transfer line's values from a form's line (its item's id is added to them)."""
    quantity = line.get("quantity", "")
    batch = given(batch_number=line.get("batch"))
    return given(
        quantity=quantity,
        from_bin_id=line.get("from_bin_id"),
        to_bin_id=line.get("to_bin_id"),
        batches=[batch | {"quantity": quantity}] if batch else None,
        serial_numbers=serial_numbers(line),
    )


def _header(lines: Lines) -> dict[str, str]:
    return given(**{name: lines.header.get(name) for name in HEADER})


def _bins(lines: Lines) -> dict[str, str | None]:
    """A line's bins: one of the source's, one of the destination's."""
    ends = lines.header.get("from_location_id"), lines.header.get("to_location_id")
    return {"from_bin_id": ends[0] or None, "to_bin_id": ends[1] or None}


def _create(session: Session, actor: Actor, lines: Lines) -> TransferView:
    header = _header(lines) | _AS[lines.header.get("do", "")]
    values = document_values(session, actor, NewTransfer, header, lines, _line, _bins(lines))
    return service.create_transfer(session, actor, transfer=values)


def _edit(session: Session, visit: Visit, transfer_id: str, lines: Lines) -> TransferView:
    actor = visit.actor
    header, bins = _header(lines), _bins(lines)
    content = document_values(session, actor, TransferContent, header, lines, _line, bins)
    return service.update_transfer(session, actor, transfer_id=transfer_id, content=content)


def _as_typed(view: TransferView) -> dict[str, str]:
    """A draft's values as its form shows them."""
    data = view.data
    typed = {
        "from_location_id": data["fromLocationId"],
        "to_location_id": data["toLocationId"],
        "date": str(data["date"]),
        "reference": data["reference"] or "",
        "notes": data["notes"] or "",
    }
    lines = [
        {
            "code": line["itemCode"],
            "quantity": str(line["quantityRequested"]),
            "from_bin_id": line["fromBinId"] or "",
            "to_bin_id": line["toBinId"] or "",
            "batch": ((line["batches"] or [{}])[0]).get("batchNumber") or "",
            "serials": " ".join(line["serialNumbers"] or ()),
        }
        for line in data["items"]
    ]
    return Lines(typed, lines).values(blank=1)


def _change(
    session: Session, actor: Actor, action: Action, transfer_id: str, posted: dict[str, str]
) -> TransferView:
    """The status change of an action (as the API's status route makes it)."""
    change = parse(StatusChange, given(status=action.name, notes=posted.get("notes", "").strip()))
    return service.change_transfer_status(session, actor, transfer_id=transfer_id, change=change)


# --- rendering -------------------------------------------------------------------------------


def _then_open(view: TransferView | None) -> Response | None:
    return redirect(f"{PATH}/{view.transfer.id}") if view is not None else None


def _choices(session: Session, actor: Actor) -> dict[str, Any]:
    locations = [(place.id, place.name) for place in list_locations(session, actor, active=True)]
    statuses = [(s, s.replace("_", " ")) for s in get_args(TransferStatus)]
    return {"locations": locations, "statuses": statuses}


def _list(request: Request, session: Session, visit: Visit, shown: Any) -> Response:
    template = "documents/transfers/list.html"
    choices = _choices(session, visit.actor)
    return list_page(request, template, shown, visit.actor.role, **choices)


def _form(
    request: Request, session: Session, visit: Visit, form: Form, ident: str | None = None
) -> Response:
    """The new transfer's form (``ident`` None) or a draft's."""
    template = "documents/transfers/form.html"
    choices = _choices(session, visit.actor)
    return form_page(request, template, form, HEADER, COLUMNS, ident=ident, **choices)


def _document(request: Request, visit: Visit, view: TransferView, form: Form) -> Response:
    data = view.data
    editable = ["edit"] if view.transfer.status in EDITABLE else []
    return render(
        request,
        "documents/transfers/show.html",
        form.status,
        doc=data,
        form=form,
        path=f"{PATH}/{data['id']}",
        buttons=buttons(ACTIONS, [*data["allowedStatuses"], *editable]),
    )
