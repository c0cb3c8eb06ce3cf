"""Customer returns: the list, a return's page, and the form that takes goods back, posted
at once; opened from an issue (``?issue_id=``), it is filled in with the issue's lines and
the service takes back no more than went out on it. Each page calls the use case the API's
route calls (``sales.routes``); the lines and templates are the issues' (``issues``)."""

from __future__ import annotations

from fastapi import Request, Response
from sqlalchemy.orm import Session

from stockkeeper.sales import service
from stockkeeper.sales.values import NewReturn, SalesFilters
from stockkeeper.sales.views import DocumentView
from stockkeeper.tenancy.service import Actor
from stockkeeper.web import nav
from stockkeeper.web.auth import Clerk, DbSession, Viewer
from stockkeeper.web.documents.issues import (
    COLUMNS,
    FILTERS,
    SalesKind,
    header_values,
    line_values,
    show_document,
    show_documents,
    show_form,
)
from stockkeeper.web.documents.lines import Lines, Posted, document_values
from stockkeeper.web.documents.listing import PAGE_SIZE, show_list
from stockkeeper.web.forms import Form, attempt
from stockkeeper.web.pages import page_router, redirect

router = page_router()
nav.register("Returns", "/returns", order=43, group="/documents")

RETURN = SalesKind("/returns", "Customer returns", "return", "Take goods back")


@router.get("/returns")
def returns_page(request: Request, session: DbSession, visit: Viewer) -> Response:
    shown = show_list(
        request,
        SalesFilters,
        (*FILTERS, "issue_id"),
        lambda filters, cursor: service.list_returns(
            session, visit.actor, filters=filters, limit=PAGE_SIZE, cursor=cursor
        ),
    )
    return show_documents(request, session, visit, RETURN, shown)


@router.get("/returns/new")
def new_return_page(
    request: Request, session: DbSession, visit: Clerk, issue_id: str = ""
) -> Response:
    if not issue_id:
        return show_form(request, session, visit, RETURN, Form({"lines": "2"}))
    issue = service.get_issue(session, visit.actor, issue_id=issue_id)
    return show_form(request, session, visit, RETURN, Form(_against(issue)))


@router.post("/returns/new")
def create_return_action(
    request: Request, session: DbSession, visit: Clerk, posted: Posted
) -> Response:
    lines = Lines.read(posted, COLUMNS)
    if posted.get("do") == "add_line":
        return show_form(request, session, visit, RETURN, Form(lines.values(blank=1)))
    made = attempt(session, lines.values(), lambda: _create(session, visit.actor, lines))
    if made.result is not None:
        return redirect(f"/returns/{made.result.document.id}")
    return show_form(request, session, visit, RETURN, made.form)


@router.get("/returns/{return_id}")
def return_page(request: Request, session: DbSession, visit: Viewer, return_id: str) -> Response:
    view = service.get_return(session, visit.actor, return_id=return_id)
    return show_document(request, visit, RETURN, view)


def _create(session: Session, actor: Actor, lines: Lines) -> DocumentView:
    header = header_values(lines)
    if lines.header.get("issue_id"):
        header["issue_id"] = lines.header["issue_id"]
    values = document_values(session, actor, NewReturn, header, lines, line_values)
    return service.create_return(session, actor, customer_return=values)


def _against(issue: DocumentView) -> dict[str, str]:
    """A return's form filled in from the issue it is against: its location, customer,
    reference and lines (each as it went out)."""
    data = issue.data
    typed = {
        "issue_id": data["id"],
        "location_id": data["locationId"],
        "customer": data["customer"] or "",
        "reference": data["reference"] or "",
        "lines": str(len(data["items"])),
    }
    for n, line in enumerate(data["items"]):
        typed |= {f"items.{n}.code": line["itemCode"], f"items.{n}.quantity": str(line["quantity"])}
    return typed
