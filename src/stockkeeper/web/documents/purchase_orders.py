"""Purchase orders: the list with its filters, an order's page with the moves its status
allows, and the form that creates one or replaces the lines of one not yet received. Each
page calls the use case the API's route calls (``purchasing.routes``): creating an order,
changing its lines and moving it on are an admin's; receiving is a clerk's
(``purchase_receipts``)."""

from __future__ import annotations

from typing import Any, get_args

from fastapi import Request, Response
from sqlalchemy.orm import Session

from stockkeeper.catalog.service.locations import list_locations
from stockkeeper.catalog.service.suppliers import list_suppliers
from stockkeeper.catalog.values import SupplierFilters
from stockkeeper.people.service.visits import Visit
from stockkeeper.purchasing import service
from stockkeeper.purchasing.kind import EDITABLE, PURCHASE_ORDERS
from stockkeeper.purchasing.values import NewOrder, OrderChanges, OrderFilters, OrderStatus
from stockkeeper.purchasing.views import OrderView
from stockkeeper.tenancy.service import Actor, Role
from stockkeeper.web import nav
from stockkeeper.web.auth import Admin, Clerk, DbSession, Viewer
from stockkeeper.web.documents import purchase_receipts, receiving_scans
from stockkeeper.web.documents.actions import Action, buttons, require
from stockkeeper.web.documents.lines import (
    Column,
    Lines,
    Posted,
    document_values,
    given,
    shown_beside,
)
from stockkeeper.web.documents.listing import PAGE_SIZE, show_list
from stockkeeper.web.forms import Form, attempt, parse
from stockkeeper.web.pages import page_router, redirect, render

router = page_router()
router.include_router(purchase_receipts.router)  # before the actions' catch-all path
router.include_router(receiving_scans.router)
nav.register("Purchase orders", "/purchase-orders", order=41, group="/documents")

PATH = "/purchase-orders"
FILTERS = ("status", "supplier_id", "location_id", "date_from", "date_to")
HEADER = ("supplier_id", "location_id", "order_date", "expected_date", "notes", "items")
COLUMNS = (
    Column("code", "Item code", path="item_id", hint="The item's code or barcode"),
    Column("quantity", "Quantity"),
    Column("unit_cost", "Unit cost", hint="Left blank, the item's cost price"),
    Column("tolerance_percent", "Over-receipt tolerance %", hint="Left blank, none"),
)
# the details an order's page changes (the form's names and the view's)
DETAILS = {
    "order_date": "orderDate",
    "expected_date": "expectedDate",
    "packing_slip_number": "packingSlipNumber",
    "notes": "notes",
}
SUPPLIERS_SHOWN = 200  # a form's choice of suppliers: the active ones, by name
# each as its API route allows it: an order's moves (statuses it may become) and its lines
# are an admin's; receiving part of it is a clerk's
ACTIONS = (
    Action("edit", "Change lines", link=True),
    Action("details", "Change details", link=True),
    Action("receive", "Receive goods", style="primary", link=True),
    Action("scan", "Receive by scanning", link=True),
    Action("ordered", "Mark as sent to supplier", "primary"),
    Action("received", "Receive everything open"),
    Action("closed", "Close short"),
    Action("cancelled", "Cancel order"),
    Action("delete", "Delete order", confirm=True),  # asked on a page of its own first
)


@router.get("/purchase-orders")
def purchase_orders_page(request: Request, session: DbSession, visit: Viewer) -> Response:
    shown = show_list(
        request,
        OrderFilters,
        FILTERS,
        lambda filters, cursor: service.list_orders(
            session, visit.actor, filters=filters, limit=PAGE_SIZE, cursor=cursor
        ),
    )
    return _list(request, session, visit, shown)


@router.get("/purchase-orders/new")
def new_order_page(request: Request, session: DbSession, visit: Admin) -> Response:
    return _form(request, session, visit, Form({"lines": "2"}))


