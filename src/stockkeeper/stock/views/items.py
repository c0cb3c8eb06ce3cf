"""Items as the API returns them and their events carry them: the catalogue's rows composed
with the stock figures (stock per location and variant, cost figures)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property, lru_cache
from typing import Any

from stockkeeper.accounting.views import account_ref
from stockkeeper.catalog.models import Item, ItemVariant
from stockkeeper.catalog.schemas.items import (
    AccountingRead,
    BinStock,
    CategoryRef,
    CostFigures,
    DimensionsRead,
    ImageRead,
    InventoryRead,
    ItemRead,
    ItemSupplier,
    ItemTaxRate,
    LocationStock,
    PriceGroupPriceRead,
    PricingRead,
    TaxRead,
    VariantRead,
)
from stockkeeper.catalog.service.item_prices import PRICE_KIND
from stockkeeper.catalog.service.reads import ItemDetails
from stockkeeper.core.currency import minor_unit
from stockkeeper.core.json import dump
from stockkeeper.stock.schemas import ItemTransaction, MovementRead
from stockkeeper.stock.service.queries import ItemStock
from stockkeeper.stock.views.stock import bin_location, movement_read

_MICRO = Decimal("0.000001")


@dataclass(frozen=True)
class ItemView:
    """An item with what its page shows: its related rows, its stock figures, and (when
    asked for) its latest movements."""

    item: Item
    details: ItemDetails
    stock: ItemStock
    history: list[dict[str, Any]] | None = None
    shown: tuple[str, ...] = ()  # what of the history was asked for: stockHistory, transactions

    @cached_property
    def data(self) -> dict[str, Any]:
        """The item in the API's shape, rendered once for its response and its event."""
        return dump(item_read(self))

    def detail(self) -> dict[str, Any]:
        """``GET /items/{id}``: the item, with its stock history and the documents behind it
        when they were asked for."""
        movements = [movement_read(m) for m in self.history or ()]
        shown = {
            "stockHistory": lambda: [dump(m) for m in movements],
            "transactions": lambda: [dump(t) for t in transactions(movements)],
        }
        return self.data | {name: shown[name]() for name in self.shown}


def transactions(movements: list[MovementRead]) -> list[ItemTransaction]:
    """One entry per document, in the order of its newest movement."""
    by_document: dict[str, list[MovementRead]] = {}
    for movement in movements:
        by_document.setdefault(movement.document.id, []).append(movement)
    return [
        ItemTransaction(
            document=moved[0].document,
            date=moved[0].date,
            quantity_in=sum((m.quantity for m in moved if m.quantity > 0), Decimal(0)),
            quantity_out=sum((-m.quantity for m in moved if m.quantity < 0), Decimal(0)),
            value=sum((m.value for m in moved), Decimal(0)),
        )
        for moved in by_document.values()
    ]


@dataclass(frozen=True)
class VariantView:
    """A variant, with the item it belongs to as it now stands (its event's object)."""

    item: ItemView
    variant: ItemVariant

    @cached_property
    def data(self) -> dict[str, Any]:
        return dump(variant_read(self.variant, self.item.stock))


def item_read(view: ItemView) -> ItemRead:
    item, details, stock = view.item, view.details, view.stock
    variants = None if details.variants is None else details.variants.get(item.id, [])
    images = None if details.images is None else details.images.get(item.id, [])
    return ItemRead(
        id=item.id,
        item_code=item.item_code,
        article_number=item.article_number,
        barcode=item.barcode,
        name=item.name,
        description=item.description,
        purchase_description=item.purchase_description,
        notes=item.notes,
        source_guid=item.source_guid,
        type=item.type,
        category=_category(item, details),
        unit=item.unit,
        weight=item.weight,
        dimensions=_dimensions(item),
        pricing=_pricing(item, details),
        costs=cost_figures(item, stock.on_hand),
        inventory=_inventory(item, stock),
        supplier=_supplier(item, details),
        accounting=_accounting(item, details),
        tax=_tax(item, details),
        locations=_locations(stock),
        variants=None if variants is None else [variant_read(v, stock) for v in variants],
        custom_fields=item.custom_fields or {},
        images=None
        if images is None
        else [ImageRead(id=i.id, url=i.url, is_primary=i.is_primary) for i in images],
        is_active=item.is_active,
        purchasable=item.purchasable,
        sellable=item.sellable,
        created_at=item.created_at,
        updated_at=item.updated_at,
    )


def variant_read(variant: ItemVariant, stock: ItemStock) -> VariantRead:
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


