"""A fractional quantity bought at a unit cost of six decimals: the item's last cost keeps
six decimals as every money column does, rather than failing the posting."""

from __future__ import annotations

from decimal import Decimal

from tests.support import Api


def test_a_fractional_quantity_at_a_six_decimal_cost_posts(api: Api) -> None:
    location, item = api.location()["id"], api.item()["id"]
    posted = api.adjust(location, (item, 1.5, 3.333333))
    assert posted["items"][0]["unitCost"] == 3.333333
    stock = api.stock(itemId=item)
    assert [Decimal(str(row["currentStock"])) for row in stock] == [Decimal("1.5")]
    costs = api.data(api.get(f"/api/v1/items/{item}"))["costs"]
    assert Decimal(str(costs["lastCostPrice"])) == Decimal("3.333333")
