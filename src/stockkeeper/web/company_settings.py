"""The company's settings, for admins: its name, currency, time zone, costing method, default
warehouse, whether stock may go negative, the lock date and the documents' numbering; a
refusal is shown beside the field it names."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Request, Response
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from stockkeeper.catalog.service.locations import list_locations
from stockkeeper.catalog.service.settings import get_settings, update_settings
from stockkeeper.catalog.values import SettingsChanges
from stockkeeper.catalog.views import CompanySettings
from stockkeeper.tenancy.service import COSTING_METHODS, Actor, Role
from stockkeeper.web import nav
from stockkeeper.web.auth import Admin, DbSession
from stockkeeper.web.forms import Form, attempt, parse
from stockkeeper.web.pages import page_router, redirect, render

router = page_router()
nav.register("Settings", "/settings", order=80, needs=Role.admin)

TEXTS = ("name", "currency", "timezone", "default_costing_method", "default_warehouse_id")
SWITCHES = ("allow_negative_stock", "purchase_orders_enabled")
COSTING_LABELS = {
    "fifo": "FIFO: first in, first out",
    "lifo": "LIFO: last in, first out",
    "average": "Moving average",
    "standard": "Standard cost",
}
# what each sequence numbers, for the form's labels
NUMBERED = {
    "adjustment": "Adjustments",
    "transfer": "Transfers",
    "sales_issue": "Sales issues",
    "sales_return": "Sales returns",
    "purchase_order": "Purchase orders",
    "supplier": "Suppliers",
    "item": "Items' article numbers",
}
# the defaults of the books: an account of the chart or a tax rate, each by its id or code
ACCOUNTS = {
    "inventory_account_id": "Inventory",
    "cogs_account_id": "Cost of sales",
    "sales_account_id": "Sales",
    "grni_account_id": "Goods received not invoiced",
    "adjustments_account_id": "Stock adjustments",
    "price_variance_account_id": "Purchase price variance",
    "transit_account_id": "Stock in transit",
}
TAX_RATES = {"sales_tax_code": "Sales tax", "purchase_tax_code": "Purchase tax"}
# the settings sent as a group, each field of a group named ``group.field`` in the form
GROUPS = {
    "numbering_formats": NUMBERED,
    "default_accounts": ACCOUNTS,
    "default_tax_rates": TAX_RATES,
}
GROUPED = tuple(f"{group}.{name}" for group, fields in GROUPS.items() for name in fields)


async def _sent(request: Request) -> FormData:
    return await request.form()


Sent = Annotated[FormData, Depends(_sent)]


@router.get("/settings")
def settings_page(request: Request, session: DbSession, visit: Admin, saved: str = "") -> Response:
    shown = _typed(get_settings(session, visit.actor))
    return _page(request, session, visit.actor, Form(shown), shown, saved=bool(saved))


@router.post("/settings")
def change_settings_action(
    request: Request, session: DbSession, visit: Admin, sent: Sent
) -> Response:
    typed, shown = _as_typed(sent), _as_shown(sent)
    changes = _changes(typed, shown)
    done = attempt(session, typed, lambda: _update(session, visit.actor, changes))
    if done.form.failed:
        return _page(request, session, visit.actor, done.form, shown)
    return redirect("/settings?saved=1")


def _update(session: Session, actor: Actor, changes: dict[str, Any]) -> CompanySettings:
    return update_settings(session, actor, changes=parse(SettingsChanges, changes))


def _typed(settings: CompanySettings) -> dict[str, str]:
    """The settings as the form shows them."""
    typed = {name: str(getattr(settings, name) or "") for name in TEXTS}
    typed |= {name: "true" if getattr(settings, name) else "" for name in SWITCHES}
    typed["lock_date"] = settings.lock_date.isoformat() if settings.lock_date else ""
    numbering = settings.numbering_formats
    typed |= {f"numbering_formats.{name}": numbering[name] for name in NUMBERED}
    for group in ("default_accounts", "default_tax_rates"):
        typed |= {f"{group}.{n}": getattr(settings.defaults, n) or "" for n in GROUPS[group]}
    return typed


FIELDS = (*TEXTS, "lock_date", *GROUPED)


def _as_typed(sent: FormData) -> dict[str, str]:
    """The form's values as typed (a switch left off is not sent)."""
    typed = {name: str(sent.get(name, "")).strip() for name in FIELDS}
    return typed | {name: "true" if sent.get(name) else "" for name in SWITCHES}


def _as_shown(sent: FormData) -> dict[str, str]:
    """The values the page was shown with, sent back in its hidden ``shown.`` fields."""
    names = (*FIELDS, *SWITCHES)
    return {n: str(sent[f"shown.{n}"]) for n in names if isinstance(sent.get(f"shown.{n}"), str)}


def _changes(typed: dict[str, str], shown: dict[str, str]) -> dict[str, Any]:
    """The service's changes: only the fields changed on the page, against the values it was
    shown with (so that a page left open undoes no other admin's change since). An empty
    lock date opens the past again; an empty warehouse, numbering format, account or tax
    rate changes nothing."""
    changed = {name for name, value in typed.items() if shown.get(name) != value}
    changes: dict[str, Any] = {
        name: typed[name] for name in TEXTS if name in changed and (typed[name] or name == "name")
    }
    changes |= {name: bool(typed[name]) for name in SWITCHES if name in changed}
    if "lock_date" in changed:
        changes["lock_date"] = typed["lock_date"] or None
    for group, fields in GROUPS.items():
        given = {n: typed[f"{group}.{n}"] for n in fields if f"{group}.{n}" in changed}
        given = {n: value for n, value in given.items() if value}
        if given:
            changes[group] = given
    return changes


def _page(
    request: Request,
    session: Session,
    actor: Actor,
    form: Form,
    shown: dict[str, str],
    *,
    saved: bool = False,
) -> Response:
    warehouses = list_locations(session, actor, type="warehouse")
    return render(
        request,
        "settings.html",
        422 if form.failed else 200,  # every refusal of settings is of a value
        form=form,
        shown=shown,
        saved=saved,
        warehouses=[(w.id, w.name) for w in warehouses],
        costing_methods=[(method, COSTING_LABELS[method]) for method in COSTING_METHODS],
        groups={g: [(f"{g}.{n}", label) for n, label in f.items()] for g, f in GROUPS.items()},
        more=nav.grouped("/settings", actor.role),  # the people and the API keys
    )
