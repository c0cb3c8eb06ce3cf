"""The settings and API keys pages over HTTP: admins only (a forged post by a clerk or viewer
is refused and changes nothing), the service's refusals beside their fields, a new key's
token shown once, and a revoked key refused by the API."""

from __future__ import annotations

import re
from collections.abc import Callable

from fastapi.testclient import TestClient

from stockkeeper.tenancy.service import Role
from tests.support import Api
from tests.web.conftest import Web


def _settings_form(web: Web) -> dict[str, str]:
    """The settings form's values as the page shows them (switches on only when checked)."""
    html = web.get("/settings").text
    values = dict(
        re.findall(r'<input id="f-[^"]+" name="([^"]+)" type="(?:text|date)" value="([^"]*)"', html)
    )
    values |= dict.fromkeys(
        re.findall(r'name="([^"]+)" type="checkbox" value="true" checked', html), "true"
    )
    for name, chosen in re.findall(r'<select id="f-([^"]+)"[^>]*>(.*?)</select>', html, re.S):
        picked = re.search(r'<option value="([^"]*)" selected>', chosen)
        values[name] = picked.group(1) if picked else ""
    hidden = re.findall(r'<input type="hidden" name="(shown\.[^"]+)" value="([^"]*)"', html)
    return values | dict(hidden)


def test_only_admins_see_settings_and_keys_and_forged_posts_change_nothing(
    api: Api, signed_in: Callable[[Role], Web]
) -> None:
    before = api.data(api.get("/api/v1/settings"))
    keys = len(api.data(api.get("/api/v1/api-keys")))
    key_id = api.data(api.get("/api/v1/api-keys"))[0]["id"]
    for role in (Role.viewer, Role.clerk):
        web = signed_in(role)
        home = web.get("/").text
        assert 'href="/settings"' not in home and 'href="/api-keys"' not in home
        assert web.get("/settings").status_code == 403 and web.get("/api-keys").status_code == 403
        forged = [
            web.post("/settings", {"name": "Taken over", "allow_negative_stock": "true"}),
            web.post("/api-keys", {"name": "mine", "role": "admin"}),
            web.post(f"/api-keys/{key_id}/revoke"),
        ]
        assert [answer.status_code for answer in forged] == [403, 403, 403]
    assert api.data(api.get("/api/v1/settings")) == before
    after = api.data(api.get("/api/v1/api-keys"))
    assert len(after) == keys and all(key["revokedAt"] is None for key in after)


def test_an_admin_changes_the_settings(api: Api, signed_in: Callable[[Role], Web]) -> None:
    admin = signed_in(Role.admin)
    assert 'href="/settings"' in admin.get("/").text
    values = _settings_form(admin)
    assert values["currency"] == "MYR" and values["numbering_formats.adjustment"]
    assert values["default_accounts.inventory_account_id"] == "acc_inventory"
    values |= {
        "name": "Renamed Sdn Bhd",
        "timezone": "Asia/Kuala_Lumpur",
        "allow_negative_stock": "true",
        "default_costing_method": "fifo",
        "numbering_formats.transfer": "TR-{SEQ:5}",
        "lock_date": "2020-01-31",
    }
    saved = admin.post("/settings", values)
    assert saved.status_code == 303 and saved.headers["location"] == "/settings?saved=1"
    assert "The settings were saved" in admin.get("/settings?saved=1").text
    now = api.data(api.get("/api/v1/settings"))
    assert (now["name"], now["timezone"], now["allowNegativeStock"]) == (
        "Renamed Sdn Bhd",
        "Asia/Kuala_Lumpur",
        True,
    )
    assert now["defaultCostingMethod"] == "fifo" and now["lockDate"] == "2020-01-31"
    assert now["numberingFormats"]["transfer"] == "TR-{SEQ:5}"
    # a switch left off is off; an empty lock date opens the past again
    values = _settings_form(admin)
    del values["allow_negative_stock"]
    assert admin.post("/settings", values | {"lock_date": ""}).status_code == 303
    now = api.data(api.get("/api/v1/settings"))
    assert now["allowNegativeStock"] is False and now["lockDate"] is None


def test_the_settings_refusals_are_shown_beside_their_fields(
    api: Api, signed_in: Callable[[Role], Web]
) -> None:
    admin = signed_in(Role.admin)
    before = api.data(api.get("/api/v1/settings"))
    values = _settings_form(admin)
    for field, wrong in [
        ("timezone", "Mars/Olympus"),
        ("currency", "XYZ"),
        ("lock_date", "2999-01-01"),
        ("numbering_formats.adjustment", "ADJ-{SEQ}"),
        ("name", ""),
        ("default_accounts.cogs_account_id", "no-such-account"),
        ("default_tax_rates.sales_tax_code", "NOPE"),
    ]:
        answer = admin.post("/settings", values | {field: wrong, "allow_negative_stock": "true"})
        assert answer.status_code == 422, (field, answer.text)
        assert f'aria-invalid="true" aria-describedby="e-{field}"' in answer.text, field
        assert f'value="{wrong}"' in answer.text  # kept as typed
    assert api.data(api.get("/api/v1/settings")) == before


def test_a_page_left_open_undoes_no_other_admins_change(
    api: Api, signed_in: Callable[[Role], Web]
) -> None:
    first, second = signed_in(Role.admin), signed_in(Role.admin)
    stale = _settings_form(second)  # opened before the first admin's change
    values = _settings_form(first) | {"lock_date": "2020-03-31", "allow_negative_stock": "true"}
    assert first.post("/settings", values).status_code == 303
    assert second.post("/settings", stale | {"name": "Renamed by the second"}).status_code == 303
    now = api.data(api.get("/api/v1/settings"))
    assert now["name"] == "Renamed by the second"
    assert now["lockDate"] == "2020-03-31" and now["allowNegativeStock"] is True


def test_an_admin_creates_a_key_seen_once_and_revokes_it(
    api: Api, client: TestClient, signed_in: Callable[[Role], Web]
) -> None:
    admin = signed_in(Role.admin)
    created = admin.post("/api-keys", {"name": "till 3", "role": "clerk"})
    assert created.status_code == 200
    token = re.search(r'<code class="link" id="new-key">(sk_[\w-]+)</code>', created.text)
    assert token is not None
    as_key = api.as_key(token.group(1))
    assert as_key.get("/api/v1/items").status_code == 200
    listing = admin.get("/api-keys").text
    assert "till 3" in listing and token.group(1) not in listing  # shown once
    revoke = re.search(
        r'action="(/api-keys/[^"]+/revoke)"[^<]*\s*<input[^>]+>\s*'
        r'<button[^>]*aria-label="Revoke the key till 3',
        listing,
    )
    assert revoke is not None
    assert admin.post(revoke.group(1)).status_code == 303
    assert as_key.get("/api/v1/items").status_code == 401
    assert "Revoked" in admin.get("/api-keys").text
    assert admin.post("/api-keys/key_unknown/revoke").status_code == 404
    refused = admin.post("/api-keys", {"name": "x" * 300, "role": "boss"})
    assert refused.status_code == 422
    assert 'aria-describedby="e-name"' in refused.text and '<p class="error">' in refused.text
