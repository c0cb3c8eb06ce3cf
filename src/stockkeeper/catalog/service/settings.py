"""Company settings: the company row's own fields plus the default warehouse."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from stockkeeper.accounting.service.defaults import (
    STANDARD_DEFAULT_ACCOUNTS,
    STANDARD_DEFAULT_TAX_RATES,
    change_defaults,
    read_defaults,
)
from stockkeeper.accounting.service.references import load_references
from stockkeeper.catalog.service.common import sent
from stockkeeper.catalog.service.locations import default_warehouse, set_default_warehouse
from stockkeeper.catalog.values import SettingsChanges
from stockkeeper.catalog.views import CompanySettings
from stockkeeper.core import audit
from stockkeeper.core.errors import Invalid, NotFound, UnknownReference, field_error
from stockkeeper.tenancy.models import Company
from stockkeeper.tenancy.service import (
    DEFAULT_NUMBERING,
    Actor,
    company_today,
    get_company,
    update_company,
)

# called when the lock date is set, in the same unit of work: the journals keep the closed
# period (bookkeeping/service/closing.py)
lock_date_observers: list[Callable[[Session, Actor, date | None], None]] = []


def get_settings(session: Session, actor: Actor) -> CompanySettings:
    return _settings(session, get_company(session, actor.company_id))


def update_settings(session: Session, actor: Actor, *, changes: SettingsChanges) -> CompanySettings:
    """Changes only the settings sent."""
    company = get_company(session, actor.company_id)
    if changes.given("default_warehouse_id"):
        _set_default_warehouse(session, actor, changes.default_warehouse_id)
    if changes.given("lock_date"):
        company.lock_date = _lock_date(company, changes.lock_date)
        for observer in lock_date_observers:
            observer(session, actor, company.lock_date)
    for name in ("default_accounts", "default_tax_rates"):
        sent_defaults = getattr(changes, name)
        if sent_defaults is not None:
            change_defaults(session, company.id, sent(sent_defaults), at=f"{name}.")
    update_company(session, company, _company_changes(changes))
    audit.record(session, actor, "settings.updated", "company", company.id, **sent(changes))
    return _settings(session, company)


def _set_default_warehouse(session: Session, actor: Actor, warehouse_id: str | None) -> None:
    field = "default_warehouse_id"
    if warehouse_id is None:
        raise UnknownReference.at(field, "location", "null")
    try:
        set_default_warehouse(session, actor, location_id=warehouse_id)
    except NotFound:
        raise UnknownReference.at(field, "location", warehouse_id) from None


def _lock_date(company: Company, lock_date: date | None) -> date | None:
    """The lock date closes the past: it cannot lie in the future."""
    if lock_date is not None and lock_date > company_today(company):
        raise Invalid(
            "the lock date closes the past: it cannot lie in the future",
            errors=[field_error("lock_date", "after today", "after_today")],
        )
    return lock_date


def _company_changes(changes: SettingsChanges) -> dict[str, Any]:
    """The company row's own fields sent with a value (a null leaves them as they are)."""
    columns = sent(changes)
    for name in ("default_warehouse_id", "lock_date", "default_accounts", "default_tax_rates"):
        columns.pop(name, None)
    if "default_costing_method" in columns:
        columns["costing_method"] = columns.pop("default_costing_method")
    if columns.get("numbering_formats") is not None:
        formats = columns["numbering_formats"]
        columns["numbering_formats"] = {k: v for k, v in formats.items() if v is not None}
    return {k: v for k, v in columns.items() if v is not None}


def _settings(session: Session, company: Company) -> CompanySettings:
    warehouse = default_warehouse(session, company.id)
    defaults = read_defaults(session, company.id)
    return CompanySettings(
        company_id=company.id,
        name=company.name,
        currency=company.currency,
        timezone=company.timezone,
        default_warehouse_id=warehouse.id if warehouse else None,
        allow_negative_stock=company.allow_negative_stock,
        purchase_orders_enabled=company.purchase_orders_enabled,
        default_costing_method=company.costing_method,
        lock_date=company.lock_date,
        numbering_formats={**DEFAULT_NUMBERING, **company.numbering_formats},
        defaults=defaults,
        references=load_references(
            session,
            company.id,
            accounts={ref for n in STANDARD_DEFAULT_ACCOUNTS if (ref := getattr(defaults, n))},
            tax_rates={ref for n in STANDARD_DEFAULT_TAX_RATES if (ref := getattr(defaults, n))},
        ),
    )
