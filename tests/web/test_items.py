"""The item screens over HTTP, per role: the list searched and filtered (and its results
alone, as the search sends them), paged by the items' cursor; an item's page with its stock
where it lies, its movements and its cost figures; another company's item not found."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from sqlalchemy import event

from stockkeeper.core.db import Database
from stockkeeper.tenancy.service import Role
from stockkeeper.web import items as item_pages
from tests.support import Api, unique
from tests.web.conftest import Web


def _codes(html: str) -> list[str]:
    """The item codes the list's rows link to, in order."""
    return re.findall(r'<td data-label="Code"><a href="/items/[^"]+">([^<]+)</a>', html)


def test_every_role_searches_by_code_barcode_and_name(
    signed_in: Callable[[Role], Web], api: Api
) -> None:
    word = unique("zebrawood").replace("-", "")
    first = api.item(itemCode=unique("ZBR"), name=f"Hinge of {word}", barcode=unique("4006"))
    second = api.item(itemCode=unique("QQX"), name="Plain bracket")
    for role in Role:
        web = signed_in(role)
        assert 'href="/items"' in web.get("/").text
        by_name = web.get("/items", params={"search": word})
        assert by_name.status_code == 200
        assert _codes(by_name.text) == [first["itemCode"]]
        assert f'href="/items/{first["id"]}"' in by_name.text
        assert _codes(web.get("/items", params={"search": first["barcode"]}).text) == [
            first["itemCode"]
        ]
        by_code = web.get("/items", params={"search": second["itemCode"][:-1]}).text
        assert second["itemCode"] in _codes(by_code) and first["itemCode"] not in _codes(by_code)


def test_the_results_alone_are_what_the_search_as_you_type_swaps_in(
    signed_in: Callable[[Role], Web], api: Api
) -> None:
    item = api.item(itemCode=unique("FRAG"))
    web = signed_in(Role.viewer)
    whole = web.get("/items", params={"search": item["itemCode"]}).text
    fragment = web.get("/items", params={"search": item["itemCode"], "fragment": "1"})
    assert fragment.status_code == 200
    assert "<html" not in fragment.text and "<form" not in fragment.text
    assert _codes(fragment.text) == [item["itemCode"]] == _codes(whole)
    assert '<script src="/static/items.js" defer></script>' in whole
    script = web.get("/static/items.js")
    assert script.status_code == 200
    assert script.headers["content-type"].startswith("text/javascript")
    assert "history.replaceState" in script.text


def test_filters_by_category_type_status_and_minimum_stock(
    signed_in: Callable[[Role], Web], api: Api
) -> None:
    tag = unique("flt").replace("-", "")
    parent = api.category(name=unique("Tools"))
    child = api.category(name=unique("Saws"), parentId=parent["id"])
    sawn = api.item(name=f"{tag} saw", categoryId=child["id"], inventory={"minimumStock": 5})
    served = api.item(name=f"{tag} service", type="service")
    retired = api.item(name=f"{tag} retired", isActive=False)
    web = signed_in(Role.clerk)
    listed = web.get("/items", params={"search": tag}).text
    assert sorted(_codes(listed)) == sorted(i["itemCode"] for i in (sawn, served, retired))
    assert f'<option value="{child["id"]}">' in listed  # the categories to filter by
    cases = [
        ({"category": parent["id"]}, [sawn]),  # a category includes its subcategories
        ({"type": "service"}, [served]),
        ({"active": "false"}, [retired]),
        ({"low_stock": "true"}, [sawn]),  # nothing on hand: at or below its minimum of 5
    ]
    for filters, expected in cases:
        found = web.get("/items", params={"search": tag, **filters})
        assert _codes(found.text) == [i["itemCode"] for i in expected], filters
    assert "inactive" in web.get("/items", params={"search": tag, "active": "false"}).text
    refused = web.get("/items", params={"type": "gadget"})
    assert refused.status_code == 422 and "data-item-search" not in refused.text