@router.post("/purchase-orders/new")
def create_order_action(
    request: Request, session: DbSession, visit: Admin, posted: Posted
) -> Response:
    lines = Lines.read(posted, COLUMNS)
    if posted.get("do") == "add_line":
        return _form(request, session, visit, Form(lines.values(blank=1)))
    made = attempt(session, lines.values(), lambda: _create(session, visit.actor, lines))
    return _then_open(made.result) or _form(request, session, visit, made.form)


@router.get("/purchase-orders/{order_id}")
def order_page(request: Request, session: DbSession, visit: Viewer, order_id: str) -> Response:
    view = service.get_order(session, visit.actor, order_id=order_id)
    return _document(request, visit, view, Form())


@router.get("/purchase-orders/{order_id}/edit")
def edit_order_page(request: Request, session: DbSession, visit: Admin, order_id: str) -> Response:
    view = service.get_order(session, visit.actor, order_id=order_id)
    if view.order.status not in EDITABLE:
        return redirect(f"{PATH}/{order_id}")
    return _form(request, session, visit, Form(_as_typed(view)), view)


@router.post("/purchase-orders/{order_id}/edit")
def edit_order_action(
    request: Request, session: DbSession, visit: Admin, order_id: str, posted: Posted
) -> Response:
    view = service.get_order(session, visit.actor, order_id=order_id)
    lines = Lines.read(posted, COLUMNS)
    if posted.get("do") == "add_line":
        return _form(request, session, visit, Form(lines.values(blank=1)), view)
    saved = attempt(session, lines.values(), lambda: _edit(session, visit.actor, view, lines))
    return _then_open(saved.result) or _form(request, session, visit, saved.form, view)


@router.get("/purchase-orders/{order_id}/delete")
def delete_order_page(
    request: Request, session: DbSession, visit: Admin, order_id: str
) -> Response:
    """Asks before deleting: the form posts to the delete action."""
    view = service.get_order(session, visit.actor, order_id=order_id)
    if "delete" not in view.actions:
        return redirect(f"{PATH}/{order_id}")
    return render(request, "documents/purchase_orders/delete.html", doc=view.data)


@router.get("/purchase-orders/{order_id}/details")
def order_details_page(
    request: Request, session: DbSession, visit: Admin, order_id: str
) -> Response:
    view = service.get_order(session, visit.actor, order_id=order_id)
    data = view.data
    typed = {name: str(data[camel] or "") for name, camel in DETAILS.items()}
    return _details(request, view, Form(typed))


@router.post("/purchase-orders/{order_id}/details")
def order_details_action(
    request: Request, session: DbSession, visit: Admin, order_id: str, posted: Posted
) -> Response:
    typed = {name: posted.get(name, "").strip() for name in DETAILS}
    saved = attempt(session, typed, lambda: _change(session, visit.actor, order_id, typed))
    if saved.result is not None:
        return redirect(f"{PATH}/{order_id}")
    view = service.get_order(session, visit.actor, order_id=order_id)
    return _details(request, view, saved.form)


@router.post("/purchase-orders/{order_id}/{action}")
def order_action(
    request: Request,
    session: DbSession,
    visit: Clerk,
    order_id: str,
    action: str,
    posted: Posted,
) -> Response:
    chosen = require(ACTIONS, action, visit.actor, PURCHASE_ORDERS)
    done = attempt(session, {}, lambda: _act(request, session, visit.actor, chosen, order_id))
    if not done.form.failed:
        return redirect(PATH if chosen.name == "delete" else f"{PATH}/{order_id}")
    view = service.get_order(session, visit.actor, order_id=order_id)
    return _document(request, visit, view, done.form)


# --- the use cases, from the form's values ---------------------------------------------------


def _line(line: dict[str, str]) -> dict[str, Any]:
    """An order line's values from a form's line (its item's id is added to them)."""
    return given(
        quantity=line.get("quantity"),
        unit_cost=line.get("unit_cost"),
        tolerance_percent=line.get("tolerance_percent"),
    )


