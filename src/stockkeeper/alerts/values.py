"""What the alert use cases take: a rule's content, and the alerts' filters."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, field_validator

from stockkeeper.core.text import name_text
from stockkeeper.core.values import Email, Values
from stockkeeper.webhooks.values import Url

AlertType = Literal[
    "low_stock", "out_of_stock", "overstock", "negative_stock", "expiry_warning", "reorder_point"
]
Threshold = Literal["minimum_stock", "maximum_stock", "reorder_point", "zero", "expiry_date"]
AlertStatus = Literal["open", "acknowledged", "resolved"]
Frequency = Literal["immediate", "hourly", "daily"]

# the item threshold each type of alert watches
THRESHOLDS: dict[str, Threshold] = {
    "low_stock": "minimum_stock",
    "reorder_point": "reorder_point",
    "overstock": "maximum_stock",
    "out_of_stock": "zero",
    "negative_stock": "zero",
    "expiry_warning": "expiry_date",
}


class Conditions(Values):
    """Which alerts of its type a rule watches."""

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


class Notifications(Values):
    """Who a rule tells, and how often: an email address, a webhook URL or both."""

    email: list[Email] = Field(
        default_factory=list, max_length=50, examples=[["inventory@company.com"]]
    )
    webhook: Url | None = Field(
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


class RuleContent(Values):
    """An alert rule: what a create sends, and what an update replaces."""

    name: Annotated[str, name_text(200)]
    type: AlertType
    conditions: Conditions = Field(default_factory=Conditions)
    notifications: Notifications
    active: bool = True


class AlertFilters(Values):
    type: AlertType | None = None
    status: AlertStatus | None = None
    location_id: str | None = None
    item_id: str | None = None
