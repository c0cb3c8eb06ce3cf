"""Item routes: catalogue writes, and reads composed with stock figures."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Literal

from fastapi import APIRouter, Query
from pydantic import Field
from sqlalchemy.orm import Session

from stockkeeper.api.deps import Admin, ApiRoute, DbSession, Viewer
from stockkeeper.api.problems import problem_responses
from stockkeeper.api.responses import ExactJSONResponse, ok, ok_list
from stockkeeper.catalog.models import Item, ItemVariant
from stockkeeper.catalog.schemas.entities import Deleted
from stockkeeper.catalog.schemas.items import (
    Accounting,
    CategoryRef,
    CostFigures,
    DimensionsRead,
    ImageRead,
    InventoryRead,
    ItemCreate,
    ItemRead,
    ItemUpdate,
    LocationStock,
    PriceGroupPriceRead,
    PricingRead,
    SupplierRef,
    TaxRead,
    VariantCreate,
    VariantRead,
    VariantUpdate,
)
from stockkeeper.catalog.service import items as service
from stockkeeper.catalog.service.categories import CategoryTree
from stockkeeper.catalog.service.reads import ItemDetails, load_item_details
from stockkeeper.core.api_model import ApiModel, Envelope, ListEnvelope, Page, QueryAmount
from stockkeeper.core.currency import MINOR_UNITS
from stockkeeper.core.errors import Conflict
from stockkeeper.core.json import dump
from stockkeeper.core.pagination import DEFAULT_LIMIT, MAX_LIMIT
from stockkeeper.stock.schemas import MovementRead
from stockkeeper.stock.service.movements import list_movements
from stockkeeper.stock.service.queries import (
    ItemFilters,
    ItemStock,
    holds_stock,
    item_stock,
    list_items,
)
from stockkeeper.stock.values import MovementFilters
from stockkeeper.stock.views.stock import movement_read

router = APIRouter(prefix="/api/v1/items", tags=["Items"], route_class=ApiRoute)


def _variant_read(variant: ItemVariant, stock: ItemStock) -> VariantRead:
    return VariantRead(
        id=variant.id,
        item_id=variant.item_id,
        name=variant.name,
        attributes=variant.attributes,
        item_code=variant.item_code,
        barcode=variant.barcode,
        cost_price=variant.cost_price,
        selling_price=variant.selling_price,
        stock=stock.variants.get(variant.id, Decimal(0)),
        is_active=variant.is_active,
        created_at=variant.created_at,
        updated_at=variant.updated_at,
    )


_MICRO = Decimal("0.000001")


def _costs(item: Item, on_hand: Decimal) -> CostFigures:
    """The cost figures, stock values rounded to the item currency's minor unit."""
    cent = Decimal(1).scaleb(-MINOR_UNITS.get(item.currency, 2))
    average = (
        (item.purchased_value / item.purchased_quantity).quantize(_MICRO)
        if item.purchased_quantity > 0
        else None
    )
    last = item.last_cost_price.quantize(_MICRO) if item.last_cost_price is not None else None
    return CostFigures(
        last_cost_price=last,
        average_cost_price=average,
        last_cost_price_stock_value=(last * on_hand).quantize(cent) if last is not None else None,
        average_cost_price_stock_value=(average * on_hand).quantize(cent)
        if average is not None
        else None,
        cost_price_last_updated=item.cost_price_last_updated,
    )


