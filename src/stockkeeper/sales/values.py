"""What the sales use cases take: an issue of goods to a customer, a customer return, and the
filters of their lists."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated

from pydantic import Field

from stockkeeper.core.api_model import Day, Positive
from stockkeeper.core.text import name_text
from stockkeeper.core.values import ExternalId, Reference, Text, Values
from stockkeeper.stock.values import LineLots


class SalesLine(LineLots):
    item_id: str = Field(examples=["item_01jd..."])
    variant_id: str | None = None
    quantity: Positive = Field(examples=[2])
    location_id: str | None = Field(default=None, description="Defaults to the document's")
    bin_id: str | None = None
    notes: Text | None = None


class NewIssue(Values):
    date: Day | None = Field(default=None, description="Today in the company's time zone")
    location_id: str | None = Field(default=None, description="Defaults to the default warehouse")
    reference: Reference | None = Field(default=None, examples=["INV-2026-0107"])
    customer: Annotated[str, name_text(200, required=False)] | None = None
    notes: Text | None = None
    items: Sequence[SalesLine] = Field(min_length=1, max_length=1000)
    external_id: ExternalId | None = Field(
        default=None,
        examples=["POS-7-000123"],
        description="The client's own id of the document, unique per company and document "
        "type (issues and returns apart): sent again (here or in a batch), the document "
        "already posted is the answer",
    )


class NewReturn(NewIssue):
    issue_id: str | None = Field(
        default=None,
        description="The issue the goods went out on: they come back at its cost, and no "
        "more than went out. Without it they come back at their latest sale's cost.",
    )


class SalesFilters(Values):
    date_from: Day | None = None
    date_to: Day | None = None
    reference: str | None = None
    location_id: str | None = None
    item_id: str | None = None
    issue_id: str | None = None
    external_id: str | None = None
