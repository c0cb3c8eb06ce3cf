"""An item's page with its history: the item, its stock and latest movements, and its
quantity and value at each month end of the last year and today (for an item kept in stock)."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from stockkeeper.reports.service.valuation import ValuePoint, value_trend
from stockkeeper.stock.service.item_screens import ItemOverview, item_overview
from stockkeeper.tenancy.service import Actor


@dataclass(frozen=True)
class ItemOverTime:
    overview: ItemOverview
    currency: str = ""
    points: list[ValuePoint] = field(default_factory=list)  # none for an item not stocked


def item_over_time(session: Session, actor: Actor, *, item_id: str) -> ItemOverTime:
    overview = item_overview(session, actor, item_id=item_id)
    item = overview.view.item
    if item.type != "inventory" or not item.tracked:
        return ItemOverTime(overview)
    currency, points = value_trend(session, actor, months=12, item_id=item_id)
    return ItemOverTime(overview, currency, points)
