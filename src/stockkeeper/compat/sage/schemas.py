"""Sage's request bodies and list parameters, and how each becomes the services' typed values.

A body is wrapped in its resource's name (``{"stock_item": {...}}``). A record names another
by ``<name>_id`` or by ``<name>: {"id": ...}`` (the reference as Sage returns it). Decimals
are taken as JSON numbers or as strings ("11.0"). Fields Sage only returns (``id``,
``displayed_as``, ``quantity_in_stock``, ...) are refused, like any unknown field."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, Any, TypeVar

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    model_validator,
)

from stockkeeper.adjustments.values import NewAdjustment
from stockkeeper.catalog.values import (
    Code,
    ItemChanges,
    LongText,
    Name,
    NewItem,
    NewPriceGroup,
    PriceGroupChanges,
    SourceGuid,
)
from stockkeeper.core.api_model import Day, Instant, NonNegative, NonZero
from stockkeeper.core.errors import FieldError, Invalid
from stockkeeper.core.text import free_text, name_text
from stockkeeper.core.values import Reference

V = TypeVar("V", bound=BaseModel)
# Sage writes a text left empty as "": for a code, none
Blank = BeforeValidator(lambda value: None if value == "" else value)


class SageModel(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Ref(SageModel):
    """Another record, as Sage returns it (only its id is read)."""

    model_config = ConfigDict(extra="ignore")

    id: Annotated[str, free_text(100)]


def _ref(model: BaseModel, name: str) -> tuple[bool, str | None]:
    """Whether ``<name>_id`` or ``<name>`` was sent, and the id it names (None: none)."""
    for field in (f"{name}_id", name):
        if field in model.model_fields_set:
            value = getattr(model, field)
            return True, value.id if isinstance(value, Ref) else value
    return False, None


def to_values(kind: type[V], data: dict[str, Any]) -> V:
    """The service's values, a refusal of the domain's (422) if they do not hold."""
    try:
        return kind.model_validate(data)
    except ValidationError as refused:
        errors = [
            FieldError(".".join(str(p) for p in e["loc"]), e["msg"], e["type"])
            for e in refused.errors()
        ]
        raise Invalid.fields(errors) from None


# --- goods and services ---------------------------------------------------------------------


class SalesPrice(SageModel):
    """A price of a good in a sales price type (or a service's rate in a rate type)."""

    model_config = ConfigDict(extra="ignore")  # id, displayed_as, price_name: as returned

    product_sales_price_type_id: str | None = None
    product_sales_price_type: Ref | None = None
    price: NonNegative
    price_includes_tax: bool | None = None

    def group_price(self, at: str) -> dict[str, Any]:
        group = self.product_sales_price_type_id or (
            self.product_sales_price_type.id if self.product_sales_price_type else None
        )
        if group is None:
            raise Invalid.fields(
                [FieldError(f"{at}.product_sales_price_type_id", "required", "missing")]
            )
        return {"group_id": group, "price": self.price, "includes_tax": self.price_includes_tax}


class SalesRate(SageModel):
    model_config = ConfigDict(extra="ignore")  # id, displayed_as, rate_name: as returned

    service_rate_type_id: str | None = None
    service_rate_type: Ref | None = None
    rate: NonNegative
    rate_includes_tax: bool | None = None

    def group_price(self, at: str) -> dict[str, Any]:
        group = self.service_rate_type_id or (
            self.service_rate_type.id if self.service_rate_type else None
        )
        if group is None:
            raise Invalid.fields([FieldError(f"{at}.service_rate_type_id", "required", "missing")])
        return {"group_id": group, "price": self.rate, "includes_tax": self.rate_includes_tax}


class ItemBody(SageModel):
    """What stock items, products and services have in common."""

    item_code: Code | None = None
    description: Name | None = None
    notes: LongText | None = None
    sales_ledger_account_id: str | None = None
    sales_ledger_account: Ref | None = None
    purchase_ledger_account_id: str | None = None
    purchase_ledger_account: Ref | None = None
    sales_tax_rate_id: str | None = None
    sales_tax_rate: Ref | None = None
    purchase_tax_rate_id: str | None = None
    purchase_tax_rate: Ref | None = None
    usual_supplier_id: str | None = None
    usual_supplier: Ref | None = None
    source_guid: SourceGuid | None = None
    purchase_description: LongText | None = None
    active: bool | None = None

    def prices(self) -> list[dict[str, Any]] | None:
        return None

    def content(self, item_type: str) -> dict[str, Any]:
        """The sent fields in the domain's names (an item of ``item_type``)."""
        sent = self.model_fields_set
        own = {"item_code": "item_code", "description": "name", "notes": "notes"}
        own |= {"source_guid": "source_guid", "purchase_description": "purchase_description"}
        own |= {"active": "is_active"}
        data = {domain: getattr(self, sage) for sage, domain in own.items() if sage in sent}
        pricing: dict[str, Any] = {}
        if "cost_price" in sent:
            pricing["cost_price"] = getattr(self, "cost_price")  # noqa: B009
        prices = self.prices()
        if prices is not None:
            pricing["price_groups"] = prices
        if pricing:
            data["pricing"] = pricing
        purchase = "asset_account_id" if item_type == "inventory" else "expense_account_id"
        accounts = self._refs(
            ("sales_ledger_account", "income_account_id"), ("purchase_ledger_account", purchase)
        )
        if accounts:
            data["accounting"] = accounts
        tax = self._refs(
            ("sales_tax_rate", "sales_tax_code"), ("purchase_tax_rate", "purchase_tax_code")
        )
        if tax:
            data["tax"] = tax
        named, supplier = _ref(self, "usual_supplier")
        if named:
            data["supplier_id"] = supplier
        return data

    def _refs(self, *pairs: tuple[str, str]) -> dict[str, str | None]:
        found = {}
        for sage, domain in pairs:
            named, ident = _ref(self, sage)
            if named:
                found[domain] = ident
        return found

    def new_item(self, item_type: str) -> NewItem:
        missing = [
            FieldError(name, "required", "missing")
            for name in ("item_code", "description")
            if getattr(self, name) is None
        ]
        if missing:
            raise Invalid.fields(missing)
        return to_values(NewItem, self.content(item_type) | {"type": item_type})

    def changes(self, item_type: str) -> ItemChanges:
        return to_values(ItemChanges, self.content(item_type))


class ProductBody(ItemBody):
    cost_price: NonNegative | None = None
    sales_prices: Sequence[SalesPrice] | None = Field(default=None, max_length=100)

    def prices(self) -> list[dict[str, Any]] | None:
        if self.sales_prices is None:
            return None
        return [p.group_price(f"sales_prices.{n}") for n, p in enumerate(self.sales_prices)]


class StockItemBody(ProductBody):
    reorder_level: NonNegative | None = None
    reorder_quantity: NonNegative | None = None
    location: Annotated[str, name_text(200, required=False)] | None = Field(
        default=None, description="Taken and not kept: stock lies in warehouses and bins"
    )
    barcode: Annotated[Code | None, Blank] = None
    supplier_part_number: Annotated[Code | None, Blank] = None
    weight: NonNegative | None = None
    measurement_unit: Annotated[Annotated[str, name_text(20)] | None, Blank] = None

    def content(self, item_type: str) -> dict[str, Any]:
        data = super().content(item_type)
        sent = self.model_fields_set
        own = {"barcode": "barcode", "supplier_part_number": "supplier_item_code"}
        own |= {"weight": "weight", "measurement_unit": "unit"}
        data |= {domain: getattr(self, sage) for sage, domain in own.items() if sage in sent}
        if data.get("unit", "") is None:  # every item has a unit: none sent keeps it
            del data["unit"]
        rules = {"reorder_level": "reorder_point", "reorder_quantity": "reorder_quantity"}
        inventory = {domain: getattr(self, sage) for sage, domain in rules.items() if sage in sent}
        if inventory:
            data["inventory"] = inventory
        return data


class ServiceBody(ItemBody):
    sales_rates: Sequence[SalesRate] | None = Field(default=None, max_length=100)

    def prices(self) -> list[dict[str, Any]] | None:
        if self.sales_rates is None:
            return None
        return [r.group_price(f"sales_rates.{n}") for n, r in enumerate(self.sales_rates)]


class StockItemRequest(SageModel):
    stock_item: StockItemBody


class ProductRequest(SageModel):
    product: ProductBody


class ServiceRequest(SageModel):
    service: ServiceBody


# --- sales price types and service rate types ---------------------------------------------


class PriceTypeBody(SageModel):
    name: Annotated[str, name_text(80)] | None = None
    active: bool | None = None

    def new_group(self, kind: str) -> NewPriceGroup:
        if self.name is None:
            raise Invalid.fields([FieldError("name", "required", "missing")])
        return to_values(NewPriceGroup, {"name": self.name, "kind": kind} | self._active())

    def changes(self) -> PriceGroupChanges:
        sent = {"name": self.name} if "name" in self.model_fields_set else {}
        return to_values(PriceGroupChanges, sent | self._active())

    def _active(self) -> dict[str, Any]:
        return {"is_active": self.active} if "active" in self.model_fields_set else {}


class SalesPriceTypeRequest(SageModel):
    product_sales_price_type: PriceTypeBody


class RateTypeRequest(SageModel):
    service_rate_type: PriceTypeBody


# --- stock movements ------------------------------------------------------------------------

STOCK_TAKE = "stock_count"  # a stock take adjustment, in or out


class MovementBody(SageModel):
    stock_item_id: str | None = None
    stock_item: Ref | None = None
    date: Day | None = None
    quantity: NonZero = Field(description="Negative takes stock out")
    cost_price: NonNegative | None = Field(
        default=None, description="Of stock brought in; stock taken out goes at its average cost"
    )
    details: Annotated[str, free_text(2000)] | None = None
    reference: Reference | None = None

    @model_validator(mode="after")
    def _names_its_item(self) -> MovementBody:
        if self.stock_item_id is None and self.stock_item is None:
            raise ValueError("name the stock item: stock_item_id or stock_item.id")
        return self

    def adjustment(self) -> NewAdjustment:
        """A stock take adjustment of one line at the default warehouse, posted at once."""
        line = {
            "item_id": self.stock_item_id or (self.stock_item.id if self.stock_item else ""),
            "adjustment_quantity": self.quantity,
            "unit_cost": self.cost_price if self.quantity > 0 else None,
            "notes": self.details,
        }
        return to_values(
            NewAdjustment,
            {
                "reason": STOCK_TAKE,
                "date": self.date,
                "reference": self.reference,
                "notes": self.details,
                "items": [line],
            },
        )


class MovementRequest(SageModel):
    stock_movement: MovementBody


# --- lists ----------------------------------------------------------------------------------


class ListQuery(SageModel):
    """Sage's list parameters: a page by its number and size; ``attributes`` (``all``, or
    names) shows more of each record than its id, ``displayed_as`` and ``$path``."""

    page: int = Field(default=1, ge=1, le=1_000_000)
    items_per_page: int = Field(default=20, ge=1, le=200)
    attributes: Annotated[str, free_text(1000)] | None = None

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.items_per_page


class RecordListQuery(ListQuery):
    active: bool = Field(default=True, description="false lists the inactive records instead")


class ItemListQuery(RecordListQuery):
    search: Annotated[str, free_text(200)] | None = None
    updated_or_created_since: Instant | None = None


class MovementListQuery(ListQuery):
    stock_item_id: str | None = None
