"""Items and their variants, prices and images: the catalogue's checks and writes. The item
use cases (``stock/service/items.py``) call them, adding what stock forbids, the audit rows
and the events.

Item codes and barcodes are unique in a company across items and variants together, since
either identifies what is being counted or scanned. Every item also gets an article number
from the company's item sequence (``ART_PRODUCT001``, ...), taken in the transaction that
makes it and never changed. New items are checked and written in ``item_creation``, with
the checks kept here.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from stockkeeper.catalog.models import Item, ItemImage, ItemVariant
from stockkeeper.catalog.service.common import apply, exists, get_owned, sent, try_delete
from stockkeeper.catalog.service.item_prices import (
    GOODS,
    PRICE_KIND,
    CheckedPrices,
    check_prices,
    drop_prices,
    set_prices,
)
from stockkeeper.catalog.service.item_references import check_item_references
from stockkeeper.catalog.values import (
    Image,
    ItemChanges,
    ItemContent,
    ItemDimensions,
    NewVariant,
    StockRules,
    VariantChanges,
)
from stockkeeper.core.errors import Duplicate, Invalid, NotFound, field_error
from stockkeeper.core.ids import new_id
from stockkeeper.tenancy.service import Actor

# the columns an update may not set to null, and where the values hold each
REQUIRED = {
    "item_code": "item_code",
    "name": "name",
    "type": "type",
    "unit": "unit",
    "cost_price": "pricing.cost_price",
    "selling_price": "pricing.selling_price",
    "currency": "pricing.currency",
    "tracked": "inventory.tracked",
    "taxable": "tax.taxable",
    "is_active": "is_active",
    "purchasable": "purchasable",
    "sellable": "sellable",
}
_STOCK_RULES = set(StockRules.model_fields)
# the values' own fields that are item columns as they are
_COLUMNS = [
    "item_code",
    "name",
    "type",
    "barcode",
    "description",
    "purchase_description",
    "notes",
    "source_guid",
    "category_id",
    "unit",
    "weight",
    "supplier_id",
    "supplier_item_code",
    "lead_time_days",
    "is_active",
    "purchasable",
    "sellable",
]


def get_item(session: Session, actor: Actor, *, item_id: str) -> Item:
    return get_owned(session, Item, actor.company_id, item_id, "item")


def get_variant(session: Session, actor: Actor, *, item_id: str, variant_id: str) -> ItemVariant:
    variant = get_owned(session, ItemVariant, actor.company_id, variant_id, "variant")
    if variant.item_id != item_id:
        raise NotFound("variant", variant_id)
    return variant


def change_item(
    session: Session,
    actor: Actor,
    *,
    item: Item,
    changes: ItemChanges,
    prices_by_group: bool = False,
) -> Item:
    """Checks an update of the item and writes it; what it does not send is kept (its prices
    in the groups not named too, with ``prices_by_group``)."""
    columns = item_columns(changes)
    _check_codes(
        session,
        actor.company_id,
        item_code=changes.item_code,
        barcode=changes.barcode,
        exclude=item.id,
    )
    check_item_references(session, actor.company_id, columns)
    if changes.type not in (None, item.type):
        if changes.type == "service" and exists(
            session, ItemVariant, item.company_id, item_id=item.id
        ):
            raise Invalid(
                "a service cannot have variants; delete them first",
                errors=[field_error("type", "item has variants", "contradicts_item")],
            )
        columns.setdefault("tracked", changes.type == "inventory")
        if PRICE_KIND[changes.type] != PRICE_KIND[item.type]:
            drop_prices(session, item)  # sales prices do not carry over to service rates
    if "accounting" in columns:
        columns["accounting"] = merge(item.accounting, columns["accounting"])
    apply(item, columns, required=REQUIRED)
    if changes.given("custom_fields"):
        item.custom_fields = merge(item.custom_fields, changes.custom_fields or {})
    check_rules(item)
    prices = checked_prices(session, item, changes)
    if prices is not None:
        set_prices(session, item, prices, by_group=prices_by_group)
    if changes.images is not None:
        _set_images(session, item, changes.images)
    refresh_search_text(session, item)
    session.flush()
    return item


def remove_item(session: Session, item: Item) -> bool:
    """Deletes the item, or deactivates it when stock history refers to it; says which."""
    if try_delete(session, item):
        return True
    item.is_active = False
    session.flush()
    return False


def refresh_search_text(session: Session, item: Item) -> None:
    variants = session.execute(
        select(ItemVariant.item_code, ItemVariant.barcode, ItemVariant.name).where(
            ItemVariant.company_id == item.company_id, ItemVariant.item_id == item.id
        )
    ).all()
    item.search_text = search_text(item, variants)


def search_text(item: Item, variants: Sequence[Any]) -> str:
    """What a search matches: the item's codes, name and description, and its variants'."""
    parts = [item.item_code, item.barcode, item.name, item.description]
    parts += [value for v in variants for value in (v.item_code, v.barcode, v.name)]
    return " ".join(p for p in parts if p).lower()


# --- variants -----------------------------------------------------------------------------


def add_variant(session: Session, *, item: Item, variant: NewVariant) -> ItemVariant:
    row = _insert_variant(session, item, variant)
    refresh_search_text(session, item)
    session.flush()
    return row


def change_variant(
    session: Session, *, item: Item, variant: ItemVariant, changes: VariantChanges
) -> ItemVariant:
    _check_codes(
        session,
        item.company_id,
        item_code=changes.item_code,
        barcode=changes.barcode,
        exclude=variant.id,
    )
    apply(variant, sent(changes), required=("name", "item_code", "attributes", "is_active"))
    refresh_search_text(session, item)
    session.flush()
    return variant


def remove_variant(session: Session, *, item: Item, variant: ItemVariant) -> bool:
    """Deletes the variant, or deactivates it when stock history refers to it; says which."""
    if try_delete(session, variant):
        refresh_search_text(session, item)
        session.flush()
        return True
    variant.is_active = False
    session.flush()
    return False


def _insert_variant(session: Session, item: Item, variant: NewVariant, at: str = "") -> ItemVariant:
    if item.type not in GOODS:
        raise Invalid(
            "a service has no variants",
            errors=[field_error("variants", "not for services", "contradicts_item")],
        )
    _check_codes(
        session, item.company_id, item_code=variant.item_code, barcode=variant.barcode, at=at
    )
    row = variant_row(item, variant)
    session.add(row)
    session.flush()
    return row


def variant_row(item: Item, variant: NewVariant) -> ItemVariant:
    return ItemVariant(
        id=new_id("var"),
        company_id=item.company_id,
        item_id=item.id,
        name=variant.name,
        item_code=variant.item_code,
        barcode=variant.barcode,
        attributes=dict(variant.attributes),
        cost_price=variant.cost_price,
        selling_price=variant.selling_price,
        is_active=variant.is_active,
    )


# --- checking and writing the content -----------------------------------------------------


def item_columns(item: ItemContent) -> dict[str, Any]:
    """The item columns the values send, out of their nested shape."""
    columns = {name: getattr(item, name) for name in _COLUMNS if item.given(name)}
    if item.pricing is not None:
        columns |= item.pricing.model_dump(exclude_unset=True, exclude={"price_groups"})
    if item.inventory is not None:  # its own fields: a face's may carry more (opening stock)
        columns |= item.inventory.model_dump(exclude_unset=True, include=_STOCK_RULES)
    if item.tax is not None:
        columns |= sent(item.tax)
    if item.given("dimensions"):
        columns |= _dimensions(item.dimensions)
    if item.given("accounting"):
        columns["accounting"] = sent(item.accounting) if item.accounting else {}
    return columns


def _dimensions(size: ItemDimensions | None) -> dict[str, Any]:
    if size is None:
        return dict.fromkeys(("length", "width", "height", "dimension_unit"))
    return {
        "length": size.length,
        "width": size.width,
        "height": size.height,
        "dimension_unit": size.unit,
    }


def checked_prices(session: Session, item: Item, values: ItemContent) -> CheckedPrices | None:
    """The prices the values send, checked for the item as it would be; None when none are."""
    pricing = values.pricing
    if pricing is None or pricing.price_groups is None:
        return None
    selling = pricing.selling_price if pricing.given("selling_price") else None
    return check_prices(
        session, item.company_id, item.type, pricing.price_groups, selling_price=selling
    )


def _check_codes(
    session: Session,
    company_id: str,
    *,
    item_code: str | None,
    barcode: str | None,
    at: str = "",
    exclude: str | None = None,
) -> None:
    """``at`` is where the codes lie in the values (``variants.0.``)."""
    for field, value in (("item_code", item_code), ("barcode", barcode)):
        if value is None:
            continue
        taken = [
            session.scalar(
                select(model.id)
                .where(
                    model.company_id == company_id,
                    getattr(model, field) == value,
                    model.id != (exclude or ""),
                )
                .limit(1)
            )
            for model in (Item, ItemVariant)
        ]
        if any(taken):
            raise Duplicate(field, value, "an item", at=at + field)


def check_rules(item: Item) -> None:
    errors = []
    # rules of the item as it would be, its type and tracking read together: the document
    # states each field alone (rules across fields would break generated clients' models)
    if item.type != "inventory" and item.tracked:
        message = f"a {item.type} item cannot be tracked"
        errors.append(field_error("inventory.tracked", message, "contradicts_item"))
    if item.tracking != "none" and not (item.type == "inventory" and item.tracked):
        message = "only tracked stock items have batches or serials"
        errors.append(field_error("inventory.tracking", message, "contradicts_item"))
    if (
        item.minimum_stock is not None
        and item.maximum_stock is not None
        and item.minimum_stock > item.maximum_stock
    ):
        message = "must not be below the minimum stock"
        errors.append(field_error("inventory.maximum_stock", message, "below_minimum"))
    if errors:
        raise Invalid("; ".join(e.message for e in errors), errors=errors)


def _set_images(session: Session, item: Item, images: Sequence[Image]) -> None:
    """Replaces the item's images; the first is primary unless one is said to be."""
    session.execute(
        delete(ItemImage).where(
            ItemImage.company_id == item.company_id, ItemImage.item_id == item.id
        )
    )
    session.add_all(image_rows(item, images))


def image_rows(item: Item, images: Sequence[Image]) -> list[ItemImage]:
    """The first image is primary unless one is said to be."""
    has_primary = any(i.is_primary for i in images)
    return [
        ItemImage(
            id=new_id("img"),
            company_id=item.company_id,
            item_id=item.id,
            url=i.url,
            is_primary=i.is_primary or (not has_primary and n == 0),
            position=n,
        )
        for n, i in enumerate(images)
    ]


def merge(current: dict[str, Any] | None, patch: dict[str, Any]) -> dict[str, Any]:
    """JSON merge patch: sent keys replace, keys sent as null are removed."""
    merged = dict(current or {})
    for key, value in patch.items():
        if value is None:
            merged.pop(key, None)
        else:
            merged[key] = value
    return merged
