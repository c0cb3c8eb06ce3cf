"""Reservations: the list with its filters, a reservation's page with what its status
allows (fulfil all or part of it, release it), and the form that reserves stock of an item
named by its code. Each page calls the use case the API's route calls
(``stock.routes.reservations``)."""

from __future__ import annotations

from typing import Any, get_args

from fastapi import Request, Response
from sqlalchemy.orm import Session

from stockkeeper.catalog.service.item_codes import item_ids_of
from stockkeeper.catalog.service.locations import list_locations
from stockkeeper.people.service.visits import Visit
from stockkeeper.stock.service import reservations as service
from stockkeeper.stock.values import (
    Fulfilment,
    NewReservation,
    ReservationFilters,
    ReservationStatus,
)
from stockkeeper.stock.views.reservations import ReservationView
from stockkeeper.tenancy.service import Actor
from stockkeeper.web import nav
from stockkeeper.web.auth import Clerk, DbSession, Viewer
from stockkeeper.web.documents.actions import Action, buttons, require
from stockkeeper.web.documents.lines import Posted, given
from stockkeeper.web.documents.listing import PAGE_SIZE, Shown, list_page, show_list
from stockkeeper.web.forms import Form, attempt, parse
from stockkeeper.web.pages import page_router, redirect, render

router = page_router()
nav.register("Reservations", "/reservations", order=44, group="/documents")

PATH = "/reservations"
FILTERS = ("status", "location_id", "reference")
FIELDS = ("location_id", "quantity", "serial_number", "reference", "expires_at", "notes")
FULFILMENT = ("quantity", "bin_id", "reference", "date")
# each as its API route allows it (a clerk's); fulfilling is a form of its own on the page
ACTIONS = (Action("fulfil", "Fulfil", style="primary"), Action("release", "Release"))


@router.get("/reservations")
def reservations_page(request: Request, session: DbSession, visit: Viewer) -> Response:
    shown = show_list(
        request,
        ReservationFilters,
        FILTERS,
        lambda filters, cursor: service.list_reservations(
            session, visit.actor, filters=filters, limit=PAGE_SIZE, cursor=cursor
        ),
    )
    return _list(request, session, visit, shown)


@router.get("/reservations/new")
def new_reservation_page(request: Request, session: DbSession, visit: Clerk) -> Response:
    return _form(request, session, visit, Form())


@router.post("/reservations/new")
def create_reservation_action(
    request: Request, session: DbSession, visit: Clerk, posted: Posted
) -> Response:
    made = attempt(session, posted, lambda: _create(session, visit.actor, posted))
    if made.result is not None:
        return redirect(f"{PATH}/{made.result.reservation.id}")
    return _form(request, session, visit, made.form)


@router.get("/reservations/{reservation_id}")
def reservation_page(
    request: Request, session: DbSession, visit: Viewer, reservation_id: str
) -> Response:
    view = service.get_reservation(session, visit.actor, reservation_id=reservation_id)
    return _document(request, view, Form())


@router.post("/reservations/{reservation_id}/{action}")
def reservation_action(
    request: Request,
    session: DbSession,
    visit: Clerk,
    reservation_id: str,
    action: str,
    posted: Posted,
) -> Response:
    chosen = require(ACTIONS, action, visit.actor, None)
    done = attempt(
        session, posted, lambda: _act(session, visit.actor, chosen, reservation_id, posted)
    )
    if not done.form.failed:
        return redirect(f"{PATH}/{reservation_id}")
    view = service.get_reservation(session, visit.actor, reservation_id=reservation_id)
    return _document(request, view, done.form)


def _create(session: Session, actor: Actor, typed: dict[str, str]) -> ReservationView:
    """The reservation of the item the code names (an unknown code refused beside it)."""
    item_id = item_ids_of(session, actor, codes=[typed.get("code", "").strip()], at="code")[0]
    values = given(**{name: typed.get(name, "").strip() for name in FIELDS})
    wanted = parse(NewReservation, values | {"item_id": item_id})
    return service.create_reservation(session, actor, reservation=wanted)


def _act(
    session: Session, actor: Actor, action: Action, reservation_id: str, typed: dict[str, str]
) -> ReservationView:
    """The use case of a lifecycle action (as its API route calls it)."""
    if action.name == "release":
        return service.release_reservation(session, actor, reservation_id=reservation_id)
    values = given(**{name: typed.get(name, "").strip() for name in FULFILMENT})
    serials = typed.get("serials", "").replace(",", " ").split()
    fulfilment = parse(Fulfilment, values | given(serial_numbers=serials))
    return service.fulfil_reservation(
        session, actor, reservation_id=reservation_id, fulfilment=fulfilment
    )


def _locations(session: Session, actor: Actor) -> list[tuple[str, str]]:
    return [(place.id, place.name) for place in list_locations(session, actor, active=True)]


def _list(request: Request, session: Session, visit: Visit, shown: Shown[Any]) -> Response:
    return list_page(
        request,
        "documents/reservations/list.html",
        shown,
        visit.actor.role,
        locations=_locations(session, visit.actor),
        statuses=[(s, s) for s in get_args(ReservationStatus)],
    )


def _form(request: Request, session: Session, visit: Visit, form: Form) -> Response:
    status = form.status
    return render(
        request,
        "documents/reservations/form.html",
        status,
        form=form,
        locations=_locations(session, visit.actor),
    )


def _document(request: Request, view: ReservationView, form: Form) -> Response:
    data = view.data
    shown = {"quantity", "bin_id", "reference", "date", "serial_numbers"}
    for path in [p for p in form.errors if p not in shown]:
        form.general.extend(form.errors.pop(path))
    status = form.status
    return render(
        request,
        "documents/reservations/show.html",
        status,
        doc=data,
        form=form,
        path=f"{PATH}/{data['id']}",
        buttons=buttons(ACTIONS, data["allowedActions"]),
    )
