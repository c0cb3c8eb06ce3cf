"""The catalogue's views in smallbiz's shape: products, categories and stock transactions as
flat snake_case objects with integer ids (each kind numbered in one query per list)."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from stockkeeper.catalog.views import CategoryView
from stockkeeper.compat.smallbiz import ids
from stockkeeper.stock.views.items import ItemView
from stockkeeper.tenancy.service import Actor

# --- products -----------------------------------------------------------------------------

_ZERO = Decimal(0)  # the threshold of an item that has none: smallbiz's clients expect a number


def products(session: Session, actor: Actor, views: Sequence[ItemView]) -> list[dict[str, Any]]:
    items = [view.item for view in views]
    rates = {view.item.id: _sales_rate(view) for view in views}
    numbers = {
        "item": ids.numbers(session, actor, "item", [i.id for i in items]),
        "category": ids.numbers(session, actor, "category", _named(i.category_id for i in items)),
        "supplier": ids.numbers(session, actor, "supplier", _named(i.supplier_id for i in items)),
        "tax_rate": ids.numbers(session, actor, "tax_rate", _named(rates.values())),
    }
    return [_product(view, numbers, rates[view.item.id]) for view in views]


def product(session: Session, actor: Actor, view: ItemView) -> dict[str, Any]:
    return products(session, actor, [view])[0]


def _product(
    view: ItemView, numbers: dict[str, dict[str, int]], rate: str | None
) -> dict[str, Any]:
    item, details = view.item, view.details
    category = details.categories.by_id.get(item.category_id or "")
    supplier = details.suppliers.get(item.supplier_id or "")
    return {
        "id": numbers["item"][item.id],
        "name": item.name,
        "sku": item.item_code,
        "article_number": item.article_number,
        "price": item.selling_price,
        "purchase_price": item.cost_price,
        "quantity_on_hand": view.stock.on_hand,
        "low_stock_threshold": _ZERO if item.minimum_stock is None else item.minimum_stock,
        "category_id": numbers["category"][category.id] if category else None,
        "category_name": category.name if category else None,
        "category_color": category.color if category else None,
        "supplier_id": numbers["supplier"][supplier.id] if supplier else None,
        "supplier_name": supplier.name if supplier else None,
        "vat_rate_id": numbers["tax_rate"][rate] if rate else None,
        "ean_code": item.barcode,
        "created_at": item.created_at,
        "updated_at": item.updated_at,
    }


def _sales_rate(view: ItemView) -> str | None:
    """The id of the tax rate the item sells at: the one it names, else the company's
    default."""
    details = view.details
    named = view.item.sales_tax_code or details.default_tax.get("sales_tax_code")
    rate = details.references.tax_rates.get(named or "")
    return rate.id if rate else None


def _named(refs: Any) -> list[str]:
    return [ref for ref in refs if ref]


# --- categories ---------------------------------------------------------------------------


def categories(
    session: Session, actor: Actor, views: Sequence[CategoryView]
) -> list[dict[str, Any]]:
    numbers = ids.numbers(session, actor, "category", [v.category.id for v in views])
    return [
        {
            "id": numbers[c.id],
            "name": c.name,
            "color": c.color,
            "position": c.position,
            "created_at": c.created_at,
            "updated_at": c.updated_at,
        }
        for c in (view.category for view in views)
    ]


def category(session: Session, actor: Actor, view: CategoryView) -> dict[str, Any]:
    return categories(session, actor, [view])[0]


# --- stock transactions ---------------------------------------------------------------------

# what moved the stock, in words a smallbiz client reads: by the movement's type, and for
# adjustments by their reason (internal consumption is a reason of its own)
_BY_TYPE = {
    "purchase": "incoming_delivery",
    "purchase_return": "supplier_return",
    "sale": "sale",
    "return": "customer_return",
    "opening_stock": "opening_stock",
    "count": "stock_count",
    "adjustment": "manual_adjustment",
    "write_off": "manual_adjustment",
    "revaluation": "revaluation",
    "transfer": "transfer",
}
_BY_REASON = {
    "internal_consumption": "internal_consumption",
    "purchase_receipt": "incoming_delivery",
    "initial_stock": "opening_stock",
    "stock_count": "stock_count",
}


def reason(movement_type: str, reason_code: str | None) -> str:
    """A reversal says what it reverses (``incoming_delivery_reversed``, when a received
    purchase order is deleted)."""
    if movement_type == "reversal":
        return f"{_BY_REASON.get(reason_code or '', 'movement')}_reversed"
    if movement_type in ("adjustment", "write_off") and reason_code == "internal_consumption":
        return "internal_consumption"
    return _BY_TYPE.get(movement_type, movement_type)


def transactions(
    session: Session, actor: Actor, rows: Sequence[dict[str, Any]]
) -> list[dict[str, Any]]:
    """One per signed row: a movement between two warehouses or stores is two rows, its
    ``out`` and its ``in``, each numbered."""
    keys = [f"{row['id']}.{row['direction']}" for row in rows]
    numbers = ids.numbers(session, actor, "movement", keys)
    items = ids.numbers(session, actor, "item", [row["item_id"] for row in rows])
    return [
        {
            "id": numbers[key],
            "product_id": items[row["item_id"]],
            "product_name": row["item_name"],
            "sku": row["item_code"],
            "delta": row["quantity"],
            "reason": reason(row["movement_type"], row["reason"]),
            "reference": row["document_number"] or row["reference"],
            "date": row["effective_date"],
            "created_at": row["created_at"],
        }
        for key, row in zip(keys, rows, strict=True)
    ]
