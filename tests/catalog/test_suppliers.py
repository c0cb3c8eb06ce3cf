from __future__ import annotations

from tests.support import Api, problem


def test_creditor_numbers_and_fields(api: Api) -> None:
    first = api.supplier(
        name="Widget Supplier Ltd",
        contactPerson="Aisha",
        email="a@w.example",
        phone="+60 3 1234",
        address="1 Jalan",
        notes="net 30",
        website="https://w.example",
    )
    second = api.supplier(name="Another")
    assert (first["creditorNumber"], second["creditorNumber"]) == ("CRED001", "CRED002")
    assert first["contactPerson"] == "Aisha"
    assert first["active"] is True
    assert first["id"].startswith("supp_")
    problem(api.post("/api/v1/suppliers", {"name": "Bad", "email": "not-an-email"}), 422)
    assert api.supplier()["creditorNumber"] == "CRED003"  # a failed request consumed no number


def test_list_by_name_with_active_filter_and_cursor(api: Api) -> None:
    for name in ("Charlie", "alpha", "Bravo", "Delta"):
        api.supplier(name=name)
    delta = api.data(api.get("/api/v1/suppliers")).pop()
    api.data(api.put(f"/api/v1/suppliers/{delta['id']}", {"active": False}))
    page = api.get("/api/v1/suppliers?limit=2").json()
    assert [s["name"] for s in page["data"]] == ["alpha", "Bravo"]
    assert page["pagination"]["total"] == 4
    assert page["pagination"]["hasMore"] is True
    rest = api.get(f"/api/v1/suppliers?limit=2&cursor={page['pagination']['nextCursor']}").json()
    assert [s["name"] for s in rest["data"]] == ["Charlie", "Delta"]
    assert [s["name"] for s in api.data(api.get("/api/v1/suppliers?active=true"))] == [
        "alpha",
        "Bravo",
        "Charlie",
    ]


def test_delete_refuses_a_supplier_in_use(api: Api) -> None:
    supplier = api.supplier()
    item = api.item(supplierId=supplier["id"])
    problem(api.delete(f"/api/v1/suppliers/{supplier['id']}"), 409, "supplier_in_use")
    assert api.data(api.get(f"/api/v1/suppliers/{supplier['id']}"))["name"] == supplier["name"]
    api.data(api.delete(f"/api/v1/items/{item['id']}"))
    api.data(api.delete(f"/api/v1/suppliers/{supplier['id']}"))
    problem(api.get(f"/api/v1/suppliers/{supplier['id']}"), 404)
