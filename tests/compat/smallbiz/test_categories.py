"""smallbiz categories over HTTP: colour (by default #6e56cf) and position, listed by
position, renamed, recoloured, moved and deleted; the canonical categories are the same."""

from __future__ import annotations

from typing import Any

from tests.compat.smallbiz.catalog_support import (
    CATEGORIES,
    PRODUCTS,
    answer,
    listed,
    product,
    refused,
)
from tests.support import Api


def test_categories_are_listed_by_position(api: Api) -> None:
    tools = answer(api.post(CATEGORIES, {"name": "Tools"}), 201)
    paint = answer(api.post(CATEGORIES, {"name": "Paint", "color": "#FF0000"}), 201)
    first = answer(api.post(CATEGORIES, {"name": "Garden", "position": 0}), 201)
    assert (tools["color"], tools["position"], paint["position"]) == ("#6e56cf", 0, 1)
    assert paint["color"] == "#FF0000" and isinstance(tools["id"], int)
    assert len({tools["id"], paint["id"], first["id"]}) == 3
    # Garden and Tools share position 0: then by name
    assert [c["name"] for c in listed(api, CATEGORIES)] == ["Garden", "Tools", "Paint"]
    moved = answer(api.put(f"{CATEGORIES}/{paint['id']}", {"position": 0, "color": "#00aa00"}))
    assert (moved["id"], moved["name"], moved["color"]) == (paint["id"], "Paint", "#00aa00")
    renamed = answer(api.put(f"{CATEGORIES}/{tools['id']}", {"name": "Hand tools"}))
    assert (renamed["name"], renamed["position"]) == ("Hand tools", 0)
    assert [c["name"] for c in listed(api, CATEGORIES)] == ["Garden", "Hand tools", "Paint"]
    assert listed(api, CATEGORIES) == listed(api, CATEGORIES)  # ids stable
    canonical = api.data(api.get("/api/v1/categories"))
    assert sorted(c["name"] for c in canonical) == ["Garden", "Hand tools", "Paint"]


def test_delete_answers_ok_unless_products_are_filed_under_it(api: Api) -> None:
    empty = answer(api.post(CATEGORIES, {"name": "Empty"}), 201)
    used = answer(api.post(CATEGORIES, {"name": "Used"}), 201)
    made = product(api, category_id=used["id"])
    assert answer(api.delete(f"{CATEGORIES}/{empty['id']}")) == {"ok": True}
    assert "items" in refused(api.delete(f"{CATEGORIES}/{used['id']}"), 409)
    assert [c["name"] for c in listed(api, CATEGORIES)] == ["Used"]
    answer(api.put(f"{PRODUCTS}/{made['id']}", {"category_id": None}))
    assert answer(api.delete(f"{CATEGORIES}/{used['id']}")) == {"ok": True}
    assert listed(api, CATEGORIES) == []
    refused(api.delete(f"{CATEGORIES}/{used['id']}"), 404)
    refused(api.put(f"{CATEGORIES}/{used['id']}", {"name": "Back"}), 404)


def test_bad_categories_are_refused_and_change_nothing(api: Api) -> None:
    made = answer(api.post(CATEGORIES, {"name": "Kept"}), 201)
    for body in (
        {},
        {"name": ""},
        {"name": "X", "color": "red"},
        {"name": "X", "color": "#12345"},
        {"name": "X", "position": -1},
        {"name": "X", "position": "2"},
        {"name": "X", "parent_id": 1},
    ):
        refused(api.post(CATEGORIES, body), 422)
    changes: list[dict[str, Any]] = [
        {"name": None},
        {"color": "blue"},
        {"position": None},
        {"colour": "#000000"},
    ]
    for body in changes:
        refused(api.put(f"{CATEGORIES}/{made['id']}", body), 422)
    assert listed(api, CATEGORIES) == [made]
