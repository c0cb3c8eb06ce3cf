"""Alert and alert rule bodies (camelCase, the envelope)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import EmailStr, Field, StringConstraints, field_validator

from stockkeeper.core.api_model import ApiModel, Number
from stockkeeper.core.pagination import DEFAULT_LIMIT, MAX_LIMIT
from stockkeeper.stock.schemas import LocationRef

AlertType = Literal[
    "low_stock", "out_of_stock", "overstock", "negative_stock", "expiry_warning", "reorder_point"
]
Threshold = Literal["minimum_stock", "maximum_stock", "reorder_point", "zero", "expiry_date"]
AlertStatus = Literal["open", "acknowledged", "resolved"]
Frequency = Literal["immediate", "hourly", "daily"]


class RuleConditions(ApiModel):
    categories: list[str] = Field(
        default_factory=list,
        max_length=100,
        description="Category ids (with their subcategories); empty: every category",
        examples=[["cat_electronics"]],
    )
    locations: list[str] = Field(
        default_factory=list,
        max_length=100,
        description="Warehouse and store ids; empty: every one",
        examples=[["loc_warehouse1", "loc_store1"]],
    )
    threshold: Threshold | None = Field(
        default=None,
        description="The item threshold the rule watches; each type has one (`low_stock`: "
        "`minimum_stock`, `reorder_point`: `reorder_point`, `overstock`: `maximum_stock`, "
        "`out_of_stock` and `negative_stock`: `zero`, `expiry_warning`: `expiry_date`), "
        "which is the default",
        examples=["minimum_stock"],
    )

    @field_validator("categories", "locations")
    @classmethod
    def _once_each(cls, ids: list[str]) -> list[str]:
        return sorted(set(ids))


class RuleNotifications(ApiModel):
    email: list[EmailStr] = Field(
        default_factory=list, max_length=50, examples=[["inventory@company.com"]]
    )
    webhook: Annotated[str, StringConstraints(min_length=8, max_length=2000)] | None = Field(
        default=None,
        description="Receives the rule's alerts as signed webhooks (a subscription the rule "
        "owns, listed under /api/v1/webhooks)",
        examples=["https://your-app.com/webhooks/inventory"],
    )
    frequency: Frequency = Field(
        default="immediate",
        description="Emails: one per alert (`immediate`) or a digest at the top of each hour "
        "or after midnight (UTC). Webhooks are sent as alerts happen.",
    )


class RuleWrite(ApiModel):
    name: Annotated[str, StringConstraints(min_length=1, max_length=200, strip_whitespace=True)]
    type: AlertType
    conditions: RuleConditions = Field(default_factory=RuleConditions)
    notifications: RuleNotifications
    active: bool = True


class RuleNotificationsRead(ApiModel):
    email: list[str]
    webhook: str | None
    webhook_id: str | None = Field(description="The subscription carrying the webhooks")
    frequency: Frequency


class RuleRead(ApiModel):
    id: str
    name: str
    type: AlertType
    conditions: RuleConditions
    notifications: RuleNotificationsRead
    active: bool
    created_at: dt.datetime
    updated_at: dt.datetime


class RuleSaved(RuleRead):
    webhook_secret: str | None = Field(
        description="The signing secret of the rule's webhook (`whsec_...`), when this request "
        "created it; shown only here"
    )


class AlertRead(ApiModel):
    id: str
    type: AlertType
    status: AlertStatus
    item_id: str
    item_code: str
    item_name: str
    variant_id: str | None
    location_id: str
    location: LocationRef
    batch_id: str | None
    batch_number: str | None
    expiry_date: dt.date | None
    current_stock: Number = Field(
        description="On hand now (at the time of resolution, once resolved); for an expiry "
        "warning, of the batch"
    )
    stock_at_raise: Number
    threshold: Threshold
    threshold_quantity: Number | None = Field(description="None for expiry warnings")
    raised_at: dt.datetime
    acknowledged_at: dt.datetime | None
    acknowledged_by: str | None
    resolved_at: dt.datetime | None


class AlertQuery(ApiModel):
    type: AlertType | None = None
    status: AlertStatus | None = None
    location_id: str | None = None
    item_id: str | None = None
    limit: int = Field(default=DEFAULT_LIMIT, ge=1, le=MAX_LIMIT)
    cursor: str | None = None
