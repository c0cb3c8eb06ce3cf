"""Sales issues: the list with its filters, an issue's page (with a link to take goods back
against it), and the form that issues goods to a customer, posted at once. Each page calls
the use case the API's route calls (``sales.routes``). Customer returns (``returns``) share
this module's lines and the templates of ``documents/sales/``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fastapi import Request, Response
from sqlalchemy.orm import Session

from stockkeeper.catalog.service.locations import list_locations
from stockkeeper.people.service.visits import Visit
from stockkeeper.sales import service
from stockkeeper.sales.values import NewIssue, SalesFilters
from stockkeeper.sales.views import DocumentView
from stockkeeper.tenancy.service import Actor, Role
from stockkeeper.web import nav
from stockkeeper.web.auth import Clerk, DbSession, Viewer
from stockkeeper.web.documents.lines import (
    Column,
    Lines,
    Posted,
    document_values,
    given,
    shown_beside,
)
from stockkeeper.web.documents.listing import PAGE_SIZE, Shown, show_list
from stockkeeper.web.forms import Form, attempt
from stockkeeper.web.pages import page_router, redirect, render

router = page_router()
nav.register("Issues", "/issues", order=42, group="/documents")


@dataclass(frozen=True)
class SalesKind:
    """What the screens of issues and of returns say differently."""

    path: str
    title: str  # of the list
    noun: str  # of one document
    create: str  # the create button's label


ISSUE = SalesKind("/issues", "Issues", "issue", "Issue goods")
FILTERS = ("location_id", "reference", "date_from", "date_to")
HEADER = ("location_id", "date", "reference", "customer", "notes", "items")
COLUMNS = (
    Column("code", "Item code", path="item_id", hint="The item's code or barcode"),
    Column("quantity", "Quantity"),
    Column("bin_id", "Bin", hint="For stock kept in bins: the bin's id"),
    Column(
        "batch",
        "Batch",
        path="batches",
        hint="For batch-tracked items: the batch's number",
        also=("batches.0.batch_number", "batches.0.quantity"),
    ),
    Column(
        "serials",
        "Serial numbers",
        path="serial_numbers",
        hint="For serial-tracked items, separated by spaces",
    ),
)


@router.get("/issues")
def issues_page(request: Request, session: DbSession, visit: Viewer) -> Response:
    shown = show_list(
        request,
        SalesFilters,
        FILTERS,
        lambda filters, cursor: service.list_issues(
            session, visit.actor, filters=filters, limit=PAGE_SIZE, cursor=cursor
        ),
    )
    return show_documents(request, session, visit, ISSUE, shown)


@router.get("/issues/new")
def new_issue_page(request: Request, session: DbSession, visit: Clerk) -> Response:
    return show_form(request, session, visit, ISSUE, Form({"lines": "2"}))


@router.post("/issues/new")
def create_issue_action(
    request: Request, session: DbSession, visit: Clerk, posted: Posted
) -> Response:
    lines = Lines.read(posted, COLUMNS)
    if posted.get("do") == "add_line":
        return show_form(request, session, visit, ISSUE, Form(lines.values(blank=1)))
    made = attempt(session, lines.values(), lambda: _create(session, visit.actor, lines))
    if made.result is not None:
        return redirect(f"/issues/{made.result.document.id}")
    return show_form(request, session, visit, ISSUE, made.form)


@router.get("/issues/{issue_id}")
def issue_page(request: Request, session: DbSession, visit: Viewer, issue_id: str) -> Response:
    view = service.get_issue(session, visit.actor, issue_id=issue_id)
    return show_document(request, visit, ISSUE, view)


def _create(session: Session, actor: Actor, lines: Lines) -> DocumentView:
    values = document_values(session, actor, NewIssue, header_values(lines), lines, line_values)
    return service.create_issue(session, actor, issue=values)


# --- what issues and returns share --------------------------------------------------------------


def header_values(lines: Lines) -> dict[str, str]:
    return given(**{name: lines.header.get(name) for name in HEADER if name != "items"})


def line_values(line: dict[str, str]) -> dict[str, Any]:
    """A sales line's values from a form's line (its item's id is added to them)."""
    quantity = line.get("quantity", "")
    batch = line.get("batch")
    return given(
        quantity=quantity,
        bin_id=line.get("bin_id"),
        batches=[{"batch_number": batch, "quantity": quantity}] if batch else None,
        serial_numbers=line.get("serials", "").replace(",", " ").split(),
    )


def _locations(session: Session, actor: Actor) -> list[tuple[str, str]]:
    return [(place.id, place.name) for place in list_locations(session, actor, active=True)]


def show_documents(
    request: Request, session: Session, visit: Visit, kind: SalesKind, shown: Shown[Any]
) -> Response:
    return render(
        request,
        "documents/sales/list.html",
        shown.status,
        shown=shown,
        kind=kind,
        may_create=visit.actor.role >= Role.clerk,
        locations=_locations(session, visit.actor),
    )


def show_form(
    request: Request, session: Session, visit: Visit, kind: SalesKind, form: Form
) -> Response:
    """The new document's form, with a refusal beside its fields (409 or 422)."""
    shown_beside(form, (*HEADER, "issue_id"), COLUMNS)
    status = form.status
    return render(
        request,
        "documents/sales/form.html",
        status,
        form=form,
        kind=kind,
        columns=COLUMNS,
        locations=_locations(session, visit.actor),
    )


def show_document(request: Request, visit: Visit, kind: SalesKind, view: DocumentView) -> Response:
    return render(
        request,
        "documents/sales/show.html",
        doc=view.data,
        kind=kind,
        may_return=kind is ISSUE and visit.actor.role >= Role.clerk,
    )