def item_read(item: Item, details: ItemDetails, stock: ItemStock) -> ItemRead:
    category = details.categories.by_id.get(item.category_id or "")
    supplier = details.suppliers.get(item.supplier_id or "")
    variants = None if details.variants is None else details.variants.get(item.id, [])
    images = None if details.images is None else details.images.get(item.id, [])
    return ItemRead(
        id=item.id,
        item_code=item.item_code,
        barcode=item.barcode,
        name=item.name,
        description=item.description,
        type=item.type,
        category=CategoryRef(
            id=category.id, name=category.name, path=details.categories.path(category.id)
        )
        if category
        else None,
        unit=item.unit,
        weight=item.weight,
        dimensions=DimensionsRead(
            length=item.length,
            width=item.width,
            height=item.height,
            unit=item.dimension_unit or "cm",
        )
        if item.dimension_unit
        else None,
        pricing=PricingRead(
            cost_price=item.cost_price,
            standard_cost=item.standard_cost,
            selling_price=item.selling_price,
            currency=item.currency,
            price_groups=[
                PriceGroupPriceRead(
                    group_id=g.id, name=g.name, price=p.price, includes_tax=g.prices_include_tax
                )
                for p, g in details.prices.get(item.id, [])
            ],
        ),
        costs=_costs(item, stock.on_hand),
        inventory=InventoryRead(
            tracked=item.tracked,
            tracking=item.tracking,
            current_stock=stock.on_hand,
            available_stock=stock.available,
            reserved_stock=stock.reserved,
            on_order_stock=stock.on_order,
            minimum_stock=item.minimum_stock,
            maximum_stock=item.maximum_stock,
            reorder_point=item.reorder_point,
            reorder_quantity=item.reorder_quantity,
        ),
        supplier=SupplierRef(
            id=supplier.id,
            name=supplier.name,
            supplier_item_code=item.supplier_item_code,
            lead_time_days=item.lead_time_days,
        )
        if supplier
        else None,
        accounting=Accounting.model_validate(item.accounting or {}),
        tax=TaxRead(
            sales_tax_code=item.sales_tax_code,
            purchase_tax_code=item.purchase_tax_code,
            taxable=item.taxable,
        ),
        locations=[
            LocationStock(
                location_id=location_id,
                stock=at.on_hand,
                available=at.on_hand - at.reserved,
                reserved=at.reserved,
                on_order=at.on_order,
                bin_location=at.fullest_bin[0] if at.fullest_bin else None,
            )
            for location_id, at in stock.locations.items()
        ],
        variants=[_variant_read(v, stock) for v in variants] if variants is not None else None,
        custom_fields=item.custom_fields or {},
        images=[ImageRead(id=i.id, url=i.url, is_primary=i.is_primary) for i in images]
        if images is not None
        else None,
        is_active=item.is_active,
        created_at=item.created_at,
        updated_at=item.updated_at,
    )


def _one(session: Session, company_id: str, item: Item) -> ItemRead:
    details = load_item_details(session, company_id, [item], variants=True, images=True)
    stock = item_stock(session, company_id, [item.id]).get(item.id, ItemStock())
    return item_read(item, details, stock)


class ItemListQuery(ApiModel):
    """The documented list parameters; an unknown parameter is refused."""

    search: str | None = Field(
        default=None,
        max_length=200,
        description="Name, code, barcode or description, in any case: from three characters "
        "on, anywhere in them; one or two characters, at the start of a word",
    )
    category: str | None = Field(
        default=None, description="A category id; includes its subcategories"
    )
    type: Literal["inventory", "non_inventory", "service"] | None = None
    tracked: bool | None = None
    active: bool | None = None
    low_stock: bool | None = Field(default=None, description="On hand at or below minimumStock")
    out_of_stock: bool | None = Field(
        default=None, description="Tracked, and on hand at or below zero"
    )
    supplier: str | None = None
    location: str | None = Field(default=None, description="Items with stock at this location")
    cost_price_min: QueryAmount | None = None
    cost_price_max: QueryAmount | None = None
    selling_price_min: QueryAmount | None = None
    selling_price_max: QueryAmount | None = None
    sort: Literal["name", "itemCode", "stock", "costPrice", "sellingPrice"] = "name"
    order: Literal["asc", "desc"] = "asc"
    include_variants: bool = False
    include_images: bool = False
    limit: int = Field(default=DEFAULT_LIMIT, ge=1, le=MAX_LIMIT)
    cursor: str | None = None


@router.get("", response_model=ListEnvelope[ItemRead], responses=problem_responses())
def list_items_route(
    session: DbSession, actor: Viewer, query: Annotated[ItemListQuery, Query()]
) -> ExactJSONResponse:
    tree = CategoryTree.load(session, actor.company_id)
    filters = ItemFilters(
        search=query.search or None,
        category_ids=tree.subtree(query.category) if query.category else None,
        type=query.type,
        tracked=query.tracked,
        active=query.active,
        low_stock=query.low_stock,
        out_of_stock=query.out_of_stock,
        supplier_id=query.supplier,
        location_id=query.location,
        cost_price_min=query.cost_price_min,
        cost_price_max=query.cost_price_max,
        selling_price_min=query.selling_price_min,
        selling_price_max=query.selling_price_max,
    )
    items, next_cursor, total = list_items(
        session,
        actor.company_id,
        filters=filters,
        sort=query.sort,
        descending=query.order == "desc",
        limit=query.limit,
        cursor=query.cursor,
    )
    details = load_item_details(
        session,
        actor.company_id,
        items,
        variants=query.include_variants,
        images=query.include_images,
        categories=tree,
    )
    stock = item_stock(session, actor.company_id, [i.id for i in items])
    page = Page.of(next_cursor, query.limit, total)
    return ok_list([item_read(i, details, stock.get(i.id, ItemStock())) for i in items], page)


