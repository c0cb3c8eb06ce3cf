"""Price groups: sales price types for goods and service rate types for services. One group
of each kind (Sales Price, Rate) holds the items' own selling price (``pricing.sellingPrice``):
it cannot be deleted, and an item's price in it is its selling price."""

from __future__ import annotations

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from stockkeeper.catalog.models import ItemPrice, PriceGroup
from stockkeeper.catalog.service.common import apply, exists, get_owned, sent
from stockkeeper.catalog.values import NewPriceGroup, PriceGroupChanges
from stockkeeper.core import audit
from stockkeeper.core.errors import Duplicate, InUse, NotFound
from stockkeeper.core.ids import new_id
from stockkeeper.tenancy.service import Actor

DEFAULT_GROUPS = (  # kind, name, holds the selling price
    ("sales_price", "Sales Price", True),
    ("sales_price", "Trade", False),
    ("sales_price", "Wholesale", False),
    ("service_rate", "Rate", True),
)


def create_default_price_groups(session: Session, company_id: str) -> None:
    for kind, name, selling in DEFAULT_GROUPS:
        session.add(
            PriceGroup(
                id=new_id("pg"),
                company_id=company_id,
                kind=kind,
                name=name,
                holds_selling_price=selling,
            )
        )
    session.flush()


def list_price_groups(
    session: Session, actor: Actor, *, kind: str | None = None
) -> list[PriceGroup]:
    statement = select(PriceGroup).where(PriceGroup.company_id == actor.company_id)
    if kind:
        statement = statement.where(PriceGroup.kind == kind)
    return list(session.scalars(statement.order_by(PriceGroup.kind, PriceGroup.id)))


def get_price_group(
    session: Session, actor: Actor, *, group_id: str, kind: str | None = None
) -> PriceGroup:
    """The group; with ``kind``, a group of another kind is not found either (a face that
    shows each kind at its own path)."""
    group = get_owned(session, PriceGroup, actor.company_id, group_id, "price group")
    if kind is not None and group.kind != kind:
        raise NotFound("price group", group_id)
    return group


def create_price_group(session: Session, actor: Actor, *, group: NewPriceGroup) -> PriceGroup:
    """A name is unique among the groups of its kind."""
    _check_name(session, actor, group.kind, group.name)
    row = PriceGroup(
        id=new_id("pg"),
        company_id=actor.company_id,
        name=group.name,
        kind=group.kind,
        prices_include_tax=group.prices_include_tax,
        is_active=group.is_active,
    )
    session.add(row)
    session.flush()
    audit.record(
        session, actor, "price_group.created", "price_group", row.id, name=row.name, kind=row.kind
    )
    return row


def update_price_group(
    session: Session,
    actor: Actor,
    *,
    group_id: str,
    changes: PriceGroupChanges,
    kind: str | None = None,
) -> PriceGroup:
    group = get_price_group(session, actor, group_id=group_id, kind=kind)
    if changes.name is not None and changes.name != group.name:
        _check_name(session, actor, group.kind, changes.name)
    apply(group, sent(changes), required=("name", "prices_include_tax", "is_active"))
    session.flush()
    audit.record(session, actor, "price_group.updated", "price_group", group.id, **sent(changes))
    return group


def delete_price_group(
    session: Session, actor: Actor, *, group_id: str, kind: str | None = None
) -> None:
    """As in the Sage rule: only an inactive group, and never the last one of its kind (the
    group of each kind that holds the selling prices is never deleted, so one always stays);
    the items' prices in it go with it."""
    group = get_price_group(session, actor, group_id=group_id, kind=kind)
    if group.holds_selling_price:
        raise InUse(
            "price group", group_id, "it holds the items' selling prices (the last of its kind)"
        )
    if group.is_active:
        raise InUse("price group", group_id, "deactivate it first (isActive: false)")
    session.execute(
        delete(ItemPrice).where(
            ItemPrice.company_id == actor.company_id, ItemPrice.price_group_id == group.id
        )
    )
    session.delete(group)
    session.flush()
    audit.record(session, actor, "price_group.deleted", "price_group", group.id, name=group.name)


def _check_name(session: Session, actor: Actor, kind: str, name: str) -> None:
    if exists(session, PriceGroup, actor.company_id, kind=kind, name=name):
        raise Duplicate("name", name, "a price group")
