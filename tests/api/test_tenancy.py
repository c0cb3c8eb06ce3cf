"""Another company's ids behave exactly like ids that do not exist, on every route."""

from __future__ import annotations

from typing import Any

from stockkeeper.core.db import Database
from tests.support import Api, make_tenant, problem


def _world(api: Api) -> dict[str, Any]:
    category = api.category()
    supplier = api.supplier()
    location = api.location()
    bin_ = api.create(f"/api/v1/locations/{location['id']}/bins", {"code": "B1"})
    item = api.item(
        categoryId=category["id"],
        supplierId=supplier["id"],
        barcode="555",
        variants=[{"name": "v", "itemCode": "SHARED-V"}],
        itemCode="SHARED",
    )
    group = api.create("/api/v1/price-groups", {"name": "Staff"})
    key = api.create("/api/v1/api-keys", {"name": "k", "role": "viewer"})
    return {
        "category": category,
        "supplier": supplier,
        "location": location,
        "bin": bin_,
        "item": item,
        "variant": item["variants"][0],
        "group": group,
        "key": key,
    }


def test_every_route_hides_other_companies(api: Api, database: Database) -> None:
    mine = _world(api)
    other = Api(api.client, (t := make_tenant(database)), t.admin_key)
    theirs = _world(other)  # the same codes and barcodes are fine in another company
    assert theirs["item"]["itemCode"] == mine["item"]["itemCode"] == "SHARED"

    i, v, loc, b = (
        theirs["item"]["id"],
        theirs["variant"]["id"],
        theirs["location"]["id"],
        theirs["bin"]["id"],
    )
    paths = {
        f"/api/v1/items/{i}": ("GET", "PUT", "DELETE"),
        f"/api/v1/items/{i}/variants/{v}": ("PUT", "DELETE"),
        f"/api/v1/items/{mine['item']['id']}/variants/{v}": ("PUT", "DELETE"),
        f"/api/v1/items/{i}/variants": ("POST",),
        f"/api/v1/categories/{theirs['category']['id']}": ("GET", "PUT", "DELETE"),
        f"/api/v1/suppliers/{theirs['supplier']['id']}": ("GET", "PUT", "DELETE"),
        f"/api/v1/locations/{loc}": ("GET", "PUT", "DELETE"),
        f"/api/v1/locations/{loc}/bins": ("GET", "POST"),
        f"/api/v1/locations/{loc}/bins/{b}": ("GET", "PUT", "DELETE"),
        f"/api/v1/locations/{mine['location']['id']}/bins/{b}": ("GET", "PUT", "DELETE"),
        f"/api/v1/price-groups/{theirs['group']['id']}": ("GET", "PUT", "DELETE"),
        f"/api/v1/api-keys/{theirs['key']['id']}": ("DELETE",),
    }
    bodies = {"PUT": {"name": "hijack"}, "POST": {"name": "x", "itemCode": "NEW-X", "code": "NEW"}}
    for path, methods in paths.items():
        for method in methods:
            body = bodies.get(method)
            if method == "POST" and path.endswith("/variants"):
                body = {"name": "x", "itemCode": "NEW-X"}
            if method == "POST" and path.endswith("/bins"):
                body = {"code": "NEW"}
            if method == "PUT" and "/bins/" in path:
                body = {"code": "HIJACK"}
            response = api.request(method, path, json=body)
            error = problem(response, 404)
            assert error["code"].endswith("not_found"), (method, path, error)
            missing = path.replace(theirs["item"]["id"], "item_missing")
            if missing != path:
                assert api.request(method, missing, json=body).json()["code"] == error["code"]

    # references in bodies behave like unknown ids, too
    problem(
        api.post(
            "/api/v1/items",
            {
                "itemCode": "R",
                "name": "r",
                "type": "inventory",
                "categoryId": theirs["category"]["id"],
            },
        ),
        422,
        "unknown_category",
    )
    problem(api.put("/api/v1/settings", {"defaultWarehouseId": loc}), 422, "unknown_location")

    # lists show only the company's own records, and nothing of theirs changed
    for path, key in (
        ("/api/v1/items", "item"),
        ("/api/v1/categories", "category"),
        ("/api/v1/suppliers", "supplier"),
        ("/api/v1/locations", "location"),
        ("/api/v1/price-groups", "group"),
        ("/api/v1/api-keys", "key"),
    ):
        ids = {row["id"] for row in api.data(api.get(path))}
        assert mine[key]["id"] in ids, path
        assert theirs[key]["id"] not in ids, path
    assert other.data(other.get(f"/api/v1/items/{i}"))["name"] == theirs["item"]["name"]
    assert (
        other.data(other.get(f"/api/v1/categories/{theirs['category']['id']}"))["name"] != "hijack"
    )
    assert [b_["code"] for b_ in other.data(other.get(f"/api/v1/locations/{loc}/bins"))] == ["B1"]


def test_documents_of_another_company_are_not_found(api: Api, database: Database) -> None:
    other = Api(api.client, (t := make_tenant(database)), t.admin_key)
    warehouse, store = other.location()["id"], other.location(type="store")["id"]
    item = other.item()["id"]
    draft = other.create(
        "/api/v1/inventory/adjustments",
        {
            "status": "draft",
            "reason": "found",
            "locationId": warehouse,
            "items": [{"itemId": item, "adjustmentQuantity": 3}],
        },
    )
    transfer = other.create(
        "/api/v1/inventory/transfers",
        {
            "status": "draft",
            "fromLocationId": warehouse,
            "toLocationId": store,
            "items": [{"itemId": item, "quantity": 1}],
        },
    )
    adjustment = f"/api/v1/inventory/adjustments/{draft['id']}"
    attempts = [
        ("GET", adjustment, None),
        (
            "PUT",
            adjustment,
            {"reason": "found", "items": [{"itemId": item, "adjustmentQuantity": 1}]},
        ),
        ("DELETE", adjustment, None),
        *[("POST", f"{adjustment}/{action}", None) for action in ("submit", "post", "reverse")],
        ("POST", f"{adjustment}/approve", None),
        ("POST", f"{adjustment}/reject", {"reason": "no"}),
        ("GET", f"/api/v1/inventory/transfers/{transfer['id']}", None),
        ("PATCH", f"/api/v1/inventory/transfers/{transfer['id']}/status", {"status": "cancelled"}),
    ]
    for method, path, body in attempts:
        code = problem(api.request(method, path, json=body), 404)["code"]
        assert code in ("adjustment_not_found", "transfer_not_found"), (method, path)
    assert api.data(api.get("/api/v1/inventory/adjustments")) == []
    assert api.data(api.get("/api/v1/inventory/transfers")) == []
    assert other.data(other.get(adjustment))["status"] == "draft"
    assert (
        other.data(other.get(f"/api/v1/inventory/transfers/{transfer['id']}"))["status"] == "draft"
    )