def cost_figures(item: Item, on_hand: Decimal) -> CostFigures:
    """The cost figures, stock values rounded to the item currency's minor unit."""
    cent = minor_unit(item.currency)
    average = (
        (item.purchased_value / item.purchased_quantity).quantize(_MICRO)
        if item.purchased_quantity > 0
        else None
    )
    last = item.last_cost_price.quantize(_MICRO) if item.last_cost_price is not None else None
    return CostFigures(
        last_cost_price=last,
        average_cost_price=average,
        last_cost_price_stock_value=None if last is None else (last * on_hand).quantize(cent),
        average_cost_price_stock_value=None
        if average is None
        else (average * on_hand).quantize(cent),
        cost_price_last_updated=item.cost_price_last_updated,
    )


def _category(item: Item, details: ItemDetails) -> CategoryRef | None:
    category = details.categories.by_id.get(item.category_id or "")
    if category is None:
        return None
    return CategoryRef(
        id=category.id, name=category.name, path=details.categories.path(category.id)
    )


def _dimensions(item: Item) -> DimensionsRead | None:
    if not item.dimension_unit:
        return None
    return DimensionsRead(
        length=item.length, width=item.width, height=item.height, unit=item.dimension_unit
    )


def _pricing(item: Item, details: ItemDetails) -> PricingRead:
    """The prices in the groups: first the selling price, in the group that holds it."""
    prices = [(p.price, p.includes_tax, g) for p, g in details.prices.get(item.id, [])]
    selling = details.selling_groups.get(PRICE_KIND[item.type])
    if selling is not None:
        prices.insert(0, (item.selling_price, item.selling_price_includes_tax, selling))
    return PricingRead(
        cost_price=item.cost_price,
        standard_cost=item.standard_cost,
        selling_price=item.selling_price,
        currency=item.currency,
        price_groups=[
            PriceGroupPriceRead(
                group_id=group.id,
                name=group.name,
                price=price,
                includes_tax=group.prices_include_tax if includes_tax is None else includes_tax,
            )
            for price, includes_tax, group in prices
        ],
    )


def _inventory(item: Item, stock: ItemStock) -> InventoryRead:
    return InventoryRead(
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
    )


def _supplier(item: Item, details: ItemDetails) -> ItemSupplier | None:
    supplier = details.suppliers.get(item.supplier_id or "")
    if supplier is None:
        return None
    return ItemSupplier(
        id=supplier.id,
        name=supplier.name,
        supplier_item_code=item.supplier_item_code,
        lead_time_days=item.lead_time_days,
    )


def _accounting(item: Item, details: ItemDetails) -> AccountingRead:
    named = item.accounting or {}
    accounts = details.references.accounts
    return AccountingRead(
        **named,
        income_account=account_ref(accounts.get(named.get("income_account_id", ""))),
        expense_account=account_ref(accounts.get(named.get("expense_account_id", ""))),
        asset_account=account_ref(accounts.get(named.get("asset_account_id", ""))),
    )


def _tax(item: Item, details: ItemDetails) -> TaxRead:
    return TaxRead(
        sales_tax_code=item.sales_tax_code,
        purchase_tax_code=item.purchase_tax_code,
        taxable=item.taxable,
        sales_tax_rate=_tax_rate(item, details, "sales_tax_code"),
        purchase_tax_rate=_tax_rate(item, details, "purchase_tax_code"),
    )


def _tax_rate(item: Item, details: ItemDetails, field: str) -> ItemTaxRate | None:
    """The rate the item names in the field, or else the company's default for it."""
    named: str | None = getattr(item, field)
    ref = named or details.default_tax.get(field)
    rate = details.references.tax_rates.get(ref or "")
    if rate is None:
        return None
    effective = details.effective_rate(rate)
    return _item_tax_rate(rate.id, rate.code, rate.name, effective, named is None)


@lru_cache(maxsize=1024)
def _item_tax_rate(
    ident: str, code: str, name: str, effective_rate: Decimal, is_default: bool
) -> ItemTaxRate:
    """Built once for each rate as it stands: the items of a list or an import share a few
    rates, and the views only read it."""
    return ItemTaxRate(
        id=ident, code=code, name=name, effective_rate=effective_rate, is_default=is_default
    )


def _locations(stock: ItemStock) -> list[LocationStock]:
    return [
        LocationStock(
            location_id=location_id,
            stock=at.on_hand,
            available=at.on_hand - at.reserved,
            reserved=at.reserved,
            on_order=at.on_order,
            bin_location=bin_location(at.bins, at.on_hand),
            bins=[BinStock(bin_code=code, on_hand=at.bins[code]) for code in sorted(at.bins)],
        )
        for location_id, at in stock.locations.items()
    ]
