from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from stockkeeper.core.api_model import ListEnvelope, Page
from stockkeeper.core.http import problem_responses
from stockkeeper.core.responses import ExactJSONResponse, ok_list
from stockkeeper.stock import lot_levels, service
from stockkeeper.stock.schemas import (
    DocumentRef,
    LastMovement,
    LevelQuery,
    LevelRead,
    LocationRef,
    MovementQuery,
    MovementRead,
    ReorderInfo,
    ReorderSupplier,
    StockLot,
    StockRead,
)
from stockkeeper.tenancy.deps import ApiRoute, DbSession, Viewer

router = APIRouter(prefix="/api/v1/inventory", tags=["Stock"], route_class=ApiRoute)


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
        bin_location=row.bin_code,
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


@router.get(
    "/movements",
    response_model=ListEnvelope[MovementRead],
    responses=problem_responses(),
    description="The ledger as signed rows at warehouses and stores, newest first.",
)
def list_movements(
    session: DbSession, actor: Viewer, query: Annotated[MovementQuery, Query()]
) -> ExactJSONResponse:
    filters = service.MovementFilters(
        item_id=query.item_id,
        location_id=query.location_id,
        date_from=query.date_from,
        date_to=query.date_to,
        type=query.type,
        reference=query.reference,
    )
    rows, next_cursor, total = service.list_movements(
        session, actor.company_id, filters=filters, limit=query.limit, cursor=query.cursor
    )
    page = Page.of(next_cursor, query.limit, total)
    return ok_list([movement_read(r) for r in rows], page)


@router.get(
    "/levels",
    response_model=ListEnvelope[LevelRead],
    responses=problem_responses(),
    description="Stock at its finest grain: one row per item (and variant), warehouse or store, "
    "bin, batch and serial number, with batch numbers, expiry dates and serial numbers.",
)
def list_levels(
    session: DbSession, actor: Viewer, query: Annotated[LevelQuery, Query()]
) -> ExactJSONResponse:
    filters = lot_levels.LevelFilters(
        item_id=query.item_id,
        location_id=query.location_id,
        bin_id=query.bin_id,
        batch_id=query.batch_id,
        serial_number=query.serial_number,
        expires_before=query.expires_before,
        include_empty=query.include_empty,
    )
    rows, next_cursor, total = lot_levels.list_levels(
        session, actor.company_id, filters=filters, limit=query.limit, cursor=query.cursor
    )
    return ok_list(
        [
            LevelRead.model_validate({k: v for k, v in row.items() if k != "level_key"})
            for row in rows
        ],
        Page.of(next_cursor, query.limit, total),
    )
