"""Sales issues and customer returns as the canonical API shows them, and their bodies."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from pydantic import Field

from stockkeeper.core.api_model import ApiModel, Number
from stockkeeper.sales.values import NewIssue, NewReturn, SalesFilters, SalesLine
from stockkeeper.stock.schemas import BatchEntry, BatchRead


class LocationRef(ApiModel):
    id: str
    name: str


class IssueLineCreate(SalesLine, ApiModel):
    batches: Sequence[BatchEntry] | None = Field(default=None, max_length=1000)


class IssueCreate(NewIssue, ApiModel):
    items: Sequence[IssueLineCreate] = Field(min_length=1, max_length=1000)


class ReturnCreate(NewReturn, ApiModel):
    items: Sequence[IssueLineCreate] = Field(min_length=1, max_length=1000)


class DocumentLineRead(ApiModel):
    id: str
    item_id: str
    item_code: str
    item_name: str
    variant_id: str | None
    location_id: str
    bin_id: str | None
    quantity: Number
    unit_cost: Number = Field(
        description="The cost the stock left (or came back) with; for a non-stock item or a "
        "service, which moves no stock, its cost price (or the cost it went out with)"
    )
    total_cost: Number
    notes: str | None
    batches: list[BatchRead] | None
    serial_numbers: list[str] | None


class DocumentRead(ApiModel):
    id: str
    document_number: str = Field(examples=["ISS-2026-0001"])
    date: dt.date
    location_id: str
    location: LocationRef
    issue_id: str | None = Field(description="Returns: the issue the goods went out on")
    reference: str | None
    external_id: str | None = Field(default=None, description="The client's own id, as sent")
    customer: str | None
    notes: str | None
    items: list[DocumentLineRead]
    total_value: Number = Field(description="The lines' totalCost")
    created_by: str
    created_at: dt.datetime


class DocumentListQuery(SalesFilters, ApiModel):
    limit: int = Field(default=50, ge=1, le=200)
    cursor: str | None = None
