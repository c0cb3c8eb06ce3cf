"""What every stock document's read needs from the catalogue: its lines with their items,
and its locations, each in one query whatever the number of documents."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import and_, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from stockkeeper.catalog.models import Item, Location
from stockkeeper.catalog.service.common import rows_by_id


def lines_with_items(
    session: Session,
    company_id: str,
    line: type[Any],
    parent: InstrumentedAttribute[str],
    parent_ids: list[str],
) -> dict[str, list[tuple[Any, Item]]]:
    """Parent id -> its ``line`` rows (by position), each with its item."""
    rows = session.execute(
        select(line, Item)
        .join(Item, and_(Item.company_id == line.company_id, Item.id == line.item_id))
        .where(line.company_id == company_id, parent.in_(parent_ids))
        .order_by(parent, line.position)
    ).all()
    found: dict[str, list[tuple[Any, Item]]] = {ident: [] for ident in parent_ids}
    for row, item in rows:
        found[getattr(row, parent.key)].append((row, item))
    return found


def locations_by_id(session: Session, company_id: str, ids: Iterable[str]) -> dict[str, Location]:
    return rows_by_id(session, Location, company_id, set(ids))
