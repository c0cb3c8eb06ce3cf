"""smallbiz's catalogue requests as its clients send them: products, categories and the
filters of the product and transaction lists, in its snake_case names with integer ids.
Each field takes what the domain's own values take (the same text, number and date types),
so a body that passes here is refused by a service only for what needs the database."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from stockkeeper.catalog.values import MAX_POSITION, Code, Color, Name, PlaceName
from stockkeeper.compat.smallbiz.paging import Paging
from stockkeeper.core.api_model import Day, NonNegative

# an integer id in a body: a JSON integer (smallbiz's ids), never a string or a fraction
Id = Annotated[int, Field(strict=True, ge=1)]
Position = Annotated[int, Field(strict=True, ge=0, le=MAX_POSITION)]
DEFAULT_COLOR = "#6e56cf"
DEFAULT_LOW_STOCK = 5


class Body(BaseModel):
    """A request body: unknown fields are refused, as everywhere in Stockkeeper."""

    model_config = ConfigDict(extra="forbid")


class ProductFields(Body):
    """What a new product may bring beyond its required fields, and what an update may set."""

    low_stock_threshold: NonNegative | None = None
    category_id: Id | None = None
    supplier_id: Id | None = None
    vat_rate_id: Id | None = None
    ean_code: Code | None = None


class ProductCreate(ProductFields):
    name: Name
    sku: Code
    price: NonNegative
    purchase_price: NonNegative
    quantity_on_hand: NonNegative


class ProductUpdate(ProductFields):
    """Every field is optional; what is left out is kept. ``quantity_on_hand`` is set as a
    stock count, where the company's setting ``purchase_orders_enabled`` is off."""

    name: Name | None = None
    sku: Code | None = None
    price: NonNegative | None = None
    purchase_price: NonNegative | None = None
    quantity_on_hand: NonNegative | None = None


class CategoryCreate(Body):
    name: PlaceName
    color: Color = DEFAULT_COLOR
    position: Position | None = None


class CategoryUpdate(Body):
    name: PlaceName | None = None
    color: Color | None = None
    position: Position | None = None


class ProductQuery(Paging):
    model_config = ConfigDict(extra="forbid")

    search: Annotated[str, Field(max_length=200)] | None = None
    supplier_id: Annotated[int, Field(ge=1)] | None = None


class TransactionQuery(Paging):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    product_id: Annotated[int, Field(ge=1)] | None = None
    date_from: Day | None = Field(default=None, alias="from")
    date_to: Day | None = Field(default=None, alias="to")
