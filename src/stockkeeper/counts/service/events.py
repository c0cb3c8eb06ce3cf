"""A count's event: ``inventory.count`` with what changed (``opened``, ``submitted``,
``approved``, ``posted``, ``cancelled``) and the count's summary; counting itself is audited
but not announced (a scan is not news)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from stockkeeper.core import outbox
from stockkeeper.counts.models import StockCount
from stockkeeper.counts.service import reading
from stockkeeper.counts.views import CountView
from stockkeeper.tenancy.service import Actor


def announce(session: Session, actor: Actor, count: StockCount, change: str) -> CountView:
    view = reading.current(session, actor, count)
    outbox.emit(session, actor.company_id, "inventory.count", view.data, change=change)
    return view
