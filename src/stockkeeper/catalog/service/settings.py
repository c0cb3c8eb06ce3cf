"""Company settings: the company row's own fields plus the default warehouse."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from stockkeeper.catalog.errors import unknown_reference
from stockkeeper.catalog.service.locations import default_warehouse, set_default_warehouse
from stockkeeper.core.errors import Invalid, NotFound, field_error
from stockkeeper.tenancy.models import Company
from stockkeeper.tenancy.service import (
    DEFAULT_NUMBERING,
    Actor,
    company_today,
    get_company,
    update_company,
)


@dataclass(frozen=True)
class CompanySettings:
    company_id: str
    name: str
    currency: str
    timezone: str
    default_warehouse_id: str | None
    allow_negative_stock: bool
    default_costing_method: str
    lock_date: date | None
    numbering_formats: dict[str, str]


def _settings(session: Session, company: Company) -> CompanySettings:
    warehouse = default_warehouse(session, company.id)
    return CompanySettings(
        company_id=company.id,
        name=company.name,
        currency=company.currency,
        timezone=company.timezone,
        default_warehouse_id=warehouse.id if warehouse else None,
        allow_negative_stock=company.allow_negative_stock,
        default_costing_method=company.costing_method,
        lock_date=company.lock_date,
        numbering_formats={**DEFAULT_NUMBERING, **company.numbering_formats},
    )


def get_settings(session: Session, actor: Actor) -> CompanySettings:
    return _settings(session, get_company(session, actor.company_id))


def update_settings(session: Session, actor: Actor, *, changes: dict[str, Any]) -> CompanySettings:
    company = get_company(session, actor.company_id)
    if "default_warehouse_id" in changes:
        warehouse_id = changes.pop("default_warehouse_id")
        if warehouse_id is None:
            raise unknown_reference("defaultWarehouseId", "location", "null")
        try:
            set_default_warehouse(session, actor, location_id=warehouse_id)
        except NotFound:
            raise unknown_reference("defaultWarehouseId", "location", warehouse_id) from None
    if "lock_date" in changes:
        lock_date = changes.pop("lock_date")
        if lock_date is not None and lock_date > company_today(company):
            raise Invalid(
                "the lock date closes the past: it cannot lie in the future",
                errors=[field_error("lockDate", "after today")],
            )
        company.lock_date = lock_date
    if "default_costing_method" in changes:
        changes["costing_method"] = changes.pop("default_costing_method")
    if changes.get("numbering_formats") is not None:
        changes["numbering_formats"] = {
            k: v for k, v in changes["numbering_formats"].items() if v is not None
        }
    update_company(session, company, {k: v for k, v in changes.items() if v is not None})
    return _settings(session, company)
