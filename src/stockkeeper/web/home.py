"""The home page: the dashboard. What the stock is worth now and at each month end of the
last year (a chart, with its table), and what needs doing: open alerts, items at or below
their thresholds, documents waiting for approval; the latest movements. Each block links to
its whole list."""

from __future__ import annotations

from decimal import Decimal

from fastapi import Request, Response

from stockkeeper.alerts.service.dashboard import dashboard
from stockkeeper.reports.service.valuation import ValuePoint
from stockkeeper.web.auth import DbSession, Viewer
from stockkeeper.web.charts import Chart, Series
from stockkeeper.web.item_format import FORMATS
from stockkeeper.web.pages import page_router, render

router = page_router()


@router.get("/")
def home_page(request: Request, session: DbSession, visit: Viewer) -> Response:
    board = dashboard(session, visit.actor)
    chart = value_chart(board.values, board.currency, "Stock value at each month end and today")
    return render(request, "home.html", board=board, chart=chart, **FORMATS)


def value_chart(points: list[ValuePoint], currency: str, caption: str) -> Chart:
    """The value at each day of ``points`` (the last one today) as a line."""
    labels = [_day(point, n == len(points) - 1) for n, point in enumerate(points)]
    values: list[Decimal] = [point.value for point in points]
    return Chart(caption, "Day", labels, [Series(f"Value ({currency})", values)])


def _day(point: ValuePoint, today: bool) -> str:
    return "Today" if today else point.day.strftime("%b %Y")
