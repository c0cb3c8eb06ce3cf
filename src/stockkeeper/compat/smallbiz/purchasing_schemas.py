"""smallbiz's purchasing requests, as its document writes them: snake_case fields, integer
ids, smallbiz's four order statuses. Suppliers are taken in the domain's own values
(``NewSupplier``, ``SupplierChanges``), whose names are smallbiz's. Unknown fields are
refused (422), as on the canonical API."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, Literal

from fastapi import Path
from pydantic import BaseModel, ConfigDict, Field

from stockkeeper.compat.smallbiz.paging import Paging
from stockkeeper.core.api_model import Day, NonNegative, Positive
from stockkeeper.core.values import Reference, Text

# smallbiz's statuses of a purchase order
Status = Literal["created", "ordered", "received", "cancelled"]
# an id in a body is a JSON integer (never a string or a fraction), in an id column's range
Id = Annotated[int, Field(strict=True, ge=1, le=2**31 - 1)]
PathId = Annotated[int, Path(ge=1, le=2**31 - 1)]  # an id in a path


class Request(BaseModel):
    model_config = ConfigDict(extra="forbid")


class SupplierQuery(Paging):
    active: bool | None = Field(default=None, description="true: active suppliers only")


class OrderQuery(Paging):
    status: Status | None = None


class OrderCreate(Request):
    supplier_id: Id
    staff_id: Id | None = Field(default=None, description="Defaults to the current user")
    notes: Text | None = None
    order_date: Day | None = Field(default=None, description="Today by default")
    expected_date: Day | None = None


class OrderItem(Request):
    product_id: Id
    quantity: Positive
    unit_cost: NonNegative | None = Field(
        default=None, description="The product's purchase price if not given"
    )


class OrderItems(Request):
    items: Sequence[OrderItem] = Field(max_length=1000)


class OrderUpdate(Request):
    status: Status | None = None
    notes: Text | None = None
    order_date: Day | None = None
    expected_date: Day | None = None
    received_date: Day | None = None
    packing_slip_number: Reference | None = None


class ZipQuery(BaseModel):
    year: Annotated[int, Field(ge=1900, le=9999)] | None = None
