from __future__ import annotations

from tests.support import Api, problem


def test_tree_paths_colours_and_positions(api: Api) -> None:
    electronics = api.category(name="Electronics")
    assert electronics["color"] == "#6e56cf"
    assert electronics["position"] == 0
    office = api.category(name="Office", color="#FF0000")
    components = api.category(name="Components", parentId=electronics["id"])
    resistors = api.category(name="Resistors", parentId=components["id"])
    assert components["path"] == "Electronics > Components"
    assert components["position"] == 0
    assert resistors["path"] == "Electronics > Components > Resistors"
    assert office["position"] == 1
    assert office["color"] == "#FF0000"
    first = api.category(name="Archive", position=0)
    listed = api.data(api.get("/api/v1/categories"))
    assert [c["name"] for c in listed] == [
        "Archive",
        "Components",
        "Electronics",
        "Resistors",
        "Office",
    ]
    assert first["parentId"] is None


def test_rename_and_move_update_paths(api: Api) -> None:
    a = api.category(name="A")
    b = api.category(name="B")
    child = api.category(name="Child", parentId=a["id"])
    api.data(api.put(f"/api/v1/categories/{a['id']}", {"name": "Alpha"}))
    assert api.data(api.get(f"/api/v1/categories/{child['id']}"))["path"] == "Alpha > Child"
    moved = api.data(api.put(f"/api/v1/categories/{child['id']}", {"parentId": b["id"]}))
    assert moved["path"] == "B > Child"
    problem(
        api.put(f"/api/v1/categories/{b['id']}", {"parentId": child["id"]}), 422, "category_cycle"
    )
    problem(api.put(f"/api/v1/categories/{b['id']}", {"parentId": b["id"]}), 422, "category_cycle")
    problem(api.put(f"/api/v1/categories/{b['id']}", {"color": "red"}), 422)
    problem(api.put(f"/api/v1/categories/{b['id']}", {"position": 2**63}), 422)  # was a 500
    problem(
        api.post("/api/v1/categories", {"name": "X", "parentId": "cat_missing"}),
        422,
        "unknown_category",
    )


def test_delete_refuses_categories_in_use(api: Api) -> None:
    parent = api.category()
    child = api.category(parentId=parent["id"])
    problem(api.delete(f"/api/v1/categories/{parent['id']}"), 409, "category_in_use")
    item = api.item(categoryId=child["id"])
    problem(api.delete(f"/api/v1/categories/{child['id']}"), 409, "category_in_use")
    api.data(api.put(f"/api/v1/items/{item['id']}", {"categoryId": None}))
    assert api.data(api.delete(f"/api/v1/categories/{child['id']}"))["deleted"] is True
    api.data(api.delete(f"/api/v1/categories/{parent['id']}"))
    assert api.data(api.get("/api/v1/categories")) == []
