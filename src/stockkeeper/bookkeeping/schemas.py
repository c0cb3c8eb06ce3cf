"""The journals and the tie-out as the API shows them, and the queries that ask for them."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field

from stockkeeper.bookkeeping.values import JournalFilters, JournalView, ReconciliationFilters
from stockkeeper.core.api_model import ApiModel, Number
from stockkeeper.reports.schemas import Download
from stockkeeper.reports.values import Method

Role = Literal[
    "inventory", "goods_received", "cost_of_sales", "adjustment", "price_variance", "rounding"
]


class JournalParams(JournalFilters, Download):
    pass


class ReconciliationParams(ReconciliationFilters, ApiModel):
    pass


class Named(ApiModel):
    account_id: str = Field(examples=["acc_inventory"])
    account_code: str | None = Field(description="Null when no account of the chart has the id")
    account_name: str | None
    debit: Number
    credit: Number


class JournalLineRead(Named):
    date: dt.date
    entry_id: str = Field(
        description="The movement's id; a correcting entry's is `correction-<date>`"
    )
    kind: Literal["movement", "correction"]
    kept: bool = Field(description="Kept when the books were closed: it never changes")
    role: Role = Field(description="What the line books")
    item_id: str
    item_code: str | None
    variant_id: str | None
    location_id: str = Field(description="The location of the stock the line concerns")
    location_name: str | None
    movement_id: str | None
    movement_type: str | None
    document_type: str | None
    document_id: str | None
    document_number: str | None


class DayTotalRead(Named):
    date: dt.date


class JournalReport(ApiModel):
    date_from: dt.date
    date_to: dt.date
    currency: str
    valuation_method: Method
    kept_until: dt.date | None = Field(description="The books are closed and kept to this day")
    view: JournalView
    total_debit: Number
    total_credit: Number
    lines: list[JournalLineRead] = Field(description="With `view=lines`")
    days: list[DayTotalRead] = Field(description="With `view=daily`")


class LocationTieRead(ApiModel):
    location_id: str
    location_name: str
    valuation: Number
    journal_balance: Number
    difference: Number = Field(description="The valuation less the journals' balance")


class CauseRead(ApiModel):
    entry_id: str
    date: dt.date
    kind: Literal["movement", "correction"]
    item_id: str
    variant_id: str | None
    location_id: str
    account_id: str
    in_journals: Number = Field(description="The entry's inventory amount the journals show")
    from_ledger: Number = Field(description="What the ledger gives for it now")


class Reconciliation(ApiModel):
    as_of_date: dt.date
    valuation_method: Method
    currency: str
    kept_until: dt.date | None
    valuation: Number
    journal_balance: Number
    difference: Number
    locations: list[LocationTieRead]
    causes: list[CauseRead] = Field(
        description="When there is a difference: the entries that make it"
    )
