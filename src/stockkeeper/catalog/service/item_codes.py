"""Items as people name them: by their code or their barcode, typed or scanned. A form that
takes lines by item code (the web UI's documents) turns the codes into the items' ids here,
each unknown code refused beside its own line."""

from __future__ import annotations

from collections.abc import Collection, Sequence

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from stockkeeper.catalog.models import Item
from stockkeeper.core.errors import UnknownReference, field_error
from stockkeeper.tenancy.service import Actor


def items_by_code(session: Session, actor: Actor, *, codes: Collection[str]) -> dict[str, Item]:
    """The company's items named by these codes, exactly: each code by the item whose code it
    is, else by the item whose barcode it is (codes and barcodes are unique in a company)."""
    wanted = {code for code in codes if code}
    if not wanted:
        return {}
    found: dict[str, Item] = {}
    rows = session.scalars(
        select(Item).where(
            Item.company_id == actor.company_id,
            or_(Item.item_code.in_(wanted), Item.barcode.in_(wanted)),
        )
    )
    for item in sorted(rows, key=lambda row: row.item_code not in wanted):
        for code in {item.item_code, item.barcode or ""} & wanted:
            found.setdefault(code, item)
    return found


def item_ids_of(
    session: Session, actor: Actor, *, codes: Sequence[str], at: str = "items.{}.item_id"
) -> list[str]:
    """The ids of the items the codes name, in their order; every unknown code refused at
    once, each at its own line's field (``at`` formatted with the line's index): 422
    ``unknown_item``."""
    found = items_by_code(session, actor, codes=codes)
    errors = [
        field_error(at.format(n), f"no item with the code {code!r}", "unknown_reference")
        if code
        else field_error(at.format(n), "enter the item's code or barcode", "required")
        for n, code in enumerate(codes)
        if code not in found
    ]
    if errors:
        raise UnknownReference("item", errors)
    return [found[code].id for code in codes]
