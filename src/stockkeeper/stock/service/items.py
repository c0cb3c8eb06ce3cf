"""The item use cases: items and their variants as the catalogue keeps them and as stock shows
them. Each writes through the catalogue's own checks and writes, holds what stock forbids,
records its audit row, and announces the item as ``GET /api/v1/items/{id}`` shows it:
``item.created``; ``item.updated`` (a variant created, changed or deleted changes its item
too); ``item.deleted`` (the item as it was, or as it stands when history keeps it, inactive).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from sqlalchemy.orm import Session

from stockkeeper.catalog.models import Item
from stockkeeper.catalog.service import items as catalog
from stockkeeper.catalog.service.categories import CategoryTree
from stockkeeper.catalog.service.common import sent
from stockkeeper.catalog.service.reads import load_item_details
from stockkeeper.catalog.values import (
    ItemChanges,
    NewItem,
    NewVariant,
    StockRules,
    VariantChanges,
)
from stockkeeper.core import audit, outbox
from stockkeeper.core.pagination import Listed, resume
from stockkeeper.stock.errors import ItemHasStock
from stockkeeper.stock.service import queries
from stockkeeper.stock.service.movements import list_movements
from stockkeeper.stock.service.queries import ItemStock, holds_stock, item_stock
from stockkeeper.stock.values import ItemListing, MovementFilters
from stockkeeper.stock.views.items import ItemView, VariantView
from stockkeeper.tenancy.service import Actor

HISTORY = 20  # the movements an item's page shows, newest first
# what each listed item shows, not which items: per request, like ``limit``
_SHOWN = ("include_variants", "include_images")


def get_item(
    session: Session,
    actor: Actor,
    *,
    item_id: str,
    stock_history: bool = False,
    transactions: bool = False,
) -> ItemView:
    """The item with its stock figures; with ``stock_history``, its latest movements too, and
    with ``transactions`` the documents behind them."""
    item = catalog.get_item(session, actor, item_id=item_id)
    view = _view(session, actor, item)
    shown = ("stockHistory",) * stock_history + ("transactions",) * transactions
    if not shown:
        return view
    movements = MovementFilters(item_id=item.id)
    history, _, _ = list_movements(session, actor, filters=movements, limit=HISTORY, cursor=None)
    return replace(view, history=history, shown=shown)


def list_items(
    session: Session, actor: Actor, *, filters: ItemListing, limit: int, cursor: str | None
) -> Listed[ItemView]:
    """A page of items in the order asked for; a category includes its subcategories."""
    listing = resume("item", filters, cursor, shown=_SHOWN)
    tree = CategoryTree.load(session, actor.company_id)
    category = listing.filters.category
    items, next_cursor, total = queries.list_items(
        session,
        actor.company_id,
        listing=listing,
        category_ids=tree.subtree(category) if category else None,
        limit=limit,
    )
    views = _views(
        session,
        actor,
        items,
        variants=filters.include_variants,
        images=filters.include_images,
        tree=tree,
    )
    return Listed(views, next_cursor, total)


def create_item(session: Session, actor: Actor, *, item: NewItem) -> ItemView:
    row = catalog.add_item(session, actor, item=item)
    audit.record(
        session, actor, "item.created", "item", row.id, item_code=row.item_code, name=row.name
    )
    return _announce(session, actor, "item.created", _view(session, actor, row))


def update_item(session: Session, actor: Actor, *, item_id: str, changes: ItemChanges) -> ItemView:
    """Changes what is sent. An item that holds stock cannot stop being a tracked stock item
    or change between plain, batch and serial tracking (``ItemHasStock``)."""
    item = catalog.get_item(session, actor, item_id=item_id)
    _check_tracking(session, actor, item, changes)
    catalog.change_item(session, actor, item=item, changes=changes)
    audit.record(session, actor, "item.updated", "item", item.id, **sent(changes))
    return _announce(session, actor, "item.updated", _view(session, actor, item))


def delete_item(session: Session, actor: Actor, *, item_id: str) -> bool:
    """Deletes the item, or deactivates it when stock history refers to it; says which."""
    item = catalog.get_item(session, actor, item_id=item_id)
    before = _view(session, actor, item).data  # rendered while its rows are there
    if catalog.remove_item(session, item):
        audit.record(session, actor, "item.deleted", "item", item_id, item_code=item.item_code)
        outbox.emit(session, actor.company_id, "item.deleted", before)
        return True
    audit.record(session, actor, "item.deactivated", "item", item_id, item_code=item.item_code)
    _announce(session, actor, "item.deleted", _view(session, actor, item))
    return False


# --- variants: each changes its item --------------------------------------------------------


def create_variant(
    session: Session, actor: Actor, *, item_id: str, variant: NewVariant
) -> VariantView:
    item = catalog.get_item(session, actor, item_id=item_id)
    row = catalog.add_variant(session, item=item, variant=variant)
    _record_variant(session, actor, "created", row.id, item, item_code=row.item_code)
    return VariantView(_item_changed(session, actor, item), row)


def update_variant(
    session: Session, actor: Actor, *, item_id: str, variant_id: str, changes: VariantChanges
) -> VariantView:
    item = catalog.get_item(session, actor, item_id=item_id)
    row = catalog.get_variant(session, actor, item_id=item_id, variant_id=variant_id)
    catalog.change_variant(session, item=item, variant=row, changes=changes)
    _record_variant(session, actor, "updated", row.id, item, **sent(changes))
    return VariantView(_item_changed(session, actor, item), row)


def delete_variant(session: Session, actor: Actor, *, item_id: str, variant_id: str) -> bool:
    """Deletes the variant, or deactivates it when stock history refers to it; says which."""
    item = catalog.get_item(session, actor, item_id=item_id)
    row = catalog.get_variant(session, actor, item_id=item_id, variant_id=variant_id)
    deleted = catalog.remove_variant(session, item=item, variant=row)
    action = "deleted" if deleted else "deactivated"
    _record_variant(session, actor, action, variant_id, item, item_code=row.item_code)
    _item_changed(session, actor, item)
    return deleted


# --- the rule, the views, the announcements ------------------------------------------------


def _check_tracking(session: Session, actor: Actor, item: Item, changes: ItemChanges) -> None:
    """Stock on hand or reserved keeps an item tracked, and tracked as it is: its levels,
    batches and serials would no longer mean what they say."""
    rules = changes.inventory or StockRules()
    stops = changes.type not in (None, "inventory") or rules.tracked is False
    retracks = rules.tracking not in (None, item.tracking)
    if (stops or retracks) and holds_stock(session, actor.company_id, item.id):
        raise ItemHasStock(
            "the item holds stock: move it out before it stops being a tracked stock item "
            "or changes between plain, batch and serial tracking"
        )


def _view(session: Session, actor: Actor, item: Item) -> ItemView:
    return _views(session, actor, [item], variants=True, images=True)[0]


def _views(
    session: Session,
    actor: Actor,
    items: Sequence[Item],
    *,
    variants: bool,
    images: bool,
    tree: CategoryTree | None = None,
) -> list[ItemView]:
    """Items with their related rows and stock figures, in a fixed number of queries."""
    details = load_item_details(
        session, actor.company_id, items, variants=variants, images=images, categories=tree
    )
    stock = item_stock(session, actor.company_id, [i.id for i in items])
    return [ItemView(i, details, stock.get(i.id, ItemStock())) for i in items]


def _announce(session: Session, actor: Actor, event: outbox.EventName, view: ItemView) -> ItemView:
    outbox.emit(session, actor.company_id, event, view.data)
    return view


def _item_changed(session: Session, actor: Actor, item: Item) -> ItemView:
    """A variant's change is its item's: announced as ``item.updated``."""
    return _announce(session, actor, "item.updated", _view(session, actor, item))


def _record_variant(
    session: Session, actor: Actor, action: str, variant_id: str, item: Item, **details: object
) -> None:
    audit.record(
        session, actor, f"variant.{action}", "variant", variant_id, item_id=item.id, **details
    )