def _create(session: Session, actor: Actor, lines: Lines) -> OrderView:
    header = given(**{name: lines.header.get(name) for name in HEADER if name != "items"})
    values = document_values(session, actor, NewOrder, header, lines, _line)
    return service.create_order(session, actor, order=values)


def _edit(session: Session, actor: Actor, view: OrderView, lines: Lines) -> OrderView:
    """The order's lines replaced by the form's (read as a new order's of its supplier)."""
    header = {"supplier_id": view.order.supplier_id}
    values = document_values(session, actor, NewOrder, header, lines, _line)
    return service.replace_order_lines(session, actor, order_id=view.order.id, lines=values.items)


def _change(session: Session, actor: Actor, order_id: str, typed: dict[str, str]) -> OrderView:
    """The order's details as the form has them: a field left blank is cleared, but for the
    order's date, which every order has (blank: unchanged)."""
    values: dict[str, str | None] = {name: value or None for name, value in typed.items()}
    if not values["order_date"]:
        del values["order_date"]
    changes = parse(OrderChanges, values)
    return service.update_order(session, actor, order_id=order_id, changes=changes)


def _act(request: Request, session: Session, actor: Actor, action: Action, order_id: str) -> object:
    """The use case of a lifecycle action (as its API route calls it)."""
    if action.name == "delete":
        data_dir = request.app.state.settings.data_dir
        service.delete_order(session, actor, order_id=order_id, data_dir=data_dir)
        return None
    changes = OrderChanges.model_validate({"status": action.name})
    return service.update_order(session, actor, order_id=order_id, changes=changes)


def _as_typed(view: OrderView) -> dict[str, str]:
    """An order's lines as its form shows them."""
    typed: dict[str, str] = {}
    for n, (line, item) in enumerate(view.lines):
        typed |= {
            f"items.{n}.code": item.item_code,
            f"items.{n}.quantity": str(line.quantity),
            f"items.{n}.unit_cost": str(line.unit_cost),
            f"items.{n}.tolerance_percent": str(line.tolerance_percent),
        }
    return typed | {"lines": str(max(len(view.lines), 1))}


def _then_open(view: OrderView | None) -> Response | None:
    return None if view is None else redirect(f"{PATH}/{view.order.id}")


# --- rendering --------------------------------------------------------------------------------


def _choices(session: Session, actor: Actor) -> dict[str, Any]:
    suppliers, _, _ = list_suppliers(
        session, actor, filters=SupplierFilters(active=True), limit=SUPPLIERS_SHOWN, cursor=None
    )
    return {
        "suppliers": [(s.id, s.name) for s in suppliers],
        "locations": [(p.id, p.name) for p in list_locations(session, actor, active=True)],
        "statuses": [(s, s.replace("_", " ")) for s in get_args(OrderStatus)],
    }


def _list(request: Request, session: Session, visit: Visit, shown: Any) -> Response:
    return render(
        request,
        "documents/purchase_orders/list.html",
        shown.status,
        shown=shown,
        may_create=visit.actor.role >= Role.admin,
        **_choices(session, visit.actor),
    )


def _form(
    request: Request, session: Session, visit: Visit, form: Form, view: OrderView | None = None
) -> Response:
    """The new order's form (``view`` None) or the lines of an order not yet received, with
    a refusal beside its fields (409 or 422)."""
    shown_beside(form, HEADER, COLUMNS)
    status = form.status
    return render(
        request,
        "documents/purchase_orders/form.html",
        status,
        form=form,
        doc=view.data if view is not None else None,
        columns=COLUMNS,
        **_choices(session, visit.actor),
    )


def _details(request: Request, view: OrderView, form: Form) -> Response:
    status = form.status
    return render(
        request, "documents/purchase_orders/details.html", status, form=form, doc=view.data
    )


def _document(request: Request, visit: Visit, view: OrderView, form: Form) -> Response:
    data = view.data
    status = form.status
    return render(
        request,
        "documents/purchase_orders/show.html",
        status,
        doc=data,
        form=form,
        path=f"{PATH}/{data['id']}",
        buttons=buttons(ACTIONS, view.actions),
    )
