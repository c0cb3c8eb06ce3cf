"""Price groups: sales price types for goods and service rate types for services."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from stockkeeper.catalog.errors import duplicate, in_use
from stockkeeper.catalog.models import ItemPrice, PriceGroup
from stockkeeper.catalog.service.common import apply, exists, get_owned
from stockkeeper.core.ids import new_id
from stockkeeper.tenancy.service import Actor

DEFAULT_GROUPS = (
    ("sales_price", "Sales Price"),
    ("sales_price", "Trade"),
    ("sales_price", "Wholesale"),
    ("service_rate", "Rate"),
)


def create_default_price_groups(session: Session, company_id: str) -> None:
    for kind, name in DEFAULT_GROUPS:
        session.add(PriceGroup(id=new_id("pg"), company_id=company_id, kind=kind, name=name))
    session.flush()


def list_price_groups(
    session: Session, actor: Actor, *, kind: str | None = None
) -> list[PriceGroup]:
    statement = select(PriceGroup).where(PriceGroup.company_id == actor.company_id)
    if kind:
        statement = statement.where(PriceGroup.kind == kind)
    return list(session.scalars(statement.order_by(PriceGroup.kind, PriceGroup.id)))


def get_price_group(session: Session, actor: Actor, *, group_id: str) -> PriceGroup:
    return get_owned(session, PriceGroup, actor.company_id, group_id, "price group")


def _check_name(session: Session, actor: Actor, kind: str, name: str) -> None:
    if exists(session, PriceGroup, actor.company_id, kind=kind, name=name):
        raise duplicate("name", name, "a price group")


def create_price_group(session: Session, actor: Actor, *, values: dict[str, Any]) -> PriceGroup:
    _check_name(session, actor, values["kind"], values["name"])
    group = PriceGroup(id=new_id("pg"), company_id=actor.company_id, **values)
    session.add(group)
    session.flush()
    return group


def update_price_group(
    session: Session, actor: Actor, *, group_id: str, changes: dict[str, Any]
) -> PriceGroup:
    group = get_price_group(session, actor, group_id=group_id)
    if changes.get("name") not in (None, group.name):
        _check_name(session, actor, group.kind, changes["name"])
    apply(group, changes, required=("name", "prices_include_tax", "is_active"))
    session.flush()
    return group


def delete_price_group(session: Session, actor: Actor, *, group_id: str) -> None:
    """As in the Sage rule: only an inactive group, and never the last one of its kind."""
    group = get_price_group(session, actor, group_id=group_id)
    if group.is_active:
        raise in_use("price group", group_id, "deactivate it first (isActive: false)")
    count = session.scalar(
        select(func.count()).where(
            PriceGroup.company_id == actor.company_id, PriceGroup.kind == group.kind
        )
    )
    if count == 1:
        raise in_use("price group", group_id, "it is the last one of its kind")
    session.execute(
        delete(ItemPrice).where(
            ItemPrice.company_id == actor.company_id, ItemPrice.price_group_id == group.id
        )
    )
    session.delete(group)
    session.flush()
