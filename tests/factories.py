"""Small factories for service tests: rows made through the services, in the test's session,
with unique codes and keyword defaults."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from stockkeeper.catalog.service import locations
from stockkeeper.catalog.values import NewItem, NewLocation
from stockkeeper.stock.service import items
from stockkeeper.tenancy.service import Actor
from tests.support import unique


def new_location(session: Session, actor: Actor, **fields: Any) -> str:
    """A warehouse (or what ``type`` says); its id."""
    values = {"name": unique("Location"), "type": "warehouse", **fields}
    return locations.create_location(session, actor, location=NewLocation.model_validate(values)).id


def new_item(session: Session, actor: Actor, **fields: Any) -> str:
    """A tracked stock item; its id. ``fields`` in the domain's names, nested as sent."""
    values = {"item_code": unique("ITEM"), "name": unique("Item"), "type": "inventory", **fields}
    return items.create_item(session, actor, item=NewItem.model_validate(values)).item.id
