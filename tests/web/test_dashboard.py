"""The dashboard over HTTP: the stock value now and at the month ends before (the chart and
its table hold the valuation report's figures), open alerts, items at or below their
thresholds, documents waiting for approval and the latest movements, each linking on."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal

from stockkeeper.core.db import Database
from stockkeeper.reports.service.valuation import month_ends
from stockkeeper.tenancy.service import Role, company_today, get_company
from stockkeeper.web.item_format import money
from tests.counts.support import counted, move, open_count
from tests.support import Api, Tenant, unique
from tests.web.conftest import Web
from tests.web.places import valued


def _today(database: Database, tenant: Tenant) -> date:
    with database.unit_of_work() as session:
        return company_today(get_company(session, tenant.company_id))


def _figures(html: str) -> dict[str, str]:
    """The chart's table: each row's label and its figure."""
    table = html.split('<table class="figures">', 1)[1].split("</table>", 1)[0]
    return dict(re.findall(r'<th scope="row">([^<]+)</th><td class="num">([^<]+)</td>', table))


def test_the_dashboard_shows_the_stock_value_now_and_at_each_month_end(
    api: Api, signed_in: Callable[[Role], Web], database: Database, tenant: Tenant
) -> None:
    today = _today(database, tenant)
    earlier = month_ends(today, 12)[-3]  # the month end two months back
    main = api.location(name=unique("Main"))
    bolt = api.item(itemCode=unique("BOLT"), name="Hex bolt")
    before = (earlier - timedelta(days=3)).isoformat()
    api.adjust(main["id"], (bolt["id"], "4", "2.50"), date=before)
    api.adjust(main["id"], (bolt["id"], "6", "3"))
    html = signed_in(Role.viewer).get("/").text
    now, then = valued(database, tenant), valued(database, tenant, earlier)
    assert (now, then) == (Decimal("28.00"), Decimal("10.00"))
    assert f'<strong id="stock-value">{money(now)} ' in html
    figures = _figures(html)
    assert len(figures) == 13
    assert figures["Today"] == money(now)
    assert figures[earlier.strftime("%b %Y")] == money(then)
    assert figures[month_ends(today, 12)[0].strftime("%b %Y")] == "0.00"
    svg = html.split('<div class="chart-drawing">', 1)[1].split("</div>", 1)[0]
    assert svg.startswith("<svg") and "<script" not in svg and 'viewBox="' in svg
    assert 'href="/reports/valuation"' in html
    # a movement dated before that month end changes its figure, though it was worked out
    api.adjust(main["id"], (bolt["id"], "2", "1"), date=before)
    again = _figures(signed_in(Role.viewer).get("/").text)
    assert valued(database, tenant, earlier) == Decimal("12.00")
    assert again[earlier.strftime("%b %Y")] == "12.00" and again["Today"] == "30.00"


def test_the_dashboard_lists_what_needs_doing_with_links_to_the_whole_lists(
    api: Api, signed_in: Callable[[Role], Web]
) -> None:
    main = api.location(name=unique("Main"))
    nut = api.item(itemCode=unique("NUT"), name="Hex nut", inventory={"minimumStock": 10})
    api.adjust(main["id"], (nut["id"], "4", "1"))
    draft = api.adjust(main["id"], (nut["id"], "1", "1"), status="draft")
    api.post(f"/api/v1/inventory/adjustments/{draft['id']}/submit", {})
    html = signed_in(Role.viewer).get("/").text
    alerts = html.split('id="h-alerts"', 1)[1].split("</section>", 1)[0]
    assert f'<a href="/items/{nut["id"]}">{nut["itemCode"]} · Hex nut</a>' in alerts
    assert "low stock at" in alerts and 'href="/alerts"' in alerts
    low = html.split('id="h-low"', 1)[1].split("</section>", 1)[0]
    assert f"{nut['itemCode']} · Hex nut" in low and "4 on hand, minimum 10" in low
    waiting = html.split('id="h-waiting"', 1)[1].split("</section>", 1)[0]
    assert f'href="/adjustments/{draft["id"]}"' in waiting
    assert '<span class="count">1</span>' in waiting
    latest = html.split('id="h-latest"', 1)[1].split("</section>", 1)[0]
    # the posted adjustment alone: the draft waiting for approval moved nothing
    assert latest.count("<li>") == 1 and 'href="/movements"' in latest
    assert f": 4, adjustment, Adjustments and losses to {main['name']}</span>" in latest


def test_an_empty_company_sees_an_empty_dashboard(signed_in: Callable[[Role], Web]) -> None:
    html = signed_in(Role.admin).get("/").text
    assert '<strong id="stock-value">0.00 ' in html
    assert "No open alerts." in html and "Nothing is waiting for approval." in html


def test_a_submitted_count_waits_for_approval_on_the_dashboard(
    api: Api, signed_in: Callable[[Role], Web]
) -> None:
    shelf = api.location(name=unique("Shelf"))
    nut = api.item(itemCode=unique("NUT"))
    api.adjust(shelf["id"], (nut["id"], "4", "1"))
    opened = open_count(api, shelf["id"])
    counted(api, opened["id"], {"itemId": nut["id"], "quantity": 3})
    html = signed_in(Role.viewer).get("/").text
    assert f'href="/counts/{opened["id"]}"' not in html  # still being counted
    move(api, opened["id"], "submit")
    waiting = signed_in(Role.viewer).get("/").text.split('id="h-waiting"', 1)[1]
    waiting = waiting.split("</section>", 1)[0]
    assert f'<a href="/counts/{opened["id"]}">Count {opened["countNumber"]}</a>' in waiting
    assert "1 of 1 lines counted" in waiting and '<span class="count">1</span>' in waiting
    assert 'href="/counts?status=submitted"' in waiting