def test_the_list_is_paged_by_the_items_cursor(
    signed_in: Callable[[Role], Web], api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(item_pages, "PAGE", 2)
    tag = unique("pg").replace("-", "")
    made = sorted(api.item(name=f"{tag} {n}")["itemCode"] for n in range(5))
    web = signed_in(Role.viewer)
    seen: list[str] = []
    page = web.get("/items", params={"search": tag}).text
    assert "5 items" in page
    while True:
        seen += _codes(page)
        following = re.search(r'<a href="([^"]+)" rel="next">', page)
        if following is None:
            break
        link = following.group(1).replace("&amp;", "&")
        assert link.startswith("/items?search=") and "cursor=" in link
        page = web.get(link).text
        assert "First page" in page
    assert sorted(seen) == made and len(seen) == 5


def test_an_items_page_shows_stock_where_it_lies_movements_and_cost_figures(
    signed_in: Callable[[Role], Web], api: Api
) -> None:
    north, south = api.location(name=unique("North")), api.location(name=unique("South"))
    item = api.item(name=unique("Valve"), pricing={"costPrice": 4, "sellingPrice": 9.5})
    api.adjust(north["id"], (item["id"], 10, "2.5"))
    api.adjust(south["id"], (item["id"], 4, "3"))
    api.post(
        "/api/v1/inventory/reservations",
        {"itemId": item["id"], "locationId": north["id"], "quantity": 3},
    )
    web = signed_in(Role.viewer)
    page = web.get(f"/items/{item['id']}")
    assert page.status_code == 200
    text = page.text
    assert f"<h1>{item['name']} " in text
    north_row = re.search(
        rf"<td data-label=\"Location\">{north['name']}</td>(.*?)</tr>", text, re.S
    )
    assert north_row is not None
    figures = re.findall(r'class="num">([^<]+)</td>', north_row.group(1))
    assert figures == ["10", "3", "7", "0"]  # on hand, reserved, available, on order
    assert "<dt>On hand</dt><dd>14 " in text and "<dt>Available</dt><dd>11</dd>" in text
    assert "<dt>Last cost price</dt><dd>3.00</dd>" in text  # the latest cost paid
    assert "<dt>Selling price</dt><dd>9.50</dd>" in text
    assert text.count('data-label="Date"') == 2  # its two movements
    assert "Edit</a>" not in text  # only admins edit items
    assert (
        f'href="/items/{item["id"]}/edit"' in signed_in(Role.admin).get(f"/items/{item['id']}").text
    )


def test_an_items_movements_are_paged(
    signed_in: Callable[[Role], Web], api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(item_pages, "MOVEMENTS", 2)
    where = api.location()
    item = api.item()
    for _ in range(3):
        api.adjust(where["id"], (item["id"], 1, "1"))
    web = signed_in(Role.clerk)
    first = web.get(f"/items/{item['id']}/movements").text
    assert "3 movements" in first and first.count('data-label="Date"') == 2
    older = re.search(r'<a href="([^"]+)" rel="next">', first)
    assert older is not None
    second = web.get(older.group(1).replace("&amp;", "&")).text
    assert second.count('data-label="Date"') == 1 and 'rel="next"' not in second


def test_another_companys_item_is_not_found(
    signed_in: Callable[[Role], Web], api: Api, database: object
) -> None:
    from tests.support import Api as Client
    from tests.support import make_tenant

    other = make_tenant(database)  # type: ignore[arg-type]
    theirs = Client(api.client, other, other.admin_key).item()
    web = signed_in(Role.admin)
    for path in ("", "/movements", "/edit"):
        assert web.get(f"/items/{theirs['id']}{path}").status_code == 404
    assert web.get("/items/no-such-item").status_code == 404


def test_an_items_page_shows_its_batches_only_when_it_has_them(
    signed_in: Callable[[Role], Web], api: Api
) -> None:
    where = api.location()
    plain = api.item()
    api.adjust(where["id"], (plain["id"], 2, "1"))
    lot = api.item(inventory={"tracked": True, "tracking": "batch"})
    batch = {"batchNumber": "LOT-7", "expiryDate": "2027-03-31", "quantity": 4}
    line = {"itemId": lot["id"], "adjustmentQuantity": 4, "unitCost": 1, "batches": [batch]}
    body = {"reason": "found", "locationId": where["id"], "items": [line]}
    api.create("/api/v1/inventory/adjustments", body)
    web = signed_in(Role.viewer)
    assert "By bin, batch and serial" not in web.get(f"/items/{plain['id']}").text
    page = web.get(f"/items/{lot['id']}").text
    assert "By bin, batch and serial" in page
    assert '<td data-label="Batch"><span>LOT-7 <span class="muted">expires 2027-03-31' in page


def test_a_list_page_runs_as_many_statements_for_many_items_as_for_few(
    signed_in: Callable[[Role], Web], api: Api, database: Database
) -> None:
    category = api.category()
    few, many = unique("few").replace("-", ""), unique("many").replace("-", "")
    where = api.location()
    for tag, count in ((few, 2), (many, 12)):
        for _ in range(count):
            made = api.item(name=f"{tag} part", categoryId=category["id"])
            api.adjust(where["id"], (made["id"], 1, "1"))
    web = signed_in(Role.viewer)
    counts = []
    for tag in (few, many):
        statements: list[str] = []

        def seen(*args: object, into: list[str] = statements) -> None:
            into.append(str(args[2]))

        event.listen(database.engine, "before_cursor_execute", seen)
        try:
            assert web.get("/items", params={"search": tag}).status_code == 200
        finally:
            event.remove(database.engine, "before_cursor_execute", seen)
        counts.append(len(statements))
    assert counts[0] == counts[1] > 0, counts
