"""The journals and the tie-out in the API's shapes, and the journals' files."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from stockkeeper.bookkeeping.schemas import (
    DayTotalRead,
    JournalLineRead,
    JournalReport,
    Reconciliation,
)
from stockkeeper.bookkeeping.service.entries import JournalLine
from stockkeeper.bookkeeping.service.journal_report import DayTotal
from stockkeeper.bookkeeping.service.journal_report import JournalReport as Report
from stockkeeper.bookkeeping.service.reconciliation import Reconciliation as TieOut
from stockkeeper.costing.service.engine import ZERO
from stockkeeper.reports.service.export import Column

LINE_COLUMNS: list[Column] = [
    ("Date", "date"),
    ("Entry", "entry_id"),
    ("Kind", "kind"),
    ("Account code", "account_code"),
    ("Account", "account_name"),
    ("Debit", "debit"),
    ("Credit", "credit"),
    ("Role", "role"),
    ("Item code", "item_code"),
    ("Location", "location_name"),
    ("Movement type", "movement_type"),
    ("Document type", "document_type"),
    ("Document number", "document_number"),
]
DAY_COLUMNS: list[Column] = [
    ("Date", "date"),
    ("Account code", "account_code"),
    ("Account", "account_name"),
    ("Debit", "debit"),
    ("Credit", "credit"),
]


def _account(report: Report, account_id: str, debit: Any, credit: Any) -> dict[str, Any]:
    account = report.accounts.get(account_id)
    return {
        "account_id": account_id,
        "account_code": account.code if account else None,
        "account_name": account.name if account else None,
        "debit": debit,
        "credit": credit,
    }


def line_row(report: Report, line: JournalLine) -> dict[str, Any]:
    amount = line.amount
    return {
        **_account(report, line.account_id, max(amount, ZERO), max(-amount, ZERO)),
        "date": line.day,
        "entry_id": line.entry_id,
        "kind": line.kind,
        "kept": report.kept_until is not None and line.day <= report.kept_until,
        "role": line.role,
        "item_id": line.item_id,
        "item_code": report.item_codes.get(line.item_id),
        "variant_id": line.variant_id,
        "location_id": line.location_id,
        "location_name": report.location_names.get(line.location_id),
        "movement_id": line.entry_id if line.kind == "movement" else None,
        "movement_type": line.movement_type,
        "document_type": line.document_type,
        "document_id": line.document_id,
        "document_number": line.document_number,
    }


def day_row(report: Report, total: DayTotal) -> dict[str, Any]:
    return {"date": total.day, **_account(report, total.account_id, total.debit, total.credit)}


def journal_rows(report: Report) -> tuple[list[Column], list[dict[str, Any]]]:
    """The file's columns and rows: the lines, or the days' totals."""
    if report.view == "daily":
        return DAY_COLUMNS, [day_row(report, total) for total in report.days]
    return LINE_COLUMNS, [line_row(report, line) for line in report.lines]


def journal_read(report: Report) -> dict[str, Any]:
    """In the API's names (``JournalReport``), rendered here rather than validated: a month
    holds a hundred thousand lines."""
    daily = report.view == "daily"
    return _camel(
        {
            "date_from": report.date_from,
            "date_to": report.date_to,
            "currency": report.currency,
            "valuation_method": report.method,
            "kept_until": report.kept_until,
            "view": report.view,
            "total_debit": report.debit,
            "total_credit": report.credit,
            "lines": [] if daily else [_camel(line_row(report, line)) for line in report.lines],
            "days": [_camel(day_row(report, total)) for total in report.days] if daily else [],
        }
    )


def _camel(fields: dict[str, Any]) -> dict[str, Any]:
    return {_CAMEL[name]: value for name, value in fields.items()}


_CAMEL = {
    name: field.alias or name
    for schema in (JournalReport, JournalLineRead, DayTotalRead)
    for name, field in schema.model_fields.items()
}


def _dated(fields: dict[str, Any]) -> dict[str, Any]:
    """A record's ``day`` as the API names it: ``date``."""
    day = fields.pop("day")
    return {**fields, "date": day}


def reconciliation_read(tie_out: TieOut) -> Reconciliation:
    return Reconciliation.model_validate(
        {
            "as_of_date": tie_out.as_of,
            "valuation_method": tie_out.method,
            "currency": tie_out.currency,
            "kept_until": tie_out.kept_until,
            "valuation": tie_out.valuation,
            "journal_balance": tie_out.journal_balance,
            "difference": tie_out.difference,
            "locations": [
                {**asdict(tie), "difference": tie.difference} for tie in tie_out.locations
            ],
            "causes": [_dated(asdict(cause)) for cause in tie_out.causes],
        }
    )
