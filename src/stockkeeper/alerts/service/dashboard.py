"""The dashboard: what the stock is worth now and at each month end of the last year, and what
needs doing (open alerts, items at or below their thresholds, documents waiting for
approval), with the latest movements.

A read across slices, composed here because alerts is the rightmost slice it needs."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, select
from sqlalchemy.orm import Session, aliased

from stockkeeper.adjustments import service as adjustments
from stockkeeper.adjustments.values import AdjustmentFilters
from stockkeeper.adjustments.views import AdjustmentView
from stockkeeper.alerts.service.alerts import list_alerts
from stockkeeper.alerts.values import AlertFilters
from stockkeeper.alerts.views import AlertView
from stockkeeper.catalog.models import Item, Location
from stockkeeper.core.pagination import Listed
from stockkeeper.counts import service as counts
from stockkeeper.counts.values import CountFilters
from stockkeeper.counts.views import CountView
from stockkeeper.reports.service.low_stock import low_stock_report
from stockkeeper.reports.service.valuation import ValuePoint, value_trend
from stockkeeper.reports.values import LowStockFilters
from stockkeeper.stock.models import Movement
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
    counts: Listed[CountView]  # submitted, waiting for approval
    movements: list[dict[str, Any]]  # the latest

    @property
    def waiting(self) -> int:
        """How many documents wait for approval."""
        return sum(listed.counted for listed in (self.adjustments, self.transfers, self.counts))


def dashboard(session: Session, actor: Actor) -> Dashboard:
    currency, values = value_trend(session, actor, months=12)
    low = low_stock_report(session, actor, filters=LowStockFilters()).rows
    waiting = {"status": "pending_approval"}
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
        counts=counts.list_counts(
            session, actor, filters=CountFilters(status="submitted"), limit=SHOWN, cursor=None
        ),
        movements=_latest(session, actor),
    )


def _latest(session: Session, actor: Actor) -> list[dict[str, Any]]:
    """The latest movements by date (newest first), each with its item's code and name and
    the names of the places it went from and to: read along the ledger's date index, not
    counted, since the dashboard shows only a few."""
    m, source, target = Movement, aliased(Location), aliased(Location)
    company_id = actor.company_id
    statement = (
        select(
            m.id,
            m.effective_date,
            m.item_id,
            m.quantity,
            m.movement_type,
            Item.item_code,
            Item.name.label("item_name"),
            source.name.label("from_name"),
            target.name.label("to_name"),
        )
        .join(Item, and_(Item.company_id == company_id, Item.id == m.item_id))
        .join(source, and_(source.company_id == company_id, source.id == m.from_location_id))
        .join(target, and_(target.company_id == company_id, target.id == m.to_location_id))
        .where(m.company_id == company_id)
        .order_by(m.effective_date.desc(), m.id.desc())
        .limit(SHOWN)
    )
    return [dict(row) for row in session.execute(statement).mappings()]
