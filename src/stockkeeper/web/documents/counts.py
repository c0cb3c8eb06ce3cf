"""Stock counts: the list with its filters, the form that opens a count (all of a location,
some categories, bins or items; blind or not), and a count's page: its review a hundred
lines at a time (with the variances where the count reveals them), the lines to count again,
and the actions its status allows. Scanning is ``count_scans.py``. Each page calls the use
case the API's route calls (``counts.routes``)."""

from __future__ import annotations

from typing import Any, get_args

from fastapi import Request, Response
from sqlalchemy.orm import Session

from stockkeeper.catalog.service.bin_codes import NamedBin, bin_ids_of
from stockkeeper.catalog.service.categories import list_categories
from stockkeeper.catalog.service.item_codes import item_ids_of
from stockkeeper.catalog.service.locations import list_locations
from stockkeeper.counts import service
from stockkeeper.counts.kind import COUNTS
from stockkeeper.counts.service.reading import Which
from stockkeeper.counts.values import CountFilters, CountStatus, NewCount
from stockkeeper.counts.views import CountView
from stockkeeper.people.service.visits import Visit
from stockkeeper.tenancy.service import Actor
from stockkeeper.web import nav
from stockkeeper.web.auth import Clerk, DbSession, Viewer
from stockkeeper.web.documents.actions import Action, buttons, require
from stockkeeper.web.documents.lines import Posted, given
from stockkeeper.web.documents.listing import PAGE_SIZE, list_page, show_list
from stockkeeper.web.forms import Form, attempt, parse
from stockkeeper.web.item_format import FORMATS
from stockkeeper.web.listing import page_number
from stockkeeper.web.pages import page_router, redirect, render

router = page_router()
nav.register("Counts", "/counts", order=46, group="/documents")

PATH = "/counts"
FILTERS = ("status", "location_id")
REVIEW_SIZE = 100  # lines a review page shows: a count of 10,000 lines is read in pages
WHICH: dict[str, str] = {"all": "All lines", "uncounted": "Not yet counted"}
WHICH_REVEALED = WHICH | {"variances": "With a variance"}
SCOPES = (("all", "All of it"), ("categories", "Categories"), ("bins", "Bins"), ("items", "Items"))
_SCOPE_FIELDS = {"categories": "category_ids", "bins": "bin_ids", "items": "item_ids"}
# shown as the count's kind allows the reader's role (approving and posting: admins)
ACTIONS = (
    Action("submit", "Submit for review", style="primary"),
    Action("approve", "Approve", style="primary"),
    Action("post", "Post the variances", style="primary"),
    Action("cancel", "Cancel count"),
)

_USE_CASES = {
    "submit": service.submit_count,
    "approve": service.approve_count,
    "post": service.post_count,
    "cancel": service.cancel_count,
}


@router.get("/counts")
def counts_page(request: Request, session: DbSession, visit: Viewer) -> Response:
    shown = show_list(
        request,
        CountFilters,
        FILTERS,
        lambda filters, cursor: service.list_counts(
            session, visit.actor, filters=filters, limit=PAGE_SIZE, cursor=cursor
        ),
    )
    choices = _choices(session, visit.actor)
    return list_page(request, "counts/list.html", shown, visit.actor.role, **choices)


@router.get("/counts/new")
def new_count_page(request: Request, session: DbSession, visit: Clerk) -> Response:
    return _form(request, session, visit.actor, Form({"scope": "all"}))


@router.post("/counts/new")
def open_count_action(
    request: Request, session: DbSession, visit: Clerk, posted: Posted
) -> Response:
    opened = attempt(session, posted, lambda: _open(session, visit.actor, posted))
    if opened.result is not None:
        return redirect(f"{PATH}/{opened.result.count.id}")
    return _form(request, session, visit.actor, opened.form)


@router.get("/counts/{count_id}")
def count_page(request: Request, session: DbSession, visit: Viewer, count_id: str) -> Response:
    return count_review(request, session, visit, count_id, Form())


@router.post("/counts/{count_id}/recount")
def recount_action(
    request: Request, session: DbSession, visit: Clerk, count_id: str, posted: Posted
) -> Response:
    chosen = [name.removeprefix("line.") for name in posted if name.startswith("line.")]
    done = attempt(
        session,
        {},
        lambda: service.recount_lines(session, visit.actor, count_id=count_id, line_ids=chosen),
    )
    if not done.form.failed:
        return redirect(f"{PATH}/{count_id}")
    return count_review(request, session, visit, count_id, done.form)


