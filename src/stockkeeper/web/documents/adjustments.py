"""Adjustments: the list with its filters, an adjustment's page with the actions its status
allows, and the form that creates one (posted at once, or kept as a draft) or edits a draft.
Each page calls the use case the API's route calls (``adjustments.routes``)."""

from __future__ import annotations

from typing import Any, get_args

from fastapi import Request, Response
from sqlalchemy.orm import Session

from stockkeeper.adjustments import service
from stockkeeper.adjustments.kind import ADJUSTMENTS
from stockkeeper.adjustments.values import (
    AdjustmentContent,
    AdjustmentFilters,
    AdjustmentStatus,
    NewAdjustment,
)
from stockkeeper.adjustments.views import AdjustmentView
from stockkeeper.catalog.service.locations import list_locations
from stockkeeper.catalog.service.reasons import list_reasons
from stockkeeper.people.service.visits import Visit
from stockkeeper.tenancy.service import Actor
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
from stockkeeper.web.forms import Form, attempt
from stockkeeper.web.pages import page_router, redirect, render

router = page_router()
nav.register("Adjustments", "/adjustments", order=40, group="/documents")

PATH = "/adjustments"
FILTERS = ("status", "location_id", "date_from", "date_to")
HEADER = ("location_id", "reason", "date", "reference", "notes")
COLUMNS = (
    ITEM_CODE,
    Column(
        "quantity",
        "Quantity",
        path="adjustment_quantity",
        hint="Positive adds stock, negative removes it",
        also=("bins",),
    ),
    Column("unit_cost", "Unit cost", hint="Of stock added; left blank, the average cost"),
    Column("bin_id", "Bin", hint="For stock kept in bins: the bin's code"),
    Column(
        "batch",
        "Batch",
        path="batches",
        hint="For batch-tracked items",
        also=("batches.0.batch_number", "batches.0.quantity"),
    ),
    Column("expiry", "Batch expiry", type="date", path="batches.0.expiry_date"),
    SERIALS,
)
# the buttons of the moves the adjustment's view allows its reader (roles: ``ADJUSTMENTS``)
ACTIONS = (
    Action("edit", "Edit", link=True),
    Action("post", "Post", style="primary"),
    Action("submit", "Submit for approval"),
    Action("approve", "Approve", "primary"),
    Action("reject", "Reject", asks=("reason", "Reason for rejecting")),
    Action("reverse", "Reverse"),
    Action("delete", "Delete draft"),
)


@router.get("/adjustments")
def adjustments_page(request: Request, session: DbSession, visit: Viewer) -> Response:
    shown = show_list(
        request,
        AdjustmentFilters,
        FILTERS,
        lambda filters, cursor: service.list_adjustments(
            session, visit.actor, filters=filters, limit=PAGE_SIZE, cursor=cursor
        ),
    )
    return _list(request, session, visit, shown)


@router.get("/adjustments/new")
def new_adjustment_page(request: Request, session: DbSession, visit: Clerk) -> Response:
    return _form(request, session, visit, Form({"lines": "2"}))


@router.post("/adjustments/new")
def create_adjustment_action(
    request: Request, session: DbSession, visit: Clerk, posted: Posted
) -> Response:
    lines = Lines.read(posted, COLUMNS)
    if posted.get("do") == "add_line":
        return _form(request, session, visit, Form(lines.grown()))
    status = "draft" if posted.get("do") == "draft" else "posted"
    made = attempt(session, lines.values(), lambda: _create(session, visit.actor, lines, status))
    return _then_open(made.result) or _form(request, session, visit, made.form)


@router.get("/adjustments/{adjustment_id}")
def adjustment_page(
    request: Request, session: DbSession, visit: Viewer, adjustment_id: str
) -> Response:
    view = service.get_adjustment(session, visit.actor, adjustment_id=adjustment_id)
    return _document(request, visit, view, Form())


@router.get("/adjustments/{adjustment_id}/edit")
def edit_adjustment_page(
    request: Request, session: DbSession, visit: Clerk, adjustment_id: str
) -> Response:
    view = service.get_adjustment(session, visit.actor, adjustment_id=adjustment_id)
    if "edit" not in view.data["allowedActions"]:
        return redirect(f"{PATH}/{adjustment_id}")
    return _form(request, session, visit, Form(_as_typed(view)), adjustment_id)


@router.post("/adjustments/{adjustment_id}/edit")
def edit_adjustment_action(
    request: Request, session: DbSession, visit: Clerk, adjustment_id: str, posted: Posted
) -> Response:
    lines = Lines.read(posted, COLUMNS)
    if posted.get("do") == "add_line":
        return _form(request, session, visit, Form(lines.grown()), adjustment_id)
    saved = attempt(session, lines.values(), lambda: _edit(session, visit, adjustment_id, lines))
    return _then_open(saved.result) or _form(request, session, visit, saved.form, adjustment_id)


