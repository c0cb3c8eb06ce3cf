"""Items and their variants, prices and images: validation and writes.

Item codes and barcodes are unique in a company across items and variants together, since
either identifies what is being counted or scanned.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, or_, select
from sqlalchemy.orm import Session

from stockkeeper.catalog.errors import duplicate, unknown_reference
from stockkeeper.catalog.models import (
    Category,
    Item,
    ItemImage,
    ItemPrice,
    ItemVariant,
    PriceGroup,
    Supplier,
)
from stockkeeper.catalog.service.common import apply, exists, get_owned, try_delete
from stockkeeper.core.errors import Invalid, NotFound, field_error
from stockkeeper.core.ids import new_id
from stockkeeper.tenancy.service import Actor, get_company, validate_currency

GOODS = ("inventory", "non_inventory")
_PRICE_KIND = {
    "inventory": "sales_price",
    "non_inventory": "sales_price",
    "service": "service_rate",
}
_REQUIRED = (
    "item_code",
    "name",
    "type",
    "unit",
    "cost_price",
    "selling_price",
    "currency",
    "tracked",
    "taxable",
    "is_active",
)


def get_item(session: Session, actor: Actor, *, item_id: str) -> Item:
    return get_owned(session, Item, actor.company_id, item_id, "item")


def _columns(values: dict[str, Any]) -> dict[str, Any]:
    """Flattens the nested request shape into item columns (only what was sent)."""
    columns = {
        k: v
        for k, v in values.items()
        if k
        not in ("pricing", "inventory", "dimensions", "tax", "images", "variants", "custom_fields")
    }
    pricing = values.get("pricing") or {}
    columns.update(
        {
            k: pricing[k]
            for k in ("cost_price", "standard_cost", "selling_price", "currency")
            if k in pricing
        }
    )
    columns.update(values.get("inventory") or {})
    columns.update(values.get("tax") or {})
    if "dimensions" in values:
        dims = values["dimensions"] or {}
        columns.update(
            length=dims.get("length"),
            width=dims.get("width"),
            height=dims.get("height"),
            dimension_unit=dims.get("unit") if dims else None,
        )
    return columns


def _check_codes(
    session: Session,
    company_id: str,
    *,
    item_code: str | None,
    barcode: str | None,
    field_prefix: str = "",
    exclude: str | None = None,
) -> None:
    for field, value in (("itemCode", item_code), ("barcode", barcode)):
        if value is None:
            continue
        column = "item_code" if field == "itemCode" else "barcode"
        taken = [
            session.scalar(
                select(model.id)
                .where(
                    model.company_id == company_id,
                    getattr(model, column) == value,
                    model.id != (exclude or ""),
                )
                .limit(1)
            )
            for model in (Item, ItemVariant)
        ]
        if any(taken):
            raise duplicate(field_prefix + field, value)


def _check_references(session: Session, company_id: str, columns: dict[str, Any]) -> None:
    if columns.get("category_id") is not None and not exists(
        session, Category, company_id, id=columns["category_id"]
    ):
        raise unknown_reference("categoryId", "category", columns["category_id"])
    if columns.get("supplier_id") is not None and not exists(
        session, Supplier, company_id, id=columns["supplier_id"]
    ):
        raise unknown_reference("supplierId", "supplier", columns["supplier_id"])
    if columns.get("currency") is not None:
        validate_currency(columns["currency"], "pricing.currency")


def _check_rules(item: Item) -> None:
    errors = []
    if item.type != "inventory" and item.tracked:
        errors.append(field_error("inventory.tracked", f"a {item.type} item cannot be tracked"))
    if item.tracking != "none" and not (item.type == "inventory" and item.tracked):
        errors.append(
            field_error("inventory.tracking", "only tracked stock items have batches or serials")
        )
    if (
        item.minimum_stock is not None
        and item.maximum_stock is not None
        and item.minimum_stock > item.maximum_stock
    ):
        errors.append(field_error("inventory.maximumStock", "must not be below minimumStock"))
    if errors:
        raise Invalid("; ".join(e.message for e in errors), errors=errors)


def _set_prices(session: Session, item: Item, prices: list[dict[str, Any]]) -> None:
    ids = [p["group_id"] for p in prices]
    if len(set(ids)) != len(ids):
        raise Invalid(
            "a price group appears twice",
            errors=[field_error("pricing.priceGroups", "duplicate groupId")],
        )
    groups = {
        g.id: g
        for g in session.scalars(
            select(PriceGroup).where(
                PriceGroup.company_id == item.company_id, PriceGroup.id.in_(ids)
            )
        )
    }
    for index, group_id in enumerate(ids):
        group = groups.get(group_id)
        if group is None:
            raise unknown_reference(f"pricing.priceGroups.{index}.groupId", "price group", group_id)
        if group.kind != _PRICE_KIND[item.type]:
            raise Invalid(
                f"price group {group.name!r} is a {group.kind}; a {item.type} item takes "
                f"{_PRICE_KIND[item.type]} groups",
                errors=[field_error(f"pricing.priceGroups.{index}.groupId", "wrong kind of group")],
            )
    session.execute(
        delete(ItemPrice).where(
            ItemPrice.company_id == item.company_id, ItemPrice.item_id == item.id
        )
    )
    session.add_all(
        ItemPrice(
            company_id=item.company_id,
            item_id=item.id,
            price_group_id=p["group_id"],
            price=p["price"],
        )
        for p in prices
    )


def _set_images(session: Session, item: Item, images: list[dict[str, Any]]) -> None:
    session.execute(
        delete(ItemImage).where(
            ItemImage.company_id == item.company_id, ItemImage.item_id == item.id
        )
    )
    has_primary = any(i.get("is_primary") for i in images)
    session.add_all(
        ItemImage(
            id=new_id("img"),
            company_id=item.company_id,
            item_id=item.id,
            url=i["url"],
            is_primary=bool(i.get("is_primary")) or (not has_primary and n == 0),
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


def refresh_search_text(session: Session, item: Item) -> None:
    variants = session.execute(
        select(ItemVariant.item_code, ItemVariant.barcode, ItemVariant.name).where(
            ItemVariant.company_id == item.company_id, ItemVariant.item_id == item.id
        )
    ).all()
    parts = [item.item_code, item.barcode, item.name, item.description]
    parts += [value for row in variants for value in row]
    item.search_text = " ".join(p for p in parts if p).lower()


def create_item(session: Session, actor: Actor, *, values: dict[str, Any]) -> Item:
    company = get_company(session, actor.company_id)
    columns = _columns(values)
    _check_codes(
        session, actor.company_id, item_code=columns["item_code"], barcode=columns.get("barcode")
    )
    _check_references(session, actor.company_id, columns)
    columns.setdefault("tracked", columns["type"] == "inventory")
    columns.setdefault("tracking", "none")
    columns["accounting"] = _merge(None, columns.get("accounting") or {})
    item = Item(
        id=new_id("item"),
        company_id=actor.company_id,
        unit="pcs",
        cost_price=0,
        selling_price=0,
        currency=company.currency,
        taxable=True,
        is_active=True,
        search_text="",
        custom_fields=_merge(None, values.get("custom_fields") or {}),
    )
    apply(item, columns, required=_REQUIRED)
    _check_rules(item)
    session.add(item)
    session.flush()
    for index, variant in enumerate(values.get("variants") or []):
        _add_variant(session, item, variant, field_prefix=f"variants.{index}.")
    _set_prices(session, item, (values.get("pricing") or {}).get("price_groups") or [])
    _set_images(session, item, values.get("images") or [])
    refresh_search_text(session, item)
    session.flush()
    return item


def update_item(session: Session, actor: Actor, *, item_id: str, values: dict[str, Any]) -> Item:
    item = get_item(session, actor, item_id=item_id)
    columns = _columns(values)
    _check_codes(
        session,
        actor.company_id,
        item_code=columns.get("item_code"),
        barcode=columns.get("barcode"),
        exclude=item.id,
    )
    _check_references(session, actor.company_id, columns)
    if columns.get("type") not in (None, item.type):
        if columns["type"] == "service" and _has_variants(session, item):
            raise Invalid(
                "a service cannot have variants; delete them first",
                errors=[field_error("type", "item has variants")],
            )
        columns.setdefault("tracked", columns["type"] == "inventory")
        if _PRICE_KIND[columns["type"]] != _PRICE_KIND[item.type]:
            _set_prices(session, item, [])  # sales prices do not carry over to service rates
    if "accounting" in columns:
        columns["accounting"] = _merge(item.accounting, columns["accounting"] or {})
    apply(item, columns, required=_REQUIRED)
    if "custom_fields" in values:
        item.custom_fields = _merge(item.custom_fields, values["custom_fields"] or {})
    _check_rules(item)
    pricing = values.get("pricing") or {}
    if pricing.get("price_groups") is not None:
        _set_prices(session, item, pricing["price_groups"])
    if values.get("images") is not None:
        _set_images(session, item, values["images"])
    refresh_search_text(session, item)
    session.flush()
    return item


def delete_item(session: Session, actor: Actor, *, item_id: str) -> bool:
    """Deletes the item, or deactivates it when stock history refers to it; says which."""
    item = get_item(session, actor, item_id=item_id)
    if try_delete(session, item):
        return True
    item.is_active = False
    session.flush()
    return False


# --- variants -----------------------------------------------------------------------------


def _has_variants(session: Session, item: Item) -> bool:
    return exists(session, ItemVariant, item.company_id, item_id=item.id)


def _add_variant(
    session: Session, item: Item, values: dict[str, Any], field_prefix: str = ""
) -> ItemVariant:
    if item.type not in GOODS:
        raise Invalid(
            "a service has no variants", errors=[field_error("variants", "not for services")]
        )
    _check_codes(
        session,
        item.company_id,
        item_code=values["item_code"],
        barcode=values.get("barcode"),
        field_prefix=field_prefix,
    )
    variant = ItemVariant(
        id=new_id("var"),
        company_id=item.company_id,
        item_id=item.id,
        **{"attributes": {}, "is_active": True, **values},
    )
    session.add(variant)
    session.flush()
    return variant


def get_variant(session: Session, actor: Actor, *, item_id: str, variant_id: str) -> ItemVariant:
    variant = get_owned(session, ItemVariant, actor.company_id, variant_id, "variant")
    if variant.item_id != item_id:
        raise NotFound("variant", variant_id)
    return variant


def create_variant(
    session: Session, actor: Actor, *, item_id: str, values: dict[str, Any]
) -> ItemVariant:
    item = get_item(session, actor, item_id=item_id)
    variant = _add_variant(session, item, values)
    refresh_search_text(session, item)
    session.flush()
    return variant


def update_variant(
    session: Session, actor: Actor, *, item_id: str, variant_id: str, values: dict[str, Any]
) -> ItemVariant:
    item = get_item(session, actor, item_id=item_id)
    variant = get_variant(session, actor, item_id=item_id, variant_id=variant_id)
    _check_codes(
        session,
        actor.company_id,
        item_code=values.get("item_code"),
        barcode=values.get("barcode"),
        exclude=variant.id,
    )
    apply(variant, values, required=("name", "item_code", "attributes", "is_active"))
    refresh_search_text(session, item)
    session.flush()
    return variant


def delete_variant(session: Session, actor: Actor, *, item_id: str, variant_id: str) -> bool:
    item = get_item(session, actor, item_id=item_id)
    variant = get_variant(session, actor, item_id=item_id, variant_id=variant_id)
    if try_delete(session, variant):
        refresh_search_text(session, item)
        session.flush()
        return True
    variant.is_active = False
    session.flush()
    return False


def item_ids_with_code(session: Session, company_id: str, code: str) -> list[str]:
    """Items whose own or variant code or barcode is exactly ``code``."""
    own = select(Item.id).where(
        Item.company_id == company_id, or_(Item.item_code == code, Item.barcode == code)
    )
    via_variant = select(ItemVariant.item_id).where(
        ItemVariant.company_id == company_id,
        or_(ItemVariant.item_code == code, ItemVariant.barcode == code),
    )
    return list(session.scalars(own.union(via_variant)))
