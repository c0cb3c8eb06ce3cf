"""Companies, their settings, and API keys."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import date, datetime
from enum import IntEnum
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from sqlalchemy import Select, bindparam, select
from sqlalchemy.orm import Session

from stockkeeper.core.currency import is_currency
from stockkeeper.core.db import hold
from stockkeeper.core.errors import Forbidden, Invalid, NotFound, Unauthorized, field_error
from stockkeeper.core.ids import new_id
from stockkeeper.core.sequences import validate_template
from stockkeeper.core.types import utcnow
from stockkeeper.tenancy.models import ApiKey, Company

COSTING_METHODS = ("fifo", "lifo", "average", "standard")

DEFAULT_NUMBERING = {
    "adjustment": "ADJ-{YYYY}-{SEQ:4}",
    "transfer": "XFR-{YYYY}-{SEQ:4}",
    "sales_issue": "ISS-{YYYY}-{SEQ:4}",
    "sales_return": "RET-{YYYY}-{SEQ:4}",
    "purchase_order": "IO{YY}{SEQ:2}",
    "supplier": "CRED{SEQ:3}",
}


class Role(IntEnum):
    """Each role can do everything the ones below it can."""

    viewer = 1
    clerk = 2
    admin = 3


@dataclass(frozen=True)
class Actor:
    """Who is acting: the API key (its name stands for the user) and its company."""

    company_id: str
    key_id: str
    name: str
    role: Role


def validate_currency(code: str, field: str = "currency") -> str:
    if not is_currency(code):
        raise Invalid(
            f"{code!r} is not an ISO 4217 currency code",
            code="invalid_currency",
            errors=[field_error(field, "not an ISO 4217 currency code")],
        )
    return code


def validate_timezone(name: str) -> str:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        name = ""
    if not name or name not in _zones():
        raise Invalid(
            "not an IANA time zone",
            code="invalid_timezone",
            errors=[field_error("timezone", "not an IANA time zone, such as Asia/Kuala_Lumpur")],
        )
    return name


@cache
def _zones() -> set[str]:
    return available_timezones() | {"UTC"}


def validate_numbering(formats: dict[str, str]) -> dict[str, str]:
    unknown = sorted(set(formats) - set(DEFAULT_NUMBERING))
    if unknown:
        raise Invalid(
            f"unknown numbering sequences: {', '.join(unknown)}",
            code="invalid_numbering_format",
            errors=[field_error(f"numberingFormats.{k}", "unknown sequence") for k in unknown],
        )
    return {name: validate_template(template) for name, template in formats.items()}


def create_company(
    session: Session, *, name: str, currency: str = "USD", timezone: str = "UTC"
) -> Company:
    if not name.strip():
        raise Invalid("a company needs a name", errors=[field_error("name", "must not be empty")])
    company = Company(
        id=new_id("comp"),
        name=name.strip(),
        currency=validate_currency(currency),
        timezone=validate_timezone(timezone),
        allow_negative_stock=False,
        costing_method="average",
        numbering_formats=dict(DEFAULT_NUMBERING),
    )
    session.add(company)
    session.flush()
    return company


def get_company(session: Session, company_id: str) -> Company:
    company = session.get(Company, company_id)
    if company is None:
        raise NotFound("company", company_id)
    return company


def update_company(session: Session, company: Company, changes: dict[str, Any]) -> Company:
    if "currency" in changes:
        validate_currency(changes["currency"])
    if "timezone" in changes:
        validate_timezone(changes["timezone"])
    if changes.get("costing_method", COSTING_METHODS[0]) not in COSTING_METHODS:
        raise Invalid(
            "unknown costing method", errors=[field_error("defaultCostingMethod", "unknown")]
        )
    if "numbering_formats" in changes:
        changes["numbering_formats"] = {
            **company.numbering_formats,
            **validate_numbering(changes["numbering_formats"]),
        }
    for key, value in changes.items():
        setattr(company, key, value)
    session.flush()
    return company


def company_today(company: Company) -> date:
    return utcnow().astimezone(ZoneInfo(company.timezone)).date()


def numbering_template(company: Company, name: str) -> str:
    return str(company.numbering_formats.get(name, DEFAULT_NUMBERING[name]))


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_api_key(
    session: Session, *, company_id: str, role: Role, name: str
) -> tuple[ApiKey, str]:
    """Returns the key row and the token; the token is shown once and never stored."""
    get_company(session, company_id)
    token = "sk_" + secrets.token_urlsafe(32)
    key = ApiKey(
        id=new_id("key"),
        company_id=company_id,
        name=name.strip() or role.name,
        role=role.name,
        key_hash=_digest(token),
        prefix=token[:10],
    )
    session.add(key)
    session.flush()
    return key, token


def list_api_keys(session: Session, *, company_id: str) -> list[ApiKey]:
    statement = select(ApiKey).where(ApiKey.company_id == company_id).order_by(ApiKey.id)
    return list(session.scalars(statement))


def revoke_api_key(session: Session, *, company_id: str, key_id: str) -> ApiKey:
    key = session.scalar(select(ApiKey).where(ApiKey.company_id == company_id, ApiKey.id == key_id))
    if key is None:
        raise NotFound("API key", key_id)
    if key.revoked_at is None:
        key.revoked_at = utcnow()
        session.flush()
    return key


@cache
def _key_by_digest() -> Select[Company, str, str, str, str, datetime | None]:
    """The key and its company, in the statement every request runs (built once)."""
    k = ApiKey
    return (
        select(Company, k.id, k.company_id, k.name, k.role, k.revoked_at)
        .join(Company, Company.id == k.company_id)
        .where(k.key_hash == bindparam("digest"))
    )


def identify(session: Session, *, token: str | None, company_id: str | None) -> Actor:
    """The key sent, if it is valid and belongs to the company sent."""
    if not token:
        raise Unauthorized(
            "send an API key as 'Authorization: Bearer <key>'", code="missing_api_key"
        )
    key = session.execute(_key_by_digest(), {"digest": _digest(token)}).first()
    if key is not None:
        hold(session, key.Company)  # most requests read the company's settings next
    if key is None or key.revoked_at is not None:
        raise Unauthorized("the API key is unknown or revoked", code="invalid_api_key")
    if not company_id:
        raise Forbidden("send the company id in the X-Company-Id header", code="missing_company_id")
    if company_id != key.company_id:
        raise Forbidden("the API key does not belong to this company", code="wrong_company")
    return Actor(company_id=key.company_id, key_id=key.id, name=key.name, role=Role[key.role])


def authorize(actor: Actor, needs: Role) -> Actor:
    """The actor, if its role is at least ``needs``."""
    if actor.role < needs:
        raise Forbidden(
            f"this needs the {needs.name} role; the key has {actor.role.name}",
            code="role_too_weak",
        )
    return actor
