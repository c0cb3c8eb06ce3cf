"""What the bookkeeping use cases take: the journals' and the tie-out's filters."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from stockkeeper.core.api_model import Day
from stockkeeper.core.values import Values

JournalView = Literal["lines", "daily"]


class JournalFilters(Values):
    date_from: Day | None = Field(
        default=None, description="The first day; the first of dateTo's month if not given"
    )
    date_to: Day | None = Field(default=None, description="The last day; today if not given")
    account_id: str | None = Field(
        default=None, description="Only this account's lines (an account's id or code)"
    )
    item_id: str | None = None
    location_id: str | None = Field(default=None, description="The stock's location")
    view: JournalView = Field(
        default="lines",
        description="`lines`: each line of each movement's entry; `daily`: per account and "
        "day, the debits and the credits",
    )


class ReconciliationFilters(Values):
    as_of_date: Day | None = Field(
        default=None, description="The end of this day; today in the company's time zone"
    )
