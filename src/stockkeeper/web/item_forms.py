"""Creating and changing an item, for admins (as the API has it): the fields people change
most, each refusal of the values or of the service shown beside its field, and nothing made
or changed by a refused form."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any

from fastapi import Depends, Request, Response
from sqlalchemy.orm import Session

from stockkeeper.catalog.values import ItemChanges, NewItem
from stockkeeper.people.service.visits import Visit
from stockkeeper.stock.service.item_screens import ItemChoices, item_choices
from stockkeeper.stock.service.items import create_item, update_item
from stockkeeper.stock.views.items import ItemView
from stockkeeper.web.auth import Admin, DbSession
from stockkeeper.web.forms import Form, Typed, attempt, parse
from stockkeeper.web.item_format import quantity
from stockkeeper.web.items import TYPES
from stockkeeper.web.pages import page_router, redirect, render

router = page_router()

# the form's fields that the values nest (as the Item Object does)
_GROUPS = {
    "cost_price": "pricing",
    "selling_price": "pricing",
    "minimum_stock": "inventory",
    "reorder_point": "inventory",
    "reorder_quantity": "inventory",
    "maximum_stock": "inventory",
}


def item_fields(  # one parameter a field of the form, as FastAPI reads them
    item_code: Typed = "",
    name: Typed = "",
    type: Typed = "",
    unit: Typed = "",
    category_id: Typed = "",
    barcode: Typed = "",
    cost_price: Typed = "",
    selling_price: Typed = "",
    minimum_stock: Typed = "",
    reorder_point: Typed = "",
    reorder_quantity: Typed = "",
    maximum_stock: Typed = "",
    description: Typed = "",
    is_active: Typed = "",
) -> dict[str, str]:
    """The item form's fields as typed."""
    return dict(locals())


Fields = Annotated[dict[str, str], Depends(item_fields)]


def item_values(fields: dict[str, str], *, new: bool) -> dict[str, Any]:
    """The values of a new item or of an item's changes, from the form's fields. A blank
    field is left out of a new item and clears an item's own (a blank code, name, type or
    unit is sent as typed, for the values to refuse beside it)."""
    required = ("item_code", "name", "type") + (() if new else ("unit",))
    values: dict[str, Any] = {"is_active": fields.get("is_active") == "on"}
    for name, typed in fields.items():
        text = typed.strip() if name in _GROUPS else typed
        blank = not text.strip()
        if name == "is_active" or (new and blank and name not in required):
            continue
        group = _GROUPS.get(name)
        (values.setdefault(group, {}) if group else values)[name] = (
            None if blank and name not in required else text
        )
    return values


def typed_from(view: ItemView) -> dict[str, str]:
    """An item's fields as its form shows them."""
    item = view.item
    shown = {name: getattr(item, name) for name in item_fields.__annotations__ if name != "return"}
    fields = {
        name: quantity(value) if isinstance(value, Decimal) else (value or "")
        for name, value in shown.items()
    }
    return fields | {"is_active": "on" if item.is_active else ""}


@router.get("/items/new")
def new_item_page(request: Request, session: DbSession, visit: Admin) -> Response:
    choices = item_choices(session, visit.actor)
    return _form(request, choices, Form({"type": "inventory", "is_active": "on"}))


@router.post("/items/new")
def create_item_action(
    request: Request, session: DbSession, visit: Admin, fields: Fields
) -> Response:
    values = item_values(fields, new=True)
    made = attempt(
        session, fields, lambda: create_item(session, visit.actor, item=parse(NewItem, values))
    )
    if made.result is not None:
        return redirect(f"/items/{made.result.item.id}")
    return _form(request, item_choices(session, visit.actor), made.form)


@router.get("/items/{item_id}/edit")
def edit_item_page(request: Request, session: DbSession, visit: Admin, item_id: str) -> Response:
    choices = item_choices(session, visit.actor, item_id=item_id)
    assert choices.view is not None, "an item id gives its item"
    return _form(request, choices, Form(typed_from(choices.view)))


@router.post("/items/{item_id}/edit")
def update_item_action(
    request: Request, session: DbSession, visit: Admin, item_id: str, fields: Fields
) -> Response:
    changes = item_values(fields, new=False)
    changed = attempt(session, fields, lambda: _update(session, visit, item_id, changes))
    if changed.result is not None:
        return redirect(f"/items/{item_id}")
    return _form(request, item_choices(session, visit.actor, item_id=item_id), changed.form)


def _update(session: Session, visit: Visit, item_id: str, changes: dict[str, Any]) -> ItemView:
    return update_item(session, visit.actor, item_id=item_id, changes=parse(ItemChanges, changes))


def _form(request: Request, choices: ItemChoices, form: Form) -> Response:
    """The form, with a refusal (422 for the fields, 409 otherwise) when there is one."""
    status = form.status
    return render(request, "items/form.html", status, choices=choices, form=form, types=TYPES)