@router.post("/counts/{count_id}/{action}")
def count_action(
    request: Request, session: DbSession, visit: Clerk, count_id: str, action: str
) -> Response:
    use_case = _USE_CASES[require(ACTIONS, action, visit.actor, COUNTS).name]
    done = attempt(session, {}, lambda: use_case(session, visit.actor, count_id=count_id))
    if not done.form.failed:
        return redirect(f"{PATH}/{count_id}")
    return count_review(request, session, visit, count_id, done.form)


# --- opening a count -------------------------------------------------------------------------


def _open(session: Session, actor: Actor, posted: dict[str, str]) -> CountView:
    """The new count's values from the form: its scope's bins and items by their codes."""
    scope = posted.get("scope", "all")
    values = given(
        location_id=posted.get("location_id"),
        reference=posted.get("reference", "").strip(),
        notes=posted.get("notes", "").strip(),
        blind=posted.get("blind") == "on",
    )
    if scope == "categories":
        chosen = [name for name in posted if name.startswith("category.")]
        values["category_ids"] = [name.removeprefix("category.") for name in chosen]
    elif scope == "bins":
        codes = posted.get("bins", "").replace(",", " ").split()
        named = [NamedBin("bin_ids", posted.get("location_id") or None, c) for c in codes]
        values["bin_ids"] = bin_ids_of(session, actor, named=named)
    elif scope == "items":
        codes = posted.get("items", "").replace(",", " ").split()
        values["item_ids"] = item_ids_of(session, actor, codes=codes, at="item_ids")
    if scope != "all" and not any(k in values for k in ("category_ids", "bin_ids", "item_ids")):
        values[_SCOPE_FIELDS.get(scope, "item_ids")] = []  # refused as empty, beside its input
    return service.open_count(session, actor, count=parse(NewCount, values))


def _form(request: Request, session: Session, actor: Actor, form: Form) -> Response:
    categories = [(view.category.id, view.path) for view in list_categories(session, actor)]
    return render(
        request,
        "counts/form.html",
        form.status,
        form=form,
        scopes=SCOPES,
        categories=categories,
        **_choices(session, actor),
    )


def _choices(session: Session, actor: Actor) -> dict[str, Any]:
    locations = [(place.id, place.name) for place in list_locations(session, actor, active=True)]
    return {
        "locations": locations,
        "statuses": [(s, s) for s in get_args(CountStatus)],
    }


# --- a count's page --------------------------------------------------------------------------


def review_which(request: Request) -> tuple[Which, int]:
    """The lines the page's query asks for (unknown values: all of them) and the page (from 1)."""
    which = request.query_params.get("which", "all")
    page = request.query_params.get("page", "1")
    number = page_number(page, 100_000)
    return (which if which in WHICH_REVEALED else "all"), number  # type: ignore[return-value]


def count_review(
    request: Request,
    session: Session,
    visit: Visit,
    count_id: str,
    form: Form,
    scan_form: Form | None = None,
    scanned: Any = None,
) -> Response:
    """The count's page: its facts, its actions, the scan field while it is counted, and a
    page of its lines (the lines alone with ``?fragment=lines``); ``form`` a refusal of an
    action; ``scan_form`` and ``scanned`` the last scan and its answer (its refusal makes the
    page's status)."""
    which, number = review_which(request)
    review = service.review_count(
        session,
        visit.actor,
        count_id=count_id,
        which=which,
        offset=(number - 1) * REVIEW_SIZE,
        limit=REVIEW_SIZE,
    )
    data = review.view.data
    moves = COUNTS.allowed(data["status"], visit.actor.role)
    scan_form = scan_form or Form()
    # the lines alone: what scan.js asks for after each scan
    alone = request.query_params.get("fragment") == "lines"
    return render(
        request,
        "counts/_lines.html" if alone else "counts/show.html",
        form.status if form.failed else scan_form.status,
        form=form,
        doc=data,
        review=review,
        which=which,
        page=number,
        pages=max(1, -(-review.total // REVIEW_SIZE)),
        choices=WHICH_REVEALED if review.view.reveal else WHICH,
        path=f"{PATH}/{data['id']}",
        buttons=buttons(ACTIONS, moves),
        may_count="count" in moves,
        may_recount="recount" in moves,
        scan_form=scan_form,
        scanned=scanned,
        **FORMATS,
    )
