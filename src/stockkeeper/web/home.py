"""The home page: the dashboard. What the stock is worth now and at each month end of the
last year (a chart, with its table), and what needs doing: open alerts, items at or below
their thresholds, documents waiting for approval; the latest movements. Each block links to
its whole list."""

from __future__ import annotations

from fastapi import Request, Response

from stockkeeper.alerts.service.dashboard import dashboard
from stockkeeper.web.auth import DbSession, Viewer
from stockkeeper.web.charts import trend_chart
from stockkeeper.web.item_format import FORMATS
from stockkeeper.web.pages import page_router, render

router = page_router()


@router.get("/")
def home_page(request: Request, session: DbSession, visit: Viewer) -> Response:
    board = dashboard(session, visit.actor)
    chart = trend_chart(board.values, board.currency, "Stock value at each month end and today")
    return render(request, "home.html", board=board, chart=chart, **FORMATS)
