from __future__ import annotations

from typing import Any

from tests.support import Api, problem


def test_locations_and_the_default_warehouse(api: Api) -> None:
    store = api.location(name="Retail Store 1", type="store", code="ST1")
    assert store["isDefault"] is False
    main = api.location(
        name="Main Warehouse",
        type="warehouse",
        code="WH1",
        address={"line1": "1 Jalan Besar", "city": "Shah Alam", "country": "MY"},
    )
    assert main["isDefault"] is True
    assert main["address"]["city"] == "Shah Alam"
    second = api.location(name="North", type="warehouse")
    assert second["isDefault"] is False
    assert api.data(api.get("/api/v1/settings"))["defaultWarehouseId"] == main["id"]
    problem(api.post("/api/v1/locations", {"name": "Dup", "code": "WH1"}), 409)
    problem(api.post("/api/v1/locations", {"name": "Bad", "type": "supplier"}), 422)
    assert {loc["id"] for loc in api.data(api.get("/api/v1/locations?type=warehouse"))} == {
        main["id"],
        second["id"],
    }
    api.data(api.delete(f"/api/v1/locations/{main['id']}"))
    assert api.data(api.get(f"/api/v1/locations/{second['id']}"))["isDefault"] is True
    problem(api.get(f"/api/v1/locations/{main['id']}"), 404, "location_not_found")


def test_bins(api: Api) -> None:
    location = api.location()
    base = f"/api/v1/locations/{location['id']}/bins"
    created = api.create(base, {"code": "A1-B2-C3", "name": "Aisle 1"})
    assert created["locationId"] == location["id"]
    assert created["isActive"] is True
    problem(api.post(base, {"code": "A1-B2-C3"}), 409)
    other = api.location()
    api.create(f"/api/v1/locations/{other['id']}/bins", {"code": "A1-B2-C3"})  # per location
    updated = api.data(api.put(f"{base}/{created['id']}", {"isActive": False}))
    assert updated["isActive"] is False
    assert updated["code"] == "A1-B2-C3"
    assert [b["code"] for b in api.data(api.get(base))] == ["A1-B2-C3"]
    problem(api.get(f"/api/v1/locations/{other['id']}/bins/{created['id']}"), 404)
    api.data(api.delete(f"{base}/{created['id']}"))
    assert api.data(api.get(base)) == []


def test_a_document_naming_no_location_goes_to_the_default_warehouse(api: Api) -> None:
    item, supplier = api.item()["id"], api.supplier()["id"]
    adjustments, issues, orders = (
        "/api/v1/inventory/adjustments",
        "/api/v1/inventory/issues",
        "/api/v1/purchase-orders",
    )
    bodies: dict[str, dict[str, Any]] = {
        adjustments: {
            "reason": "found",
            "items": [{"itemId": item, "adjustmentQuantity": 1, "unitCost": 1}],
        },
        issues: {"items": [{"itemId": item, "quantity": 1}]},
        orders: {"supplierId": supplier},
    }
    refusals = {  # the company has no warehouse yet
        path: problem(api.post(path, body), 422, "validation_failed")
        for path, body in bodies.items()
    }
    said = {
        path: (r["detail"], [(e["field"], e["message"]) for e in r["errors"]])
        for path, r in refusals.items()
    }
    no_default = "required: no default warehouse"
    assert said == {
        adjustments: (f"locationId: {no_default}", [("locationId", no_default)]),
        issues: (f"locationId: {no_default}", [("locationId", no_default)]),
        orders: (
            "the company has no default warehouse: name the location to receive into",
            [("locationId", "required without a default warehouse")],
        ),
    }
    warehouse = api.location(type="warehouse")["id"]
    adjustment = api.create(adjustments, bodies[adjustments])
    order = api.create(orders, bodies[orders])
    assert adjustment["locationId"] == order["locationId"] == warehouse
    unknown = {**bodies[issues], "locationId": "loc_missing"}
    refused = problem(api.post(issues, unknown), 422, "unknown_location")
    assert refused["errors"][0]["field"] == "locationId"
