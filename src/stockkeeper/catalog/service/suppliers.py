"""Suppliers, numbered from the company's creditor sequence (CRED001, CRED002, ...)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from stockkeeper.catalog.models import Supplier
from stockkeeper.catalog.service.common import apply, get_owned, sent, try_delete
from stockkeeper.catalog.values import NewSupplier, SupplierChanges, SupplierFilters
from stockkeeper.core import audit
from stockkeeper.core.errors import InUse
from stockkeeper.core.ids import new_id
from stockkeeper.core.pagination import Keyset, keyset_page, resume, text
from stockkeeper.core.sequences import next_number
from stockkeeper.tenancy.service import Actor, company_today, get_company, numbering_template


def list_suppliers(
    session: Session,
    actor: Actor,
    *,
    filters: SupplierFilters,
    limit: int,
    cursor: str | None,
    offset: int = 0,
) -> tuple[list[Supplier], str | None, int]:
    """Suppliers ordered by name; returns the page, the next cursor and the total.
    ``offset`` skips that many first (a page by its number, see ``keyset_page``)."""
    listing = resume("supplier", filters, cursor)
    where = [Supplier.company_id == actor.company_id]
    if listing.filters.active is not None:
        where.append(Supplier.active == listing.filters.active)
    keyset = Keyset(key=Supplier.sort_name, ident=Supplier.id, descending=False)
    return keyset_page(
        session, Supplier, where, keyset, listing, limit=limit, key=text, offset=offset
    )


def get_supplier(session: Session, actor: Actor, *, supplier_id: str) -> Supplier:
    return get_owned(session, Supplier, actor.company_id, supplier_id, "supplier")


def create_supplier(session: Session, actor: Actor, *, supplier: NewSupplier) -> Supplier:
    """The supplier gets the next number of the company's creditor sequence."""
    company = get_company(session, actor.company_id)
    number = next_number(
        session,
        actor.company_id,
        name="supplier",
        template=numbering_template(company, "supplier"),
        today=company_today(company),
    )
    row = Supplier(
        id=new_id("supp"),
        company_id=actor.company_id,
        creditor_number=number,
        **supplier.model_dump(),
    )
    session.add(row)
    session.flush()
    audit.record(
        session, actor, "supplier.created", "supplier", row.id, number=number, name=row.name
    )
    return row


def update_supplier(
    session: Session, actor: Actor, *, supplier_id: str, changes: SupplierChanges
) -> Supplier:
    supplier = get_supplier(session, actor, supplier_id=supplier_id)
    apply(supplier, sent(changes), required=("name", "active"))
    session.flush()
    audit.record(session, actor, "supplier.updated", "supplier", supplier.id, **sent(changes))
    return supplier


def delete_supplier(session: Session, actor: Actor, *, supplier_id: str) -> None:
    """Only a supplier that no item or order refers to."""
    supplier = get_supplier(session, actor, supplier_id=supplier_id)
    if not try_delete(session, supplier):
        raise InUse("supplier", supplier_id, "items or orders refer to it; deactivate it instead")
    audit.record(session, actor, "supplier.deleted", "supplier", supplier_id, name=supplier.name)
