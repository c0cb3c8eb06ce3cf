"""A report as the API returns it: its document in the schema's names, in the envelope, or its
items as a CSV or XLSX file with the columns below."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from pydantic import BaseModel

from stockkeeper.reports.schemas import AbcReport, LowStockReport, MovementReport, ValuationReport
from stockkeeper.reports.service.export import Column


@dataclass(frozen=True)
class ReportView:
    schema: type[BaseModel]
    document: dict[str, Any]  # in the schema's names
    file_name: str  # the file is named ``{file_name}-{day}.{format}``
    day: date
    columns: Sequence[Column]

    def read(self) -> BaseModel:
        return self.schema.model_validate(self.document)

    @property
    def rows(self) -> list[dict[str, Any]]:
        """The report's items, a file's rows."""
        items: list[dict[str, Any]] = self.document["items"]
        return items


# the columns of each report's file: heading, key of its rows
VALUATION_COLUMNS = [
    ("Item code", "item_code"),
    ("Item", "item_name"),
    ("Quantity", "quantity"),
    ("Average cost", "average_cost"),
    ("Value", "total_value"),
]
MOVEMENT_COLUMNS = [
    ("Item code", "item_code"),
    ("Item", "item_name"),
    ("Location", "location_name"),
    ("Opening quantity", "opening_quantity"),
    ("Opening value", "opening_value"),
    ("In quantity", "in_quantity"),
    ("In value", "in_value"),
    ("Out quantity", "out_quantity"),
    ("Out value", "out_value"),
    ("Closing quantity", "closing_quantity"),
    ("Closing value", "closing_value"),
]
LOW_STOCK_COLUMNS = [
    ("Item code", "item_code"),
    ("Item", "item_name"),
    ("Location", "location_name"),
    ("Current stock", "current_stock"),
    ("Minimum stock", "minimum_stock"),
    ("Reorder point", "reorder_point"),
    ("On order", "on_order_stock"),
    ("Suggested quantity", "suggested_quantity"),
    ("Supplier", "supplier_name"),
    ("Estimated cost", "estimated_cost"),
]
ABC_COLUMNS = [
    ("Item code", "item_code"),
    ("Item", "item_name"),
    ("Class", "classification"),
    ("Usage", "annual_usage"),
    ("Unit cost", "unit_cost"),
    ("Usage value", "annual_value"),
    ("Cumulative %", "cumulative_percentage"),
]


def valuation_view(document: dict[str, Any]) -> ReportView:
    day = document["as_of_date"]
    return ReportView(ValuationReport, document, "stock-valuation", day, VALUATION_COLUMNS)


def movements_view(document: dict[str, Any]) -> ReportView:
    day = document["period_to"]
    return ReportView(MovementReport, document, "stock-movements", day, MOVEMENT_COLUMNS)


def low_stock_view(document: dict[str, Any], day: date) -> ReportView:
    return ReportView(LowStockReport, document, "low-stock", day, LOW_STOCK_COLUMNS)


def abc_view(document: dict[str, Any]) -> ReportView:
    day = document["period_to"]
    return ReportView(AbcReport, document, "abc-analysis", day, ABC_COLUMNS)
