"""The alert screens over HTTP: open alerts with their figures and, for clerks and admins,
an acknowledge button (a viewer sees none, and a forged one is refused); alert rules made,
changed and deleted by admins only."""

from __future__ import annotations

from collections.abc import Callable

from stockkeeper.alerts.service import rules
from stockkeeper.core.db import Database
from stockkeeper.tenancy.service import Role
from tests.support import Api, Tenant, unique
from tests.web.conftest import Web


def _low(api: Api) -> tuple[dict[str, str], dict[str, str], str]:
    """A nut at 4 with a minimum of 10 at the main warehouse: one open low-stock alert."""
    main = api.location(name=unique("Main"))
    nut = api.item(itemCode=unique("NUT"), name="Hex nut", inventory={"minimumStock": 10})
    api.adjust(main["id"], (nut["id"], "4", "1"))
    [alert] = api.data(api.get("/api/v1/inventory/alerts", params={"itemId": nut["id"]}))
    return main, nut, alert["id"]


def test_open_alerts_are_listed_and_a_clerk_acknowledges_one(
    api: Api, signed_in: Callable[[Role], Web]
) -> None:
    main, nut, alert_id = _low(api)
    clerk = signed_in(Role.clerk)
    html = clerk.get("/alerts").text
    row = html.split(f'id="alert-{alert_id}"', 1)[1].split("</tr>", 1)[0]
    assert f'<a href="/items/{nut["id"]}">{nut["itemCode"]}</a>' in row
    assert main["name"] in row and "low stock" in row
    assert '<td data-label="Stock now" class="num">4</td>' in row
    assert '<td data-label="Threshold" class="num">10</td>' in row
    assert f'action="/alerts/{alert_id}/acknowledge"' in row
    assert clerk.post(f"/alerts/{alert_id}/acknowledge").status_code == 303
    assert f'id="alert-{alert_id}"' not in clerk.get("/alerts").text  # no longer open
    seen = clerk.get("/alerts", params={"status": "acknowledged"}).text
    assert f'id="alert-{alert_id}"' in seen and "Acknowledge</button>" not in seen
    stored = api.data(api.get(f"/api/v1/inventory/alerts/{alert_id}"))
    assert stored["status"] == "acknowledged"


def test_a_viewer_sees_no_acknowledge_button_nor_the_rules_and_a_forged_post_is_refused(
    api: Api, signed_in: Callable[[Role], Web]
) -> None:
    _, _, alert_id = _low(api)
    viewer = signed_in(Role.viewer)
    html = viewer.get("/alerts").text
    assert f'id="alert-{alert_id}"' in html
    assert "/acknowledge" not in html and 'href="/alerts/rules"' not in html
    assert viewer.post(f"/alerts/{alert_id}/acknowledge").status_code == 403
    assert api.data(api.get(f"/api/v1/inventory/alerts/{alert_id}"))["status"] == "open"
    for path in ("/alerts/rules", "/alerts/rules/new"):
        assert viewer.get(path).status_code == 403
    clerk = signed_in(Role.clerk)
    assert clerk.get("/alerts/rules").status_code == 403
    refused = clerk.post("/alerts/rules/new", {"name": "Low", "type": "low_stock"})
    assert refused.status_code == 403


def test_an_admin_makes_changes_and_deletes_a_rule(
    api: Api, signed_in: Callable[[Role], Web], database: Database, tenant: Tenant
) -> None:
    main = api.location(name=unique("Main"))
    admin = signed_in(Role.admin)
    assert 'href="/alerts/rules"' in admin.get("/alerts").text
    admin.get("/alerts/rules/new")
    form = {
        "name": "Low at main",
        "type": "low_stock",
        "locations": main["id"],
        "email": "buyer@example.com, store@example.com",
        "frequency": "daily",
        "active": "true",
    }
    assert admin.post("/alerts/rules/new", form).status_code == 303
    with database.unit_of_work() as session:
        [view] = rules.list_rules(session, tenant.actor)
    rule = view.rule
    assert (rule.name, rule.type, rule.locations, rule.frequency, rule.active) == (
        "Low at main",
        "low_stock",
        [main["id"]],
        "daily",
        True,
    )
    assert rule.emails == ["buyer@example.com", "store@example.com"]
    listed = admin.get("/alerts/rules").text
    assert f'<a href="/alerts/rules/{rule.id}">Low at main</a>' in listed
    page = admin.get(f"/alerts/rules/{rule.id}").text
    assert 'value="buyer@example.com, store@example.com"' in page
    bad = admin.post(f"/alerts/rules/{rule.id}", {**form, "email": "not an address"})
    assert bad.status_code == 422 and 'id="e-email"' in bad.text
    changed = admin.post(f"/alerts/rules/{rule.id}", {**form, "name": "Low", "active": ""})
    assert changed.status_code == 303
    with database.unit_of_work() as session:
        stored = rules.get_rule(session, tenant.actor, rule_id=rule.id).rule
        assert (stored.name, stored.active) == ("Low", False)
    assert admin.post(f"/alerts/rules/{rule.id}/delete").status_code == 303
    with database.unit_of_work() as session:
        assert rules.list_rules(session, tenant.actor) == []


def test_a_rule_with_a_webhook_shows_its_secret_once(
    signed_in: Callable[[Role], Web],
) -> None:
    admin = signed_in(Role.admin)
    admin.get("/alerts/rules/new")
    form = {"name": "Hook", "type": "overstock", "webhook": "https://hooks.example.com/stock"}
    answer = admin.post("/alerts/rules/new", form)
    assert answer.status_code == 200 and 'id="webhook-secret">whsec_' in answer.text
    rule_path = answer.text.split('action="/alerts/rules/', 1)[1].split('"', 1)[0]
    again = admin.get(f"/alerts/rules/{rule_path}").text
    assert "webhook-secret" not in again and 'value="https://hooks.example.com/stock"' in again
    unknown = admin.post("/alerts/rules/new", {"name": "X", "type": "sometimes"})
    assert unknown.status_code == 422 and 'id="e-type"' in unknown.text
