from __future__ import annotations

from tests.support import Api, problem


def test_defaults_follow_the_sage_document(api: Api) -> None:
    groups = api.data(api.get("/api/v1/price-groups"))
    assert sorted((g["kind"], g["name"]) for g in groups) == [
        ("sales_price", "Sales Price"),
        ("sales_price", "Trade"),
        ("sales_price", "Wholesale"),
        ("service_rate", "Rate"),
    ]
    assert all(g["isActive"] and not g["pricesIncludeTax"] for g in groups)
    rates = api.data(api.get("/api/v1/price-groups", params={"kind": "service_rate"}))
    assert [g["name"] for g in rates] == ["Rate"]


def test_delete_only_inactive_and_never_the_last_of_its_kind(api: Api) -> None:
    retail = api.create("/api/v1/price-groups", {"name": "Retail", "pricesIncludeTax": True})
    assert retail["kind"] == "sales_price"
    assert retail["pricesIncludeTax"] is True
    problem(api.post("/api/v1/price-groups", {"name": "Retail"}), 409)
    item = api.item(pricing={"priceGroups": [{"groupId": retail["id"], "price": 9.5}]})
    problem(api.delete(f"/api/v1/price-groups/{retail['id']}"), 409, "price_group_in_use")
    api.data(api.put(f"/api/v1/price-groups/{retail['id']}", {"isActive": False}))
    api.data(api.delete(f"/api/v1/price-groups/{retail['id']}"))
    prices = api.data(api.get(f"/api/v1/items/{item['id']}"))["pricing"]["priceGroups"]
    assert [p["name"] for p in prices] == ["Sales Price"]  # the selling price stays
    (rate,) = api.data(api.get("/api/v1/price-groups", params={"kind": "service_rate"}))
    api.data(api.put(f"/api/v1/price-groups/{rate['id']}", {"isActive": False}))
    body = problem(api.delete(f"/api/v1/price-groups/{rate['id']}"), 409, "price_group_in_use")
    assert "selling prices (the last of its kind)" in body["detail"]
