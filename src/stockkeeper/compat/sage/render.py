"""The slices' views as Sage records: stock items, products and services (an item's view),
sales price types and service rate types (a price group), stock movements (a movement
entry), each with ``id``, ``displayed_as`` and ``$path``, in the document's field order."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Protocol

from stockkeeper.catalog.service.item_accounts import BookedAccounts
from stockkeeper.compat.sage.text import (
    reference,
    sage_decimal,
    sage_instant,
    sage_precise,
    text,
)
from stockkeeper.reports.service.movement_history import MovementEntry
from stockkeeper.stock.views.items import ItemView, item_read

# the collection each item type is read at on its own, and what Sage calls a record of it
STOCK_ITEMS, PRODUCTS, SERVICES = "stock_items", "products", "services"
COLLECTION = {"inventory": STOCK_ITEMS, "non_inventory": PRODUCTS, "service": SERVICES}
PRICE_TYPES = {"sales_price": "product_sales_price_types", "service_rate": "service_rate_types"}


class PriceGroupRow(Protocol):
    """A price group as its service returns it."""

    id: str
    name: str
    kind: str
    is_active: bool
    created_at: Any
    updated_at: Any


def _account(ref: Any) -> dict[str, Any] | None:
    """Sage shows an account as "Name (code)"."""
    if ref is None:
        return None
    return reference("ledger_accounts", ref.id, f"{ref.name} ({ref.code})")


def _tax_rate(rate: Any) -> dict[str, Any] | None:
    """Sage shows a tax rate as "Name 20.00%"."""
    if rate is None:
        return None
    percent = Decimal(rate.effective_rate).quantize(Decimal("0.01"))
    return reference("tax_rates", rate.id, f"{rate.name} {percent}%")


def _prices(read: Any, stamps: dict[str, Any]) -> list[dict[str, Any]]:
    """The item's prices in the sales price types (a service's: its rates in the rate types)."""
    service = read.type == "service"
    name, amount, tax, kind = (
        ("rate_name", "rate", "rate_includes_tax", "service_rate_type")
        if service
        else ("price_name", "price", "price_includes_tax", "product_sales_price_type")
    )
    collection = PRICE_TYPES["service_rate" if service else "sales_price"]
    return [
        {
            "id": f"{read.id}.{price.group_id}",
            "displayed_as": price.name,
            **stamps,
            name: price.name,
            amount: sage_decimal(price.price),
            tax: price.includes_tax,
            kind: reference(collection, price.group_id, price.name),
        }
        for price in read.pricing.price_groups
    ]


def item_record(view: ItemView, collection: str, booked: BookedAccounts) -> dict[str, Any]:
    """A stock item, product or service, as read at ``collection``: a stock item read at
    ``products`` shows what products show. Its ledger accounts are the ones it books to
    (``booked``): sales to its sales account; purchases to a stock item's inventory account,
    else to its cost of sales account."""
    read, item = item_read(view), view.item
    stamps = {
        "created_at": sage_instant(item.created_at),
        "updated_at": sage_instant(item.updated_at),
    }
    supplier = read.supplier
    record: dict[str, Any] = {
        "id": item.id,
        "displayed_as": item.name,
        "$path": f"/{collection}/{item.id}",
        **stamps,
        "item_code": item.item_code,
        "description": item.name,
        "notes": text(item.notes),
        "sales_ledger_account": _account(booked.sales),
        "sales_tax_rate": _tax_rate(read.tax.sales_tax_rate),
        "purchase_ledger_account": _account(booked.purchases),
        "usual_supplier": None
        if supplier is None
        else reference("contacts", supplier.id, supplier.name),
        "purchase_tax_rate": _tax_rate(read.tax.purchase_tax_rate),
        "cost_price": sage_decimal(item.cost_price),
        "sales_prices": _prices(read, stamps),
        "source_guid": item.source_guid,
        "purchase_description": text(item.purchase_description),
    }
    if collection == SERVICES:  # a service has rates, and no cost price
        del record["cost_price"]
        record = {("sales_rates" if k == "sales_prices" else k): v for k, v in record.items()}
    if collection == STOCK_ITEMS:
        record |= _stock(read, item)
    record["active"] = item.is_active
    if collection == STOCK_ITEMS:
        record |= _costs(read, view)
    return record


def _stock(read: Any, item: Any) -> dict[str, Any]:
    places = [at.bin_location for at in read.locations if at.bin_location]
    return {
        "reorder_level": sage_decimal(item.reorder_point),
        "reorder_quantity": sage_decimal(item.reorder_quantity),
        "location": ", ".join(places),
        "barcode": text(item.barcode),
        "supplier_part_number": text(item.supplier_item_code),
        "weight": item.weight if item.weight is not None else 0,
        "measurement_unit": item.unit,
        "weight_converted": sage_decimal(item.weight),
    }


def _costs(read: Any, view: ItemView) -> dict[str, Any]:
    costs = read.costs
    return {
        "quantity_in_stock": sage_decimal(view.stock.on_hand),
        "last_cost_price": sage_decimal(costs.last_cost_price),
        "last_cost_price_stock_value": sage_decimal(costs.last_cost_price_stock_value),
        "average_cost_price": sage_decimal(costs.average_cost_price),
        "average_cost_price_stock_value": sage_decimal(costs.average_cost_price_stock_value),
        "cost_price_last_updated": sage_precise(costs.cost_price_last_updated),
    }


def price_type_record(group: PriceGroupRow) -> dict[str, Any]:
    collection = PRICE_TYPES[group.kind]
    return reference(collection, group.id, group.name) | {
        "created_at": sage_instant(group.created_at),
        "updated_at": sage_instant(group.updated_at),
        "name": group.name,
        "active": group.is_active,
    }


def movement_record(entry: MovementEntry, booked: BookedAccounts) -> dict[str, Any]:
    """A stock movement, with its stock item whole (as ``GET /stock_items/{id}`` shows it,
    ``booked`` the accounts the item books to)."""
    reference_ = entry.reference or entry.document_number
    details = entry.details or ""
    named = details or entry.item.item.name  # a movement without a note: its item
    shown = f"{named} (Ref: {reference_})" if reference_ else named
    return {
        "id": entry.id,
        "displayed_as": shown,
        "$path": f"/stock_movements/{entry.id}",
        "links": [{"href": None, "rel": "alternate", "type": "text/html"}],
        "created_at": sage_instant(entry.created_at),
        "updated_at": sage_instant(entry.created_at),
        "movement_number": entry.number,
        "date": sage_precise(entry.date),
        "cost_price": sage_decimal(entry.unit_cost),
        "quantity": sage_decimal(entry.quantity),
        "details": details,
        "reference": text(reference_),
        "stock_item": item_record(entry.item, STOCK_ITEMS, booked),
    }
