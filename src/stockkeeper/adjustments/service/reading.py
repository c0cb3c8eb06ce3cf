"""Adjustments as their views show them, with what they name read alongside: the locations
(the adjustments' and their lines') in one query, the accounts the lines name in one more,
only when a line names one, and the bins in one more, only when a line names one."""

from __future__ import annotations

from sqlalchemy.orm import Session

from stockkeeper.accounting.service.references import load_accounts
from stockkeeper.adjustments.models import StockAdjustment, StockAdjustmentLine
from stockkeeper.adjustments.views import AdjustmentView
from stockkeeper.catalog.models import Bin, Item
from stockkeeper.catalog.service.common import rows_by_id
from stockkeeper.stock.service.documents import locations_by_id

Lines = dict[str, list[tuple[StockAdjustmentLine, Item]]]


def views(
    session: Session, company_id: str, adjustments: list[StockAdjustment], lines: Lines
) -> list[AdjustmentView]:
    """The adjustments' views; ``lines`` holds each one's lines with their items."""
    every = [line for a in adjustments for line, _ in lines[a.id]]
    places = locations_by_id(
        session,
        company_id,
        {a.location_id for a in adjustments} | {line.location_id for line in every},
    )
    named = {line.account_id for line in every if line.account_id}
    accounts = load_accounts(session, company_id, named) if named else {}
    shelved = {ident for line in every for ident in _bins_of(line)}
    bins = rows_by_id(session, Bin, company_id, shelved) if shelved else {}
    return [
        AdjustmentView(a, places[a.location_id], lines[a.id], places, accounts, bins)
        for a in adjustments
    ]


def _bins_of(line: StockAdjustmentLine) -> list[str]:
    """The bins a line names: its bin, its bins, its batches' bins."""
    named = [line.bin_id] if line.bin_id else []
    named += [share["bin_id"] for share in line.bins or ()]
    named += [share["bin_id"] for batch in line.batches or () for share in batch.get("bins") or ()]
    return named
