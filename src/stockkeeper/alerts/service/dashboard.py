"""The dashboard: what the stock is worth now and at each month end of the last year, and what
needs doing (open alerts, items at or below their thresholds, documents waiting for
approval), with the latest movements.

A read across slices, composed here because alerts is the rightmost slice it needs."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from stockkeeper.adjustments import service as adjustments
from stockkeeper.adjustments.values import AdjustmentFilters
from stockkeeper.adjustments.views import AdjustmentView
from stockkeeper.alerts.service.alerts import list_alerts
from stockkeeper.alerts.values import AlertFilters
from stockkeeper.alerts.views import AlertView
from stockkeeper.core.pagination import Listed
from stockkeeper.reports.service.low_stock import low_stock_report
from stockkeeper.reports.service.valuation import ValuePoint, value_trend
from stockkeeper.reports.values import LowStockFilters
from stockkeeper.stock.service.movements import list_movements
from stockkeeper.stock.values import MovementFilters
from stockkeeper.tenancy.service import Actor
from stockkeeper.transfers import service as transfers
from stockkeeper.transfers.values import TransferFilters
from stockkeeper.transfers.views import TransferView

SHOWN = 5  # rows of each list; each block links to its whole list


@dataclass(frozen=True)
class Dashboard:
    currency: str
    values: list[ValuePoint]  # the last twelve month ends, then today
    alerts: Listed[AlertView]  # open
    low_stock: list[dict[str, Any]]  # the low-stock report's first rows
    low_stock_total: int
    adjustments: Listed[AdjustmentView]  # waiting for approval
    transfers: Listed[TransferView]  # waiting for approval
    movements: list[dict[str, Any]]  # the latest


def dashboard(session: Session, actor: Actor) -> Dashboard:
    currency, values = value_trend(session, actor, months=12)
    low = low_stock_report(session, actor, filters=LowStockFilters()).rows
    waiting = {"status": "pending_approval"}
    movements, _, _ = list_movements(
        session, actor, filters=MovementFilters(), limit=SHOWN, cursor=None
    )
    return Dashboard(
        currency=currency,
        values=values,
        alerts=list_alerts(
            session, actor, filters=AlertFilters(status="open"), limit=SHOWN, cursor=None
        ),
        low_stock=low[:SHOWN],
        low_stock_total=len(low),
        adjustments=adjustments.list_adjustments(
            session, actor, filters=AdjustmentFilters(**waiting), limit=SHOWN, cursor=None
        ),
        transfers=transfers.list_transfers(
            session, actor, filters=TransferFilters(**waiting), limit=SHOWN, cursor=None
        ),
        movements=movements,
    )
