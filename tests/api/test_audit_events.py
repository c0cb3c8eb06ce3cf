"""The audit trail: every change with who made it, read by admins, filtered and paged."""

from __future__ import annotations

from tests.support import Api, problem

AUDIT = "/api/v1/audit-events"


def test_changes_are_read_back_with_who_made_them_newest_first(api: Api) -> None:
    location = api.location()["id"]
    item = api.item()["id"]
    adjustment = api.adjust(location, (item, 3, 2))
    rows = api.data(api.get(AUDIT, params={"entityId": adjustment["id"]}))
    assert [(r["action"], r["entityType"], r["details"]["number"]) for r in rows] == [
        ("adjustment.posted", "adjustment", adjustment["adjustmentNumber"])
    ]
    (posted,) = rows
    assert posted["actor"]["name"] == "admin" and posted["actor"]["keyId"].startswith("key_")
    everything = api.data(api.get(AUDIT, params={"limit": 200}))
    actions = [r["action"] for r in everything]
    assert actions.index("adjustment.posted") < actions.index("item.created")  # newest first
    assert actions.index("item.created") < actions.index("location.created")
    # the tenant's keys were made by a system actor, with no key
    setup = [r for r in everything if r["action"] == "api_key.created"]
    assert {(r["actor"]["name"], r["actor"]["keyId"]) for r in setup} == {("setup", None)}


def test_filters_and_cursor_pages(api: Api) -> None:
    location = api.location()["id"]
    items = [api.item()["id"] for _ in range(3)]
    created = api.data(api.get(AUDIT, params={"action": "item.created", "limit": 2}))
    assert [r["entityId"] for r in created] == items[::-1][:2]
    page = api.get(AUDIT, params={"action": "item.created", "limit": 2}).json()["pagination"]
    assert (page["total"], page["hasMore"]) == (3, True)
    rest = api.data(
        api.get(AUDIT, params={"action": "item.created", "limit": 2, "cursor": page["nextCursor"]})
    )
    assert [r["entityId"] for r in rest] == [items[0]]
    mine = api.data(api.get(AUDIT, params={"entityType": "location"}))
    assert [r["entityId"] for r in mine] == [location]
    later = api.data(api.get(AUDIT, params={"occurredFrom": "2999-01-01T00:00:00Z"}))
    assert later == []
    by_key = api.data(api.get(AUDIT, params={"actor": created[0]["actor"]["keyId"]}))
    assert {r["actor"]["name"] for r in by_key} == {"admin"}


def test_only_admins_read_the_trail(api: Api) -> None:
    problem(api.as_key(api.tenant.clerk_key).get(AUDIT), 403, "role_too_weak")
    problem(api.get(AUDIT, params={"cursor": "nonsense"}), 422, "invalid_cursor")
