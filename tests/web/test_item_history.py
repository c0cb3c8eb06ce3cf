"""An item's page shows its quantity and value at each month end and today: a chart with its
table, whose figures are the valuation report's for that item; an item not kept in stock has
none."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta

from stockkeeper.core.db import Database
from stockkeeper.reports.service.valuation import month_ends
from stockkeeper.tenancy.service import Role, company_today, get_company
from tests.support import Api, Tenant, unique
from tests.web.conftest import Web

_ROW = r'<th scope="row">([^<]+)</th><td class="num">([^<]+)</td><td class="num">([^<]+)</td>'


def test_an_items_page_charts_its_quantity_and_value_over_time(
    api: Api, signed_in: Callable[[Role], Web], database: Database, tenant: Tenant
) -> None:
    with database.unit_of_work() as session:
        today = company_today(get_company(session, tenant.company_id))
    last_month = month_ends(today, 12)[-2]
    main = api.location(name=unique("Main"))
    bolt = api.item(itemCode=unique("BOLT"))
    other = api.item(itemCode=unique("OTHER"))
    before = (last_month - timedelta(days=1)).isoformat()
    api.adjust(main["id"], (bolt["id"], "3", "2"), (other["id"], "50", "9"), date=before)
    api.adjust(main["id"], (bolt["id"], "1.5", "4"))
    web = signed_in(Role.viewer)
    html = web.get(f"/items/{bolt['id']}").text
    figure = html.split('aria-labelledby="history-heading"', 1)[1].split("</section>", 1)[0]
    assert "<svg" in figure and "<script" not in figure
    rows = {label: (value, quantity) for label, value, quantity in re.findall(_ROW, figure)}
    assert len(rows) == 13
    assert rows["Today"] == ("12.00", "4.5")
    assert rows[last_month.strftime("%b %Y")] == ("6.00", "3")
    service = api.item(itemCode=unique("FIT"), type="service")
    assert "history-heading" not in web.get(f"/items/{service['id']}").text
