"""The item use cases: items and their variants as the catalogue keeps them and as stock shows
them. Each writes through the catalogue's own checks and writes, holds what stock forbids,
records its audit row, and announces the item as ``GET /api/v1/items/{id}`` shows it:
``item.created``; ``item.updated`` (a variant created, changed or deleted changes its item
too); ``item.deleted`` (the item as it was, or as it stands when history keeps it, inactive).

A new stock item may bring its opening stock: posted through the ledger in the transaction
that makes the item, from the opening balances into a warehouse or store, as a movement of
type ``opening_stock`` whose document is the item itself (its article number); what the
ledger refuses leaves no item behind.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import replace
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from stockkeeper.catalog.models import Item
from stockkeeper.catalog.service import item_creation
from stockkeeper.catalog.service import items as catalog
from stockkeeper.catalog.service.categories import CategoryTree
from stockkeeper.catalog.service.common import sent
from stockkeeper.catalog.service.locations import check_bins, location_or_default
from stockkeeper.catalog.service.reads import load_item_details
from stockkeeper.catalog.values import (
    ItemChanges,
    NewItem,
    NewVariant,
    StockRules,
    VariantChanges,
)
from stockkeeper.core import audit, outbox
from stockkeeper.core.errors import NotFound, field_error
from stockkeeper.core.pagination import Listed, resume
from stockkeeper.stock.errors import ItemCannotMove, ItemHasStock
from stockkeeper.stock.service import ledger, lots, queries
from stockkeeper.stock.service.locations import virtual_locations
from stockkeeper.stock.service.movements import list_movements
from stockkeeper.stock.service.queries import ItemStock, holds_stock, item_stock
from stockkeeper.stock.values import ItemListing, MovementFilters, OpeningStock, opening_stock_of
from stockkeeper.stock.views.items import ItemView, VariantView
from stockkeeper.tenancy.service import Actor, company_today, get_company

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
    types: Collection[str] | None = None,
) -> ItemView:
    """The item with its stock figures; with ``stock_history``, its latest movements too, and
    with ``transactions`` the documents behind them. With ``types``, an item of another type
    is not found either (a face that shows each type at its own path)."""
    item = _item(session, actor, item_id, types)
    view = _view(session, actor, item)
    shown = ("stockHistory",) * stock_history + ("transactions",) * transactions
    if not shown:
        return view
    movements = MovementFilters(item_id=item.id)
    history = list_movements(
        session, actor, filters=movements, limit=HISTORY, cursor=None, with_total=False
    )
    return replace(view, history=history.rows, shown=shown)


def list_items(
    session: Session,
    actor: Actor,
    *,
    filters: ItemListing,
    limit: int,
    cursor: str | None,
    offset: int = 0,
) -> Listed[ItemView]:
    """A page of items in the order asked for; a category includes its subcategories.
    ``offset`` (without a cursor) skips that many first: a page by its number."""
    listing = resume("item", filters, cursor, shown=_SHOWN)
    tree = CategoryTree.load(session, actor.company_id)
    category = listing.filters.category
    items, next_cursor, total = queries.list_items(
        session,
        actor.company_id,
        listing=listing,
        category_ids=tree.subtree(category) if category else None,
        limit=limit,
        offset=offset,
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
    """Creates the item; a ``NewStockItem`` with opening stock posts it too."""
    return create_items(session, actor, items=[item])[0]


def create_items(session: Session, actor: Actor, *, items: Sequence[NewItem]) -> list[ItemView]:
    """Creates the items, each as ``create_item`` does, in a few statements for them all (an
    import's chunk); a refusal of one of them names it (``items.N.``) and makes none."""
    rows = item_creation.add_items(session, actor, items=items)
    created = [
        (
            row.id,
            {"item_code": row.item_code, "article_number": row.article_number, "name": row.name},
        )
        for row in rows
    ]
    audit.record_many(session, actor, "item.created", "item", created)
    stocked = False
    for n, (row, item) in enumerate(zip(rows, items, strict=True)):
        opening = opening_stock_of(item)
        if opening is not None:
            with item_creation.named(n if len(items) > 1 else None):
                _post_opening_stock(session, actor, row, opening)
            stocked = True
    views = _views(session, actor, rows, variants=True, images=True, stocked=stocked)
    return [_announce(session, actor, "item.created", view) for view in views]


def update_item(
    session: Session,
    actor: Actor,
    *,
    item_id: str,
    changes: ItemChanges,
    types: Collection[str] | None = None,
    prices_by_group: bool = False,
) -> ItemView:
    """Changes what is sent. An item that holds stock cannot stop being a tracked stock item
    or change between plain, batch and serial tracking (``ItemHasStock``). With ``types``, as
    ``get_item``. The prices sent replace the item's list, or with ``prices_by_group`` only
    its prices in the groups they name (as Sage's clients expect)."""
    item = _item(session, actor, item_id, types)
    _check_tracking(session, actor, item, changes)
    catalog.change_item(session, actor, item=item, changes=changes, prices_by_group=prices_by_group)
    audit.record(session, actor, "item.updated", "item", item.id, **sent(changes))
    return _announce(session, actor, "item.updated", _view(session, actor, item))


def delete_item(
    session: Session, actor: Actor, *, item_id: str, types: Collection[str] | None = None
) -> bool:
    """Deletes the item, or deactivates it when stock history refers to it; says which.
    With ``types``, as ``get_item``."""
    item = _item(session, actor, item_id, types)
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


# --- opening stock -----------------------------------------------------------------------

_OPENING = "inventory.opening_stock"


def _post_opening_stock(session: Session, actor: Actor, item: Item, opening: OpeningStock) -> None:
    """Posts the item's opening stock from the opening balances to its warehouse or store
    (the company's default warehouse unless it names one), today, at its unit cost (else the
    item's cost price), with its batches or serial numbers."""
    _refuse_unstocked(item)
    location = location_or_default(
        session,
        actor,
        opening.location_id,
        f"{_OPENING}.location_id",
        missing="required: the company has no default warehouse",
        detail="the opening stock names no location and the company has no default warehouse",
    )
    if opening.bin_id is not None:
        check_bins(session, actor.company_id, [(f"{_OPENING}.bin_id", opening.bin_id, location)])
    company = get_company(session, actor.company_id)
    line = ledger.Line(
        item_id=item.id,
        quantity=opening.quantity,
        from_location_id=virtual_locations(session, actor.company_id)["opening"],
        to_location_id=location.id,
        to_bin_id=opening.bin_id,
        unit_cost=opening.unit_cost,
        movement_type="opening_stock",
        reason="initial_stock",
        field=_OPENING,
    )
    [posted], _ = lots.post(
        session,
        actor,
        document=_opening_document(item, company_today(company)),
        lines=[(line, lots.Lots.given(opening))],
        allow_negative=company.allow_negative_stock,
    )
    audit.record(
        session,
        actor,
        "item.opening_stock_posted",
        "item",
        item.id,
        location_id=location.id,
        quantity=opening.quantity,
        unit_cost=posted.unit_cost,
        total_value=posted.value,
    )


def _opening_document(item: Item, today: date) -> ledger.Document:
    """The item is the document of its opening stock: its movements name it by its article
    number, and its code is their reference."""
    return ledger.Document(
        type="item",
        id=item.id,
        effective_date=today,
        number=item.article_number,
        reference=item.item_code,
    )


def _refuse_unstocked(item: Item) -> None:
    """Only a tracked stock item, active, holds stock: said of the opening stock itself."""
    if item.type != "inventory" or not item.tracked:
        message = f"a {item.type.replace('_', '-')} item whose stock is not tracked holds none"
        raise ItemCannotMove([field_error(_OPENING, message, "not_stocked")])
    if not item.is_active:
        message = "an inactive item takes no stock"
        raise ItemCannotMove([field_error(_OPENING, message, "inactive_item")])


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


def _item(session: Session, actor: Actor, item_id: str, types: Collection[str] | None) -> Item:
    item = catalog.get_item(session, actor, item_id=item_id)
    if types is not None and item.type not in types:
        raise NotFound("item", item_id)
    return item


def item_views(session: Session, actor: Actor, *, item_ids: Sequence[str]) -> dict[str, ItemView]:
    """The items of these ids (of the actor's company; others are left out), as
    ``get_item`` shows them, in a fixed number of queries: for reads that show items whole
    beside other rows."""
    # as they now stand: the ledger's statements of this unit of work may have changed them
    items = session.scalars(
        select(Item)
        .where(Item.company_id == actor.company_id, Item.id.in_(set(item_ids)))
        .execution_options(populate_existing=True)
    ).all()
    return {
        view.item.id: view for view in _views(session, actor, items, variants=True, images=True)
    }


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
    stocked: bool = True,
) -> list[ItemView]:
    """Items with their related rows and stock figures, in a fixed number of queries; items
    not ``stocked`` (new ones without opening stock) have no stock to read."""
    details = load_item_details(
        session, actor.company_id, items, variants=variants, images=images, categories=tree
    )
    stock = item_stock(session, actor.company_id, [i.id for i in items]) if stocked else {}
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
