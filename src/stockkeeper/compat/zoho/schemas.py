"""Zoho's request bodies and list query, with Zoho's own (snake_case) names, as its schema
document has them. Numbers are exact decimals; unknown fields are refused, as on every face.
What Zoho sends that Stockkeeper keeps elsewhere (a line's ``name``, ``unit`` and
``adjustment_account_name``, ``is_combo_product``, the ids of entries Zoho keeps per batch and
bin) is taken and left: the item's own name and unit, the account's own name are shown."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from stockkeeper.core.api_model import Day, Number
from stockkeeper.core.text import code_text, free_text, name_text

_Id = Annotated[str, code_text(100)]
_Text = Annotated[str, free_text(2000)]
_Label = Annotated[str, name_text(255)]
_Quantity = Number | None


class ZohoModel(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Storage(ZohoModel):
    """A bin (Zoho's storage) of the line's location, with the quantity going in or out."""

    storage_id: _Id
    in_quantity: _Quantity = None
    out_quantity: _Quantity = None
    storage_in_id: str | None = None
    storage_out_id: str | None = None
    serial_numbers: Sequence[_Id] | None = Field(default=None, max_length=10000)


class Batch(ZohoModel):
    batch_id: _Id | None = None
    batch_number: _Id | None = None
    external_batch_number: _Id | None = None
    manufacturer_date: Day | None = None
    expiry_date: Day | None = None
    in_quantity: _Quantity = None
    out_quantity: _Quantity = None
    batch_in_id: str | None = None
    storages: Sequence[Storage] | None = Field(default=None, max_length=1000)


class LineItem(ZohoModel):
    line_item_id: str | None = None  # an update replaces the lines: taken and left
    item_id: _Id
    name: str | None = None
    description: _Text | None = None
    quantity_adjusted: _Quantity = None
    value_adjusted: _Quantity = None
    item_total: _Quantity = None
    unit: str | None = None
    is_combo_product: bool | None = None
    adjustment_account_id: _Id | None = None
    adjustment_account_name: str | None = None
    location_id: _Id | None = None
    serial_numbers: Sequence[_Id] | None = Field(default=None, max_length=10000)
    batches: Sequence[Batch] | None = Field(default=None, max_length=1000)
    storages: Sequence[Storage] | None = Field(default=None, max_length=1000)


class CustomField(ZohoModel):
    customfield_id: _Id | None = None
    label: _Label | None = None
    value: Any = None


class Adjustment(ZohoModel):
    """The create and the update request (Zoho's are the same but for the lines' ids).
    ``reason`` is free text, or ``reason_id`` names a reason of the catalogue (its code)."""

    date: Day | None = None
    reason: Annotated[str, name_text(255)] | None = None
    reason_id: _Id | None = None
    description: _Text | None = None
    reference_number: Annotated[str, code_text(100, required=False)] | None = None
    adjustment_type: Literal["quantity", "value"] = "quantity"
    location_id: _Id | None = None
    custom_fields: Sequence[CustomField] = Field(default=(), max_length=50)
    line_items: Sequence[LineItem] = Field(min_length=1, max_length=1000)


class NewAdjustment(Adjustment):
    status: Literal["draft", "adjusted"] = Field(
        default="adjusted",
        description="Not Zoho's: draft keeps it a draft (to submit for approval, or mark as "
        "adjusted later); adjusted, the default, moves the stock at once, as Zoho does",
    )


class Rejection(ZohoModel):
    reason: Annotated[str, free_text(500)] | None = None


Filter = Literal[
    "Status.All",
    "Status.Draft",
    "Status.PendingApproval",
    "Status.Approved",
    "Status.Rejected",
    "Status.Adjusted",
    "Status.Reversed",
]


class ListQuery(ZohoModel):
    """Zoho's paging (``page`` from 1, ``per_page`` up to 200) and filters. Zoho's clients send
    ``organization_id`` on every request: taken and left, since ``X-Company-Id`` chooses."""

    page: int = Field(default=1, ge=1, le=100000)
    per_page: int = Field(default=200, ge=1, le=200)
    filter_by: Filter = "Status.All"
    location_id: str | None = None
    item_id: str | None = None
    reason_id: str | None = None
    date_start: Day | None = None
    date_end: Day | None = None
    organization_id: str | None = None