class ItemDetail(ItemRead):
    stock_history: list[MovementRead] | None = Field(
        default=None, description="The 20 most recent movements, with includeStockHistory=true"
    )


@router.get("/{item_id}", response_model=Envelope[ItemDetail], responses=problem_responses(404))
def get_item_route(
    session: DbSession,
    actor: Viewer,
    item_id: str,
    includeStockHistory: bool = False,  # noqa: N803
) -> ExactJSONResponse:
    item = service.get_item(session, actor, item_id=item_id)
    data = dump(_one(session, actor.company_id, item))
    if includeStockHistory:
        rows, _, _ = list_movements(
            session,
            actor,
            filters=MovementFilters(item_id=item.id),
            limit=20,
            cursor=None,
        )
        data["stockHistory"] = [dump(movement_read(r)) for r in rows]
    return ExactJSONResponse({"success": True, "data": data})


@router.post(
    "", status_code=201, response_model=Envelope[ItemRead], responses=problem_responses(409)
)
def create_item_route(session: DbSession, actor: Admin, body: ItemCreate) -> ExactJSONResponse:
    item = service.create_item(session, actor, values=body.model_dump(exclude_unset=True))
    return ok(_one(session, actor.company_id, item), 201)


@router.put("/{item_id}", response_model=Envelope[ItemRead], responses=problem_responses(404, 409))
def update_item_route(
    session: DbSession, actor: Admin, item_id: str, body: ItemUpdate
) -> ExactJSONResponse:
    inventory = body.inventory
    stops_tracking = body.type not in (None, "inventory") or (
        inventory is not None and inventory.tracked is False
    )
    retracks = (
        inventory is not None
        and inventory.tracking is not None
        and inventory.tracking != service.get_item(session, actor, item_id=item_id).tracking
    )
    if (stops_tracking or retracks) and holds_stock(session, actor.company_id, item_id):
        raise Conflict(
            "the item holds stock: move it out before it stops being a tracked stock item "
            "or changes between plain, batch and serial tracking",
            code="item_has_stock",
        )
    item = service.update_item(
        session, actor, item_id=item_id, values=body.model_dump(exclude_unset=True)
    )
    return ok(_one(session, actor.company_id, item))


@router.delete(
    "/{item_id}",
    response_model=Envelope[Deleted],
    responses=problem_responses(404),
    description="Deletes the item; an item with stock history is deactivated instead "
    "(`deleted: false`), so that its history stays readable.",
)
def delete_item_route(session: DbSession, actor: Admin, item_id: str) -> ExactJSONResponse:
    deleted = service.delete_item(session, actor, item_id=item_id)
    return ok(Deleted(id=item_id, deleted=deleted))


@router.post(
    "/{item_id}/variants",
    status_code=201,
    response_model=Envelope[VariantRead],
    responses=problem_responses(404, 409),
)
def create_variant_route(
    session: DbSession, actor: Admin, item_id: str, body: VariantCreate
) -> ExactJSONResponse:
    variant = service.create_variant(session, actor, item_id=item_id, values=body.model_dump())
    return ok(_variant_read(variant, ItemStock()), 201)


@router.put(
    "/{item_id}/variants/{variant_id}",
    response_model=Envelope[VariantRead],
    responses=problem_responses(404, 409),
)
def update_variant_route(
    session: DbSession, actor: Admin, item_id: str, variant_id: str, body: VariantUpdate
) -> ExactJSONResponse:
    variant = service.update_variant(
        session,
        actor,
        item_id=item_id,
        variant_id=variant_id,
        values=body.model_dump(exclude_unset=True),
    )
    stock = item_stock(session, actor.company_id, [item_id]).get(item_id, ItemStock())
    return ok(_variant_read(variant, stock))


@router.delete(
    "/{item_id}/variants/{variant_id}",
    response_model=Envelope[Deleted],
    responses=problem_responses(404),
    description="Deletes the variant; one with stock history is deactivated instead.",
)
def delete_variant_route(
    session: DbSession, actor: Admin, item_id: str, variant_id: str
) -> ExactJSONResponse:
    deleted = service.delete_variant(session, actor, item_id=item_id, variant_id=variant_id)
    return ok(Deleted(id=variant_id, deleted=deleted))
