"""What a person does in the web UI is in the audit trail under their account, as the API
shows it (``actor.accountId``) and filters it."""

from __future__ import annotations

import re
from collections.abc import Callable

from stockkeeper.tenancy.service import Role
from tests.support import Api, unique
from tests.web.conftest import Web

AUDIT = "/api/v1/audit-events"


def test_the_api_names_the_person_who_acted_in_the_web_ui(
    api: Api, signed_in: Callable[[Role], Web]
) -> None:
    admin = signed_in(Role.admin)
    email = f"{unique('audited')}@example.com"
    assert admin.post("/people", {"email": email, "role": "viewer"}).status_code == 200
    own = re.search(r'title="([^"]+)"', admin.get("/").text)  # the header names the person
    assert own is not None
    rows = api.data(api.get(AUDIT, params={"action": "member.added"}))
    added = [r for r in rows if r["details"]["email"] == email]
    assert len(added) == 1
    actor = added[0]["actor"]
    assert actor["keyId"] is None and actor["name"] == own.group(1)
    assert actor["accountId"].startswith("acct_")
    by_account = api.data(api.get(AUDIT, params={"actor": actor["accountId"]}))
    assert [r["id"] for r in by_account] == [added[0]["id"]]
    keyed = api.data(api.get(AUDIT, params={"limit": 200}))
    assert all(r["actor"]["accountId"] is None for r in keyed if r["actor"]["keyId"])
