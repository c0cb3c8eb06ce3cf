"""Companies, their settings, who acts for them, and the API keys they act with."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import date, datetime
from enum import IntEnum
from functools import cache
from typing import Any, Literal, NamedTuple
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from pydantic import Field
from sqlalchemy import Select, bindparam, select
from sqlalchemy.orm import Session

from stockkeeper.core import audit
from stockkeeper.core.currency import is_currency
from stockkeeper.core.db import hold
from stockkeeper.core.errors import Invalid, NotFound, field_error
from stockkeeper.core.ids import new_id
from stockkeeper.core.sequences import InvalidNumberingFormat, validate_template
from stockkeeper.core.types import utcnow
from stockkeeper.core.values import Name, Values
from stockkeeper.tenancy.errors import (
    InvalidApiKey,
    InvalidCurrency,
    InvalidTimezone,
    MissingApiKey,
    MissingCompanyId,
    RoleTooWeak,
    WrongCompany,
)
from stockkeeper.tenancy.models import ApiKey, Company

COSTING_METHODS = ("fifo", "lifo", "average", "standard")

DEFAULT_NUMBERING = {
    "adjustment": "ADJ-{YYYY}-{SEQ:4}",
    "transfer": "XFR-{YYYY}-{SEQ:4}",
    "sales_issue": "ISS-{YYYY}-{SEQ:4}",
    "sales_return": "RET-{YYYY}-{SEQ:4}",
    "purchase_order": "IO{YY}{SEQ:2}",
    "supplier": "CRED{SEQ:3}",
    "item": "ART_PRODUCT{SEQ:3}",  # articleNumber, beside the item's own code
}


class Role(IntEnum):
    """Each role can do everything the ones below it can."""

    viewer = 1
    clerk = 2
    admin = 3


RoleName = Literal["admin", "clerk", "viewer"]


@dataclass(frozen=True)
class Actor:
    """Who is acting: an API key (its name stands for the user) and its company; a person
    signed in to the web face (``account_id``, their email as the name); or, with neither,
    a face acting for the company itself (the command line)."""

    company_id: str
    key_id: str | None
    name: str
    role: Role
    account_id: str | None = None

    @classmethod
    def system(cls, company_id: str, name: str) -> Actor:
        """A face acting for the company as an admin, with no key (``name`` says which)."""
        return cls(company_id=company_id, key_id=None, name=name, role=Role.admin)


def validate_currency(code: str, field: str = "currency") -> str:
    if not is_currency(code):
        raise InvalidCurrency(code, field)
    return code


def validate_timezone(name: str) -> str:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        name = ""
    if not name or name not in _zones():
        raise InvalidTimezone()
    return name


@cache
def _zones() -> set[str]:
    return available_timezones() | {"UTC"}


def validate_numbering(formats: dict[str, str]) -> dict[str, str]:
    unknown = sorted(set(formats) - set(DEFAULT_NUMBERING))
    if unknown:
        raise InvalidNumberingFormat(
            f"unknown numbering sequences: {', '.join(unknown)}",
            errors=[field_error(f"numbering_formats.[{k}]", "unknown sequence") for k in unknown],
        )
    faults = []
    for name, template in formats.items():
        try:
            validate_template(template)
        except InvalidNumberingFormat as error:  # named by its sequence, so forms show it there
            faults.append((error.detail, field_error(f"numbering_formats.{name}", error.detail)))
    if faults:
        raise InvalidNumberingFormat(faults[0][0], errors=[fault for _, fault in faults])
    return dict(formats)


def create_company(
    session: Session, *, name: str, currency: str = "USD", timezone: str = "UTC"
) -> Company:
    if not name.strip():
        raise Invalid.fields([field_error("name", "must not be empty")])
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
            "unknown costing method", errors=[field_error("default_costing_method", "unknown")]
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


# --- API keys ---------------------------------------------------------------------------------


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class NewApiKey(Values):
    name: Name | None = Field(default=None, description="The role's name if not given")
    role: RoleName = Field(examples=["clerk"])


class CreatedKey(NamedTuple):
    """A new key's row, and its token: shown this once, and never stored."""

    key: ApiKey
    token: str


def create_api_key(session: Session, actor: Actor, *, key: NewApiKey) -> CreatedKey:
    get_company(session, actor.company_id)  # the command line names the company
    token = "sk_" + secrets.token_urlsafe(32)
    row = ApiKey(
        id=new_id("key"),
        company_id=actor.company_id,
        name=key.name or key.role,
        role=key.role,
        key_hash=_digest(token),
        prefix=token[:10],
    )
    session.add(row)
    session.flush()
    audit.record(session, actor, "api_key.created", "api_key", row.id, name=row.name, role=row.role)
    return CreatedKey(row, token)


def list_api_keys(session: Session, actor: Actor) -> list[ApiKey]:
    statement = select(ApiKey).where(ApiKey.company_id == actor.company_id).order_by(ApiKey.id)
    return list(session.scalars(statement))


def revoke_api_key(session: Session, actor: Actor, *, key_id: str) -> ApiKey:
    """Revokes the key (a revoked key stays so)."""
    key = session.scalar(
        select(ApiKey).where(ApiKey.company_id == actor.company_id, ApiKey.id == key_id)
    )
    if key is None:
        raise NotFound("API key", key_id)
    if key.revoked_at is None:
        key.revoked_at = utcnow()
        audit.record(session, actor, "api_key.revoked", "api_key", key.id, name=key.name)
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
        raise MissingApiKey()
    key = session.execute(_key_by_digest(), {"digest": _digest(token)}).first()
    if key is not None:
        hold(session, key.Company)  # most requests read the company's settings next
    if key is None or key.revoked_at is not None:
        raise InvalidApiKey()
    if not company_id:
        raise MissingCompanyId()
    if company_id != key.company_id:
        raise WrongCompany()
    return Actor(company_id=key.company_id, key_id=key.id, name=key.name, role=Role[key.role])


def authorize(actor: Actor, needs: Role) -> Actor:
    """The actor, if its role is at least ``needs``."""
    if actor.role < needs:
        raise RoleTooWeak(needs.name, actor.role.name)
    return actor
