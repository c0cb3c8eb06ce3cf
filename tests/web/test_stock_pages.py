"""The stock and movements pages over HTTP: what any role sees, the filters, the pages of a
long list, and rows that link to their items and documents."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest

from stockkeeper.tenancy.service import Role
from stockkeeper.web import stock
from tests.support import Api, unique
from tests.web.conftest import Web


def _stocked(api: Api) -> dict[str, dict[str, str]]:
    """Two locations, a bin, and three items with stock: a bolt (in the bin and out of it),
    a nut below its minimum stock, and a washer at the store, some of it reserved."""
    main, store = api.location(name=unique("Main")), api.location(name=unique("Shop"), type="store")
    shelf = api.create(f"/api/v1/locations/{main['id']}/bins", {"code": unique("S")})
    bolt = api.item(itemCode=unique("BOLT"), name="Hex bolt M8")
    nut = api.item(itemCode=unique("NUT"), name="Hex nut M8", inventory={"minimumStock": 10})
    washer = api.item(itemCode=unique("WSH"), name="Flat washer")
    adjustment = api.create(
        "/api/v1/inventory/adjustments",
        {
            "reason": "found",
            "locationId": main["id"],
            "reference": "REF-1",
            "items": [
                {
                    "itemId": bolt["id"],
                    "adjustmentQuantity": 7,
                    "unitCost": 1,
                    "binId": shelf["id"],
                },
                {"itemId": bolt["id"], "adjustmentQuantity": 3, "unitCost": 1},
                {"itemId": nut["id"], "adjustmentQuantity": 4, "unitCost": 1},
            ],
        },
    )
    api.adjust(store["id"], (washer["id"], "2.5", 1))
    reservation = {"itemId": washer["id"], "locationId": store["id"], "quantity": "0.5"}
    api.create("/api/v1/inventory/reservations", reservation)
    return {
        "main": main,
        "store": store,
        "shelf": shelf,
        "bolt": bolt,
        "nut": nut,
        "washer": washer,
        "adjustment": adjustment,
    }


def _codes(html: str) -> list[str]:
    return re.findall(r'<a href="/items/[^"]+">([^<]+)</a>', html)


def test_any_role_sees_stock_with_reserved_available_and_on_order(
    api: Api, signed_in: Callable[[Role], Web]
) -> None:
    made = _stocked(api)
    for role in Role:
        web = signed_in(role)
        home = web.get("/").text
        assert 'href="/stock"' in home and 'href="/movements"' in home
        page, ledger = web.get("/stock"), web.get("/movements")
        assert page.status_code == 200 and ledger.status_code == 200
        assert set(_codes(page.text)) == {made[k]["itemCode"] for k in ("bolt", "nut", "washer")}
        for html in (page.text, ledger.text):  # nothing to write on either, whatever the role
            assert 'method="post"' not in html.split("<main", 1)[1]
    html = page.text
    bolt = made["bolt"]
    assert f'<a href="/items/{bolt["id"]}">{bolt["itemCode"]}</a>' in html
    assert f"{made['shelf']['code']}: 7, no bin: 3" in html  # where the bolts lie
    washers = html.split(made["washer"]["itemCode"] + "</a>", 1)[1].split("</tr>", 1)[0]
    assert re.findall(r'class="num">([^<]+)</td>', washers) == ["2.5", "0.5", "2", "0"]
    assert f'href="/movements?item_id={bolt["id"]}&amp;location_id={made["main"]["id"]}"' in html


def test_stock_filters_by_item_location_bin_and_minimum_stock(
    api: Api, signed_in: Callable[[Role], Web]
) -> None:
    made = _stocked(api)
    web = signed_in(Role.viewer)
    code = {k: made[k]["itemCode"] for k in ("bolt", "nut", "washer")}

    def listed(**query: str) -> set[str]:
        page = web.get("/stock", params=query)
        assert page.status_code == 200, page.text
        return set(_codes(page.text))

    assert listed(search="hex") == {code["bolt"], code["nut"]}
    assert listed(location_id=made["store"]["id"]) == {code["washer"]}
    assert listed(low_stock="true") == {code["nut"]}
    # a location chosen, its bins are offered; a bin chosen, its stock alone is shown
    main = web.get("/stock", params={"location_id": made["main"]["id"]}).text
    assert f'<option value="{made["shelf"]["id"]}">{made["shelf"]["code"]}</option>' in main
    in_bin = web.get("/stock", params={"bin_id": made["shelf"]["id"]}).text
    assert _codes(in_bin) == [code["bolt"]]
    assert '<td data-label="On hand" class="num">7</td>' in in_bin
    # empty fields are no filter; a value the filter cannot take is shown beside it
    assert listed(search="", location_id="") >= set(code.values())
    refused = web.get("/stock", params={"low_stock": "perhaps"})
    assert refused.status_code == 422
    assert 'id="e-low_stock"' not in refused.text and 'class="error"' in refused.text


def test_a_long_stock_list_comes_a_page_at_a_time(
    api: Api, signed_in: Callable[[Role], Web], monkeypatch: pytest.MonkeyPatch
) -> None:
    made = _stocked(api)
    monkeypatch.setattr(stock, "PAGE_SIZE", 2)
    web = signed_in(Role.viewer)
    first = web.get("/stock", params={"search": "m8 ", "location_id": made["main"]["id"]}).text
    assert len(_codes(first)) == 2
    assert "rows" not in first  # not counted: a count would sum every level of the company
    web.get("/stock")
    everything = web.get("/stock").text
    link = re.search(r'<a href="(/stock\?[^"]+)" rel="next">Next page</a>', everything)
    assert link is not None and "cursor=" in link.group(1)
    second = web.get(link.group(1).replace("&amp;", "&"))
    assert second.status_code == 200 and "First page" in second.text
    assert not set(_codes(second.text)) & set(_codes(everything))
    bad = web.get("/stock", params={"cursor": "not-a-cursor"})
    assert bad.status_code == 422 and "Start again" in bad.text


def test_movements_link_to_their_item_and_document_and_are_filtered(
    api: Api, signed_in: Callable[[Role], Web]
) -> None:
    made = _stocked(api)
    web = signed_in(Role.viewer)
    bolt, adjustment = made["bolt"], made["adjustment"]
    page = web.get("/movements", params={"item_id": bolt["id"]})
    assert page.status_code == 200
    html = page.text
    assert _codes(html) == [bolt["itemCode"], bolt["itemCode"]]
    assert f'<a href="/adjustments/{adjustment["id"]}">{adjustment["adjustmentNumber"]}</a>' in html
    assert '<td data-label="Quantity" class="num in">+7</td>' in html
    assert f"{bolt['itemCode']} · Hex bolt M8" in html  # the item filter, named
    store = made["store"]["id"]
    assert _codes(web.get("/movements", params={"location_id": store}).text) == [
        made["washer"]["itemCode"]
    ]
    by_type = web.get("/movements", params={"type": "adjustment", "reference": "REF-1"}).text
    assert sorted(_codes(by_type)) == sorted(
        [bolt["itemCode"], bolt["itemCode"], made["nut"]["itemCode"]]
    )
    assert (
        _codes(web.get("/movements", params={"reference": "REF-1", "date_to": "2000-01-01"}).text)
        == []
    )
    refused = web.get("/movements", params={"date_from": "yesterday"})
    assert refused.status_code == 422
    assert 'aria-describedby="e-date_from"' in refused.text and 'value="yesterday"' in refused.text
