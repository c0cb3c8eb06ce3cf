"""Creating and changing items over HTTP: admins only, as the API has it (a clerk's or a
viewer's forged post is refused and changes nothing); a refused form shows the service's
errors beside their fields, keeps what was typed and makes or changes nothing."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from stockkeeper.tenancy.service import Role
from tests.support import Api, unique
from tests.web.conftest import Web


def _fields(**given: str) -> dict[str, str]:
    return {"type": "inventory", "unit": "pcs", "is_active": "on", **given}


def _found(api: Api, code: str) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = api.data(api.get("/api/v1/items", params={"search": code}))
    return [row for row in rows if row["itemCode"] == code]


def test_a_viewer_and_a_clerk_see_no_write_action_and_their_forged_posts_are_refused(
    signed_in: Callable[[Role], Web], api: Api
) -> None:
    item = api.item()
    for role in (Role.viewer, Role.clerk):
        web = signed_in(role)
        assert 'href="/items/new"' not in web.get("/items").text
        assert web.get("/items/new").status_code == 403
        assert web.get(f"/items/{item['id']}/edit").status_code == 403
        code = unique("FORGED")
        made = web.post("/items/new", _fields(item_code=code, name="Forged"))
        changed = web.post(f"/items/{item['id']}/edit", _fields(item_code="X", name="Forged"))
        assert [made.status_code, changed.status_code] == [403, 403]
        assert "needs the admin role" in made.text
        assert _found(api, code) == []
    assert api.data(api.get(f"/api/v1/items/{item['id']}"))["name"] == item["name"]


def test_an_admin_creates_an_item_with_its_prices_and_thresholds(
    signed_in: Callable[[Role], Web], api: Api
) -> None:
    category = api.category()
    admin = signed_in(Role.admin)
    assert 'href="/items/new"' in admin.get("/items").text
    form = admin.get("/items/new")
    assert form.status_code == 200 and '<label for="f-item_code">Code</label>' in form.text
    code = unique("NEW")
    fields = _fields(
        item_code=code,
        name="Brass hinge",
        category_id=category["id"],
        barcode=unique("990"),
        cost_price="1.25",
        selling_price=" 3.5 ",
        minimum_stock="10",
        reorder_point="12",
        description="Polished",
    )
    made = admin.post("/items/new", fields)
    assert made.status_code == 303
    [row] = _found(api, code)
    assert made.headers["location"] == f"/items/{row['id']}"
    assert row["name"] == "Brass hinge" and row["category"]["id"] == category["id"]
    assert (row["pricing"]["costPrice"], row["pricing"]["sellingPrice"]) == (1.25, 3.5)
    assert (row["inventory"]["minimumStock"], row["inventory"]["reorderPoint"]) == (10, 12)
    assert row["isActive"] is True and row["description"] == "Polished"


def test_a_refused_create_shows_its_errors_beside_the_fields_and_makes_nothing(
    signed_in: Callable[[Role], Web], api: Api
) -> None:
    taken = api.item()
    admin = signed_in(Role.admin)
    admin.get("/items/new")
    code = unique("BAD")
    wrong = admin.post("/items/new", _fields(item_code=code, name="", cost_price="-1"))
    assert wrong.status_code == 422
    assert 'aria-invalid="true" aria-describedby="e-name"' in wrong.text
    assert 'aria-describedby="e-cost_price"' in wrong.text  # the service's pricing.cost_price
    assert f'value="{code}"' in wrong.text and 'value="-1"' in wrong.text  # kept as typed
    duplicate = admin.post("/items/new", _fields(item_code=taken["itemCode"], name="Twin"))
    assert duplicate.status_code == 422
    assert 'aria-describedby="e-item_code"' in duplicate.text
    unknown = admin.post("/items/new", _fields(item_code=code, name="N", category_id="cat_nope"))
    assert unknown.status_code == 422 and 'aria-describedby="e-category_id"' in unknown.text
    assert _found(api, code) == []
    assert len(_found(api, taken["itemCode"])) == 1


def test_an_admin_edits_an_item_and_a_refused_edit_changes_nothing(
    signed_in: Callable[[Role], Web], api: Api
) -> None:
    item = api.item(barcode=unique("770"), inventory={"minimumStock": 3})
    admin = signed_in(Role.admin)
    form = admin.get(f"/items/{item['id']}/edit")
    assert form.status_code == 200
    assert f'value="{item["itemCode"]}"' in form.text and 'value="3"' in form.text
    prices = {"cost_price": "2", "selling_price": "0"}
    fields = _fields(item_code=item["itemCode"], name="Renamed", minimum_stock="8", **prices)
    done = admin.post(f"/items/{item['id']}/edit", fields)
    assert done.status_code == 303 and done.headers["location"] == f"/items/{item['id']}"
    row = api.data(api.get(f"/api/v1/items/{item['id']}"))
    assert (row["name"], row["inventory"]["minimumStock"], row["barcode"]) == ("Renamed", 8, None)
    assert row["pricing"]["costPrice"] == 2
    refused = admin.post(
        f"/items/{item['id']}/edit",
        {**fields, "name": "Again", "maximum_stock": "2"},  # below the minimum of 8
    )
    assert refused.status_code == 422
    assert 'aria-describedby="e-maximum_stock"' in refused.text
    no_unit = admin.post(f"/items/{item['id']}/edit", {**fields, "name": "Again", "unit": ""})
    assert no_unit.status_code == 422 and 'aria-describedby="e-unit"' in no_unit.text
    assert api.data(api.get(f"/api/v1/items/{item['id']}"))["name"] == "Renamed"
    inactive = admin.post(f"/items/{item['id']}/edit", {**fields, "is_active": ""})
    assert inactive.status_code == 303
    assert api.data(api.get(f"/api/v1/items/{item['id']}"))["isActive"] is False
