"""Alerts and alert rules as the API shows them, and the bodies and queries that change and
list them: the service's values with the API's names."""

from __future__ import annotations

import datetime as dt

from pydantic import Field

from stockkeeper.alerts.values import (
    AlertFilters,
    AlertStatus,
    AlertType,
    Conditions,
    Frequency,
    Notifications,
    RuleContent,
    Threshold,
)
from stockkeeper.core.api_model import ApiModel, Number
from stockkeeper.core.pagination import DEFAULT_LIMIT, MAX_LIMIT
from stockkeeper.stock.schemas import LocationRef


class RuleConditions(Conditions, ApiModel):
    pass


class RuleNotifications(Notifications, ApiModel):
    pass


class RuleWrite(RuleContent, ApiModel):
    conditions: RuleConditions = Field(default_factory=RuleConditions)
    notifications: RuleNotifications


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
    external_batch_number: str | None = Field(description="Of the batch: its manufacturer's")
    manufacturer_date: dt.date | None = Field(description="Of the batch")
    expiry_date: dt.date | None
    current_stock: Number = Field(
        description="On hand now (at the time of resolution, once resolved); for an expiry "
        "warning, of the batch"
    )
    stock_at_raise: Number
    threshold: Threshold
    threshold_quantity: Number | None = Field(description="None for expiry warnings")
    auto_reorder: bool = Field(
        description="Whether the reorder run (POST /api/v1/purchase-orders/from-reorder) draws "
        "up an order for the item when it is at or below its reorder point: it has a reorder "
        "point, a reorder quantity and a supplier"
    )
    reorder_quantity: Number | None = Field(description="The item's, as it stands now")
    raised_at: dt.datetime
    acknowledged_at: dt.datetime | None
    acknowledged_by: str | None
    resolved_at: dt.datetime | None


class AlertQuery(AlertFilters, ApiModel):
    limit: int = Field(default=DEFAULT_LIMIT, ge=1, le=MAX_LIMIT)
    cursor: str | None = None
