"""smallbiz's catalogue requests into the services' typed values: integer ids back to the
records they number, products to stock items (``sku`` the item code, ``price`` the selling
price, ``purchase_price`` the cost price, ``ean_code`` the barcode, ``low_stock_threshold``
the minimum stock, ``vat_rate_id`` the sales tax rate, ``quantity_on_hand`` the opening
stock), categories as they are, and the lists' filters."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from sqlalchemy.orm import Session

from stockkeeper.catalog.values import CategoryChanges, ItemChanges, NewCategory
from stockkeeper.compat.smallbiz import ids
from stockkeeper.compat.smallbiz.catalog_schemas import (
    DEFAULT_LOW_STOCK,
    CategoryCreate,
    CategoryUpdate,
    ProductCreate,
    ProductFields,
    ProductQuery,
    ProductUpdate,
    TransactionQuery,
)
from stockkeeper.compat.smallbiz.paging import Paging
from stockkeeper.core.errors import FieldError, Invalid
from stockkeeper.stock.values import ItemListing, MovementFilters, NewStockItem
from stockkeeper.tenancy.service import Actor

V = TypeVar("V", bound=BaseModel)

EVERYTHING = 1_000_000_000  # the rows a list takes when no page is asked for: all of them


def window(paging: Paging) -> tuple[int, int]:
    """The rows to skip and to take, for a service that takes an offset and a limit."""
    skip, take = paging.window()
    return skip, EVERYTHING if take is None else take


# --- products -----------------------------------------------------------------------------


def product_listing(session: Session, actor: Actor, query: ProductQuery) -> ItemListing:
    """Active stock items by name; ``search`` finds names (and codes and barcodes)."""
    supplier = ids.optional(session, actor, "supplier", query.supplier_id)
    given = {"search": query.search, "supplier": supplier}
    return _checked(
        ItemListing,
        {"type": "inventory", "active": True} | {k: v for k, v in given.items() if v is not None},
    )


def new_item(session: Session, actor: Actor, body: ProductCreate) -> NewStockItem:
    content = _content(session, actor, body)
    inventory: dict[str, Any] = {
        "minimum_stock": content.pop("minimum_stock", Decimal(DEFAULT_LOW_STOCK))
    }
    if body.quantity_on_hand > 0:
        opening = {"quantity": body.quantity_on_hand, "unit_cost": body.purchase_price}
        inventory["opening_stock"] = opening
    values = {"type": "inventory", "inventory": inventory, **content}
    return _checked(NewStockItem, values)


def item_changes(session: Session, actor: Actor, body: ProductUpdate) -> ItemChanges:
    content = _content(session, actor, body)
    if "minimum_stock" in content:
        content["inventory"] = {"minimum_stock": content.pop("minimum_stock")}
    return _checked(ItemChanges, content)


_SAME = {"name": "name", "sku": "item_code", "ean_code": "barcode"}
_PRICES = {"price": "selling_price", "purchase_price": "cost_price"}
_REFERENCES = {"category_id": "category", "supplier_id": "supplier"}


def _content(session: Session, actor: Actor, body: ProductFields) -> dict[str, Any]:
    """The item's fields the product sends (an update's left out stay out), in the domain's
    nesting; the low-stock threshold apart (``minimum_stock``), for the caller to place."""
    sent = {name: getattr(body, name) for name in body.model_fields_set}
    content = {_SAME[k]: v for k, v in sent.items() if k in _SAME}
    for name, kind in _REFERENCES.items():
        if name in sent:
            content[name] = ids.optional(session, actor, kind, sent[name])  # type: ignore[arg-type]
    prices = {_PRICES[k]: v for k, v in sent.items() if k in _PRICES}
    if prices:
        content["pricing"] = prices
    if "vat_rate_id" in sent:
        rate = ids.optional(session, actor, "tax_rate", sent["vat_rate_id"])
        content["tax"] = {"sales_tax_code": rate}
    if "low_stock_threshold" in sent:
        content["minimum_stock"] = sent["low_stock_threshold"]
    return content


# --- categories, transactions ---------------------------------------------------------------


def new_category(body: CategoryCreate) -> NewCategory:
    return _checked(NewCategory, body.model_dump(exclude_unset=True) | {"color": body.color})


def category_changes(body: CategoryUpdate) -> CategoryChanges:
    return _checked(CategoryChanges, body.model_dump(exclude_unset=True))


def movement_filters(session: Session, actor: Actor, query: TransactionQuery) -> MovementFilters:
    item = ids.optional(session, actor, "item", query.product_id)
    given = {"item_id": item, "date_from": query.date_from, "date_to": query.date_to}
    return _checked(MovementFilters, {k: v for k, v in given.items() if v is not None})


def _checked(model: type[V], given: dict[str, Any]) -> V:
    """The values, or a 422 naming each field the domain refuses (in its names)."""
    try:
        return model.model_validate(given)
    except ValidationError as refused:
        errors = [
            FieldError(".".join(str(p) for p in e["loc"]) or "body", e["msg"], e["type"])
            for e in refused.errors()
        ]
        raise Invalid.fields(errors) from None
