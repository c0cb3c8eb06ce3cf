"""Items and stock movements as Sage's records, with the accounts their items book to, read
for a whole page at once (``catalog.service.item_accounts``: three queries, however many)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy.orm import Session

from stockkeeper.catalog.service.item_accounts import booked_accounts
from stockkeeper.compat.sage.render import item_record, movement_record
from stockkeeper.reports.service.movement_history import MovementEntry
from stockkeeper.stock.views.items import ItemView
from stockkeeper.tenancy.service import Actor


def item_records(
    session: Session, actor: Actor, views: Sequence[ItemView], collection: str
) -> list[dict[str, Any]]:
    booked = booked_accounts(session, actor, items=[view.item for view in views])
    return [item_record(view, collection, booked[view.item.id]) for view in views]


def one_item(session: Session, actor: Actor, view: ItemView, collection: str) -> dict[str, Any]:
    (record,) = item_records(session, actor, [view], collection)
    return record


def movement_records(
    session: Session, actor: Actor, entries: Sequence[MovementEntry]
) -> list[dict[str, Any]]:
    booked = booked_accounts(session, actor, items=[entry.item.item for entry in entries])
    return [movement_record(entry, booked[entry.item.item.id]) for entry in entries]


def one_movement(session: Session, actor: Actor, entry: MovementEntry) -> dict[str, Any]:
    (record,) = movement_records(session, actor, [entry])
    return record
