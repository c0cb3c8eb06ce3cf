"""What the item screens of a face that shows pages (the web UI) read, each in one call: a
page of items with the categories to filter them by; an item with where its stock lies
(location, bin, batch, serial: on hand, reserved, available), its latest movements and its
cost figures; a page of its movements; what an item's form offers to choose from.

Each is composed of the item use cases' own reads (``items.list_items``, ``items.get_item``),
the levels and the ledger as the API lists them, so a page shows what the API returns."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any, NamedTuple

from sqlalchemy.orm import Session

from stockkeeper.catalog.schemas.items import CostFigures
from stockkeeper.catalog.service.categories import CategoryTree
from stockkeeper.catalog.service.locations import location_names
from stockkeeper.core.pagination import Listed
from stockkeeper.stock.service import items
from stockkeeper.stock.service.lot_levels import list_levels
from stockkeeper.stock.service.movements import list_movements
from stockkeeper.stock.values import ItemListing, LevelFilters, MovementFilters
from stockkeeper.stock.views.items import ItemView, cost_figures
from stockkeeper.tenancy.service import Actor

LEVELS = 100  # the levels an item's page lists; past that it says how many more there are
LATEST = 20  # the movements an item's page shows, newest first


class CategoryChoice(NamedTuple):
    id: str
    path: str  # "Hardware > Hinges"


@dataclass(frozen=True)
class ItemBrowse:
    """A page of items, and every category of the company to filter by (by path)."""

    page: Listed[ItemView]
    categories: list[CategoryChoice]


@dataclass(frozen=True)
class Level:
    """Stock at its finest grain: an item at a place, in a bin, of a batch or serial."""

    location_id: str
    location: str
    bin_code: str | None
    batch_number: str | None
    expiry_date: date | None
    serial_number: str | None
    on_hand: Decimal
    reserved: Decimal

    @property
    def available(self) -> Decimal:
        return self.on_hand - self.reserved

    @classmethod
    def of(cls, row: dict[str, Any]) -> Level:
        return cls(
            row["location_id"],
            row["location_name"],
            row["bin_code"],
            row["batch_number"],
            row["expiry_date"],
            row["serial_number"],
            row["on_hand"],
            row["reserved"],
        )


@dataclass(frozen=True)
class Place:
    """The item's stock at one warehouse or store."""

    location_id: str
    name: str
    on_hand: Decimal
    reserved: Decimal
    on_order: Decimal

    @property
    def available(self) -> Decimal:
        return self.on_hand - self.reserved


@dataclass(frozen=True)
class Movements:
    """A page of an item's movements (signed rows at its warehouses and stores, newest
    first), and the names of the places at either end of them."""

    page: Listed[dict[str, Any]]
    locations: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class ItemOverview:
    """An item's page: the item with its figures, its stock where it lies, its latest
    movements."""

    view: ItemView
    levels: Listed[Level]
    movements: Movements

    @property
    def places(self) -> list[Place]:
        names = self.movements.locations
        return [
            Place(ident, names.get(ident, ident), at.on_hand, at.reserved, at.on_order)
            for ident, at in self.view.stock.locations.items()
        ]

    @property
    def finer(self) -> bool:
        """Whether any of its stock lies in a bin, a batch or a serial number."""
        return any(lv.bin_code or lv.batch_number or lv.serial_number for lv in self.levels.rows)

    @property
    def costs(self) -> CostFigures:
        return cost_figures(self.view.item, self.view.stock.on_hand)


@dataclass(frozen=True)
class ItemChoices:
    """What an item's form needs: the item when it is edited, and the categories."""

    view: ItemView | None
    categories: list[CategoryChoice]


def browse_items(
    session: Session, actor: Actor, *, filters: ItemListing, limit: int, cursor: str | None
) -> ItemBrowse:
    """A page of items as ``GET /api/v1/items`` lists them, and the categories."""
    page = items.list_items(session, actor, filters=filters, limit=limit, cursor=cursor)
    return ItemBrowse(page, category_choices(session, actor))


def item_overview(session: Session, actor: Actor, *, item_id: str) -> ItemOverview:
    """The item (404 when not the company's), its levels (the first ``LEVELS``) and its
    latest movements."""
    view = items.get_item(session, actor, item_id=item_id)
    rows, next_cursor, total = list_levels(
        session, actor, filters=LevelFilters(item_id=item_id), limit=LEVELS, cursor=None
    )
    levels = Listed([Level.of(row) for row in rows], next_cursor, total)
    latest = _movements(session, actor, item_id, LATEST, None)
    return ItemOverview(view, levels, latest)


def item_movements(
    session: Session, actor: Actor, *, item_id: str, limit: int, cursor: str | None
) -> tuple[ItemView, Movements]:
    """The item and a page of its movements, newest first, from ``cursor`` on."""
    view = items.get_item(session, actor, item_id=item_id)
    return view, _movements(session, actor, item_id, limit, cursor)


def item_choices(session: Session, actor: Actor, *, item_id: str | None = None) -> ItemChoices:
    """The item to edit (404 when not the company's), or none for a new one; the categories."""
    view = items.get_item(session, actor, item_id=item_id) if item_id is not None else None
    return ItemChoices(view, category_choices(session, actor))


def category_choices(session: Session, actor: Actor) -> list[CategoryChoice]:
    """The company's categories by their paths, in the order of the paths."""
    tree = CategoryTree.load(session, actor.company_id)
    choices = [CategoryChoice(ident, tree.path(ident)) for ident in tree.by_id]
    return sorted(choices, key=lambda c: (c.path.lower(), c.id))


def _movements(
    session: Session, actor: Actor, item_id: str, limit: int, cursor: str | None
) -> Movements:
    filters = MovementFilters(item_id=item_id)
    listed = list_movements(session, actor, filters=filters, limit=limit, cursor=cursor)
    return Movements(listed, location_names(session, actor.company_id))
