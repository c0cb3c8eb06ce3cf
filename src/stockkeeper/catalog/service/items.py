"""Items and their variants, prices and images: the catalogue's checks and writes. The item
use cases (``stock/service/items.py``) call them, adding what stock forbids, the audit rows
and the events.

Item codes and barcodes are unique in a company across items and variants together, since
either identifies what is being counted or scanned.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import delete, or_, select
from sqlalchemy.orm import Session

from stockkeeper.accounting.service.common import SHOWN_USERS, account_users, tax_rate_users
from stockkeeper.accounting.service.references import check_references
from stockkeeper.catalog.models import (
    Category,
    Item,
    ItemImage,
    ItemPrice,
    ItemVariant,
    PriceGroup,
    Supplier,
)
from stockkeeper.catalog.service.common import apply, exists, get_owned, sent, try_delete
from stockkeeper.catalog.values import (
    GroupPrice,
    Image,
    ItemChanges,
    ItemContent,
    ItemDimensions,
    NewItem,
    NewVariant,
    VariantChanges,
)
from stockkeeper.core.errors import Duplicate, Invalid, NotFound, UnknownReference, field_error
from stockkeeper.core.ids import new_id
from stockkeeper.tenancy.service import Actor, get_company, validate_currency

GOODS = ("inventory", "non_inventory")
_PRICE_KIND = dict.fromkeys(GOODS, "sales_price") | {"service": "service_rate"}
# the columns an update may not set to null, and where the values hold each
_REQUIRED = {
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
}
# the values' own fields that are item columns as they are
_COLUMNS = [
    "item_code",
    "name",
    "type",
    "barcode",
    "description",
    "category_id",
    "unit",
    "weight",
    "supplier_id",
    "supplier_item_code",
    "lead_time_days",
    "is_active",
]


# --- what items name in the chart of accounts and the tax rates ---------------------------

ACCOUNT_FIELDS = ("income_account_id", "expense_account_id", "asset_account_id")
TAX_CODES = ("sales_tax_code", "purchase_tax_code")


def _items_naming_account(session: Session, company_id: str, refs: tuple[str, str]) -> list[str]:
    """Items name an account by its id or its code, in their accounting."""
    named = [Item.accounting[name].as_string().in_(refs) for name in ACCOUNT_FIELDS]
    return _item_codes(session, company_id, or_(*named))


def _items_naming_tax_rate(session: Session, company_id: str, refs: tuple[str, str]) -> list[str]:
    named = [getattr(Item, name).in_(refs) for name in TAX_CODES]
    return _item_codes(session, company_id, or_(*named))


def _item_codes(session: Session, company_id: str, condition: Any) -> list[str]:
    statement = select(Item.item_code).where(Item.company_id == company_id, condition)
    codes = session.scalars(statement.order_by(Item.item_code).limit(SHOWN_USERS + 1))
    return [f"item {code}" for code in codes]


account_users.append(_items_naming_account)
tax_rate_users.append(_items_naming_tax_rate)


def get_item(session: Session, actor: Actor, *, item_id: str) -> Item:
    return get_owned(session, Item, actor.company_id, item_id, "item")


def get_variant(session: Session, actor: Actor, *, item_id: str, variant_id: str) -> ItemVariant:
    variant = get_owned(session, ItemVariant, actor.company_id, variant_id, "variant")
    if variant.item_id != item_id:
        raise NotFound("variant", variant_id)
    return variant


def add_item(session: Session, actor: Actor, *, item: NewItem) -> Item:
    """Checks a new item and writes it, with its variants, prices and images."""
    company = get_company(session, actor.company_id)
    columns = _columns(item)
    _check_codes(session, actor.company_id, item_code=item.item_code, barcode=item.barcode)
    _check_references(session, actor.company_id, columns)
    columns.setdefault("tracked", item.type == "inventory")
    columns.setdefault("tracking", "none")
    columns["accounting"] = _merge(None, columns.get("accounting") or {})
    row = Item(
        id=new_id("item"),
        company_id=actor.company_id,
        unit="pcs",
        cost_price=0,
        selling_price=0,
        currency=company.currency,
        taxable=True,
        is_active=True,
        search_text="",
        custom_fields=_merge(None, item.custom_fields or {}),
    )
    apply(row, columns, required=_REQUIRED)
    _check_rules(row)
    session.add(row)
    session.flush()
    for n, variant in enumerate(item.variants or ()):
        _insert_variant(session, row, variant, at=f"variants.{n}.")
    _set_prices(session, row, _price_groups(item) or ())
    _set_images(session, row, item.images or ())
    refresh_search_text(session, row)
    session.flush()
    return row


def change_item(session: Session, actor: Actor, *, item: Item, changes: ItemChanges) -> Item:
    """Checks an update of the item and writes it; what it does not send is kept."""
    columns = _columns(changes)
    _check_codes(
        session,
        actor.company_id,
        item_code=changes.item_code,
        barcode=changes.barcode,
        exclude=item.id,
    )
    _check_references(session, actor.company_id, columns)
    if changes.type not in (None, item.type):
        if changes.type == "service" and exists(
            session, ItemVariant, item.company_id, item_id=item.id
        ):
            raise Invalid(
                "a service cannot have variants; delete them first",
                errors=[field_error("type", "item has variants", "contradicts_item")],
            )
        columns.setdefault("tracked", changes.type == "inventory")
        if _PRICE_KIND[changes.type] != _PRICE_KIND[item.type]:
            _set_prices(session, item, ())  # sales prices do not carry over to service rates
    if "accounting" in columns:
        columns["accounting"] = _merge(item.accounting, columns["accounting"])
    apply(item, columns, required=_REQUIRED)
    if changes.given("custom_fields"):
        item.custom_fields = _merge(item.custom_fields, changes.custom_fields or {})
    _check_rules(item)
    prices = _price_groups(changes)
    if prices is not None:
        _set_prices(session, item, prices)
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
    parts = [item.item_code, item.barcode, item.name, item.description]
    parts += [value for row in variants for value in row]
    item.search_text = " ".join(p for p in parts if p).lower()


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
    row = ItemVariant(
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
    session.add(row)
    session.flush()
    return row


# --- checking and writing the content -----------------------------------------------------


def _columns(item: ItemContent) -> dict[str, Any]:
    """The item columns the values send, out of their nested shape."""
    columns = {name: getattr(item, name) for name in _COLUMNS if item.given(name)}
    if item.pricing is not None:
        columns |= item.pricing.model_dump(exclude_unset=True, exclude={"price_groups"})
    for part in (item.inventory, item.tax):
        if part is not None:
            columns |= sent(part)
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


def _price_groups(item: ItemContent) -> Sequence[GroupPrice] | None:
    return item.pricing.price_groups if item.pricing is not None else None


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


def _check_references(session: Session, company_id: str, columns: dict[str, Any]) -> None:
    for field, model, what in (
        ("category_id", Category, "category"),
        ("supplier_id", Supplier, "supplier"),
    ):
        ident = columns.get(field)
        if ident is not None and not exists(session, model, company_id, id=ident):
            raise UnknownReference.at(field, what, ident)
    if columns.get("currency") is not None:
        validate_currency(columns["currency"], "pricing.currency")
    accounts = {
        f"accounting.{name}": ref for name, ref in (columns.get("accounting") or {}).items() if ref
    }
    rates = {f"tax.{name}": columns[name] for name in TAX_CODES if columns.get(name)}
    check_references(
        session,
        company_id,
        accounts=accounts,
        tax_rates=rates,
        uses={"tax.sales_tax_code": "sales", "tax.purchase_tax_code": "purchases"},
    )


def _check_rules(item: Item) -> None:
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


def _set_prices(session: Session, item: Item, prices: Sequence[GroupPrice]) -> None:
    """Replaces the item's prices, each in a price group of the kind its type takes."""
    ids = [p.group_id for p in prices]
    if len(set(ids)) != len(ids):
        raise Invalid(
            "a price group appears twice",
            errors=[field_error("pricing.price_groups", "the same group twice", "duplicate")],
        )
    groups = {
        g.id: g
        for g in session.scalars(
            select(PriceGroup).where(
                PriceGroup.company_id == item.company_id, PriceGroup.id.in_(ids)
            )
        )
    }
    kind = _PRICE_KIND[item.type]
    for index, group_id in enumerate(ids):
        at = f"pricing.price_groups.{index}.group_id"
        group = groups.get(group_id)
        if group is None:
            raise UnknownReference.at(at, "price group", group_id)
        if group.kind != kind:
            raise Invalid(
                f"price group {group.name!r} is a {group.kind}; a {item.type} item takes "
                f"{kind} groups",
                errors=[field_error(at, "wrong kind of group")],
            )
    session.execute(
        delete(ItemPrice).where(
            ItemPrice.company_id == item.company_id, ItemPrice.item_id == item.id
        )
    )
    session.add_all(
        ItemPrice(
            company_id=item.company_id, item_id=item.id, price_group_id=p.group_id, price=p.price
        )
        for p in prices
    )


def _set_images(session: Session, item: Item, images: Sequence[Image]) -> None:
    """Replaces the item's images; the first is primary unless one is said to be."""
    session.execute(
        delete(ItemImage).where(
            ItemImage.company_id == item.company_id, ItemImage.item_id == item.id
        )
    )
    has_primary = any(i.is_primary for i in images)
    session.add_all(
        ItemImage(
            id=new_id("img"),
            company_id=item.company_id,
            item_id=item.id,
            url=i.url,
            is_primary=i.is_primary or (not has_primary and n == 0),
            position=n,
        )
        for n, i in enumerate(images)
    )


def _merge(current: dict[str, Any] | None, patch: dict[str, Any]) -> dict[str, Any]:
    """JSON merge patch: sent keys replace, keys sent as null are removed."""
    merged = dict(current or {})
    for key, value in patch.items():
        if value is None:
            merged.pop(key, None)
        else:
            merged[key] = value
    return merged