@router.post("/adjustments/{adjustment_id}/{action}")
def adjustment_action(
    request: Request,
    session: DbSession,
    visit: Clerk,
    adjustment_id: str,
    action: str,
    posted: Posted,
) -> Response:
    chosen = require(ACTIONS, action, visit.actor, ADJUSTMENTS)
    done = attempt(session, {}, lambda: _act(session, visit.actor, chosen, adjustment_id, posted))
    if not done.form.failed:
        return redirect(PATH if chosen.name == "delete" else f"{PATH}/{adjustment_id}")
    view = service.get_adjustment(session, visit.actor, adjustment_id=adjustment_id)
    return _document(request, visit, view, done.form)


# --- the use cases, from the form's values ---------------------------------------------------


def _line(line: dict[str, str]) -> dict[str, Any]:
    """An adjustment line's values from a form's line (its item's id is added to them)."""
    quantity = line.get("quantity", "")
    batch = given(batch_number=line.get("batch"), expiry_date=line.get("expiry"))
    return given(
        adjustment_quantity=quantity,
        unit_cost=line.get("unit_cost"),
        bin_id=line.get("bin_id"),
        batches=[batch | {"quantity": quantity.lstrip("-")}] if batch else None,
        serial_numbers=serial_numbers(line),
    )


def _header(lines: Lines) -> dict[str, str]:
    return given(**{name: lines.header.get(name) for name in HEADER})


def _bins(lines: Lines) -> dict[str, str | None]:
    """A line's bin is one of the adjustment's location (the default warehouse's unless named)."""
    return {"bin_id": lines.header.get("location_id") or None}


def _create(session: Session, actor: Actor, lines: Lines, status: str) -> AdjustmentView:
    header = _header(lines) | {"status": status}
    bins = _bins(lines)
    values = document_values(session, actor, NewAdjustment, header, lines, _line, bins)
    return service.create_adjustment(session, actor, adjustment=values)


def _edit(session: Session, visit: Visit, adjustment_id: str, lines: Lines) -> AdjustmentView:
    actor = visit.actor
    header, bins = _header(lines), _bins(lines)
    content = document_values(session, actor, AdjustmentContent, header, lines, _line, bins)
    return service.update_adjustment(session, actor, adjustment_id=adjustment_id, content=content)


def _act(
    session: Session, actor: Actor, action: Action, adjustment_id: str, posted: dict[str, str]
) -> object:
    """The use case of a lifecycle action (as its API route calls it)."""
    if action.name == "reject":
        reason = posted.get("reason", "").strip() or None
        return service.reject_adjustment(session, actor, adjustment_id=adjustment_id, reason=reason)
    use_case = {
        "post": service.post_adjustment,
        "submit": service.submit_adjustment,
        "approve": service.approve_adjustment,
        "reverse": service.reverse_adjustment,
        "delete": service.delete_adjustment,
    }[action.name]
    return use_case(session, actor, adjustment_id=adjustment_id)


def _as_typed(view: AdjustmentView) -> dict[str, str]:
    """A draft's values as its form shows them."""
    data = view.data
    typed = {
        "location_id": data["locationId"],
        "reason": data["reason"],
        "date": str(data["date"]),
        "reference": data["reference"] or "",
        "notes": data["notes"] or "",
    }
    lines = []
    for line in data["items"]:
        batch = (line["batches"] or [{}])[0]
        lines.append(
            {
                "code": line["itemCode"],
                "quantity": str(line["adjustmentQuantity"]),
                "unit_cost": "" if line["unitCost"] is None else str(line["unitCost"]),
                "bin_id": view.bins[line["binId"]].code if line["binId"] else "",
                "batch": batch.get("batchNumber") or "",
                "expiry": str(batch.get("expiryDate") or ""),
                "serials": " ".join(line["serialNumbers"] or ()),
            }
        )
    return Lines(typed, lines).values(blank=1)


# --- rendering -------------------------------------------------------------------------------


def _then_open(view: AdjustmentView | None) -> Response | None:
    return redirect(f"{PATH}/{view.adjustment.id}") if view is not None else None


def _choices(session: Session, actor: Actor) -> dict[str, Any]:
    locations = [(place.id, place.name) for place in list_locations(session, actor, active=True)]
    return {
        "locations": locations,
        "reasons": [(r.code, r.name) for r in list_reasons(session, actor) if r.is_active],
        "statuses": [(s, s.replace("_", " ")) for s in get_args(AdjustmentStatus)],
    }


def _list(request: Request, session: Session, visit: Visit, shown: Any) -> Response:
    template = "documents/adjustments/list.html"
    choices = _choices(session, visit.actor)
    return list_page(request, template, shown, visit.actor.role, **choices)


def _form(
    request: Request, session: Session, visit: Visit, form: Form, ident: str | None = None
) -> Response:
    """The new adjustment's form (``ident`` None) or a draft's."""
    template = "documents/adjustments/form.html"
    choices = _choices(session, visit.actor)
    return form_page(request, template, form, HEADER, COLUMNS, ident=ident, **choices)


def _document(request: Request, visit: Visit, view: AdjustmentView, form: Form) -> Response:
    data = view.data
    return render(
        request,
        "documents/adjustments/show.html",
        form.status,
        doc=data,
        form=form,
        path=f"{PATH}/{data['id']}",
        buttons=buttons(ACTIONS, data["allowedActions"]),
        bin_codes={ident: shelf.code for ident, shelf in view.bins.items()},
    )
