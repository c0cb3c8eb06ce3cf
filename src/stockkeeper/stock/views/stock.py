"""Stock as the API returns it and its events carry it: stock rows per item and location,
the ledger's movements, and the figures of a stock level that changed."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from stockkeeper.stock.schemas import (
    DocumentRef,
    LastMovement,
    LevelRead,
    LocationRef,
    MovementRead,
    ReorderInfo,
    ReorderSupplier,
    StockLot,
    StockRead,
)
from stockkeeper.stock.service import rows as service


def bin_location(bins: dict[str, Decimal], on_hand: Decimal) -> str | None:
    """Where the stock lies, for people: the one bin's code when all of it lies there, else
    each bin with what it holds (in code order), then what lies in none."""
    if not bins:
        return None
    unbinned = on_hand - sum(bins.values(), Decimal(0))
    if len(bins) == 1 and not unbinned:
        return next(iter(bins))
    spread = [(code, bins[code]) for code in sorted(bins)]
    if unbinned:
        spread.append(("no bin", unbinned))
    return ", ".join(f"{where}: {quantity.normalize():f}" for where, quantity in spread)


def level_data(
    key: tuple[str, str | None, str], on_hand: Decimal, reserved: Decimal, on_order: Decimal
) -> dict[str, Any]:
    """A stock level of an item (or variant) at a warehouse or store, as ``inventory.level``
    carries it: the quantities of its stock row (``GET /api/v1/inventory/stock``) after the
    change. Built as a plain dict: every posting renders it."""
    item_id, variant_id, location_id = key
    return {
        "itemId": item_id,
        "variantId": variant_id,
        "locationId": location_id,
        "currentStock": on_hand,
        "reservedStock": reserved,
        "availableStock": on_hand - reserved,
        "onOrderStock": on_order,
    }


def stock_read(
    row: service.StockRow, *, include_reserved: bool = True, reorder: bool = False
) -> StockRead:
    item = row.item
    return StockRead(
        item_id=item.id,
        item_code=item.item_code,
        item_name=item.name,
        variant_id=row.variant_id,
        location_id=row.location.id,
        location=LocationRef(id=row.location.id, name=row.location.name),
        current_stock=row.on_hand,
        available_stock=row.on_hand - row.reserved if include_reserved else None,
        reserved_stock=row.reserved if include_reserved else None,
        on_order_stock=row.on_order,
        average_cost=row.average_cost,
        stock_value=row.value,
        last_movement=LastMovement(
            date=row.last_movement["date"],
            type=row.last_movement["type"],
            quantity=row.last_movement["quantity"],
            reference=row.last_movement["reference"],
        )
        if row.last_movement
        else None,
        bin_location=bin_location(row.bins, row.on_hand),
        lots=[StockLot(**lot) for lot in row.lots],
        updated_at=row.updated_at,
        item=ReorderInfo(
            id=item.id,
            item_code=item.item_code,
            name=item.name,
            inventory={
                "minimumStock": item.minimum_stock,
                "reorderPoint": item.reorder_point,
                "reorderQuantity": item.reorder_quantity,
                "maximumStock": item.maximum_stock,
            },
            pricing={"costPrice": item.cost_price, "sellingPrice": item.selling_price},
            supplier=ReorderSupplier(
                id=item.supplier_id,
                supplier_item_code=item.supplier_item_code,
                lead_time_days=item.lead_time_days,
            ),
        )
        if reorder
        else None,
    )


def movement_read(row: dict[str, Any]) -> MovementRead:
    return MovementRead(
        id=row["id"],
        direction=row["direction"],
        date=row["effective_date"],
        item_id=row["item_id"],
        item_code=row["item_code"],
        variant_id=row["variant_id"],
        location_id=row["location_id"],
        bin_id=row["bin_id"],
        batch_id=row["batch_id"],
        batch_number=row["batch_number"],
        external_batch_number=row["external_batch_number"],
        manufacturer_date=row["manufacturer_date"],
        expiry_date=row["expiry_date"],
        serial_id=row["serial_id"],
        serial_number=row["serial_number"],
        quantity=row["quantity"],
        unit_cost=row["unit_cost"],
        value=row["value"],
        type=row["movement_type"],
        reason=row["reason"],
        reference=row["reference"],
        document=DocumentRef(
            type=row["document_type"], id=row["document_id"], number=row["document_number"]
        ),
        created_by=row["created_by"],
        created_at=row["created_at"],
    )


def level_read(row: dict[str, Any]) -> LevelRead:
    return LevelRead.model_validate({k: v for k, v in row.items() if k != "level_key"})
