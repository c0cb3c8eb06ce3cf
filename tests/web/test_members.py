"""The people page over HTTP: admins only (a forged post by a clerk or viewer is refused),
a new person's link to set a password, and the last admin kept."""

from __future__ import annotations

import re
from collections.abc import Callable

from stockkeeper.tenancy.service import Role
from tests.support import unique
from tests.web.conftest import Person, Web


def test_a_viewer_and_a_clerk_see_no_people_page_and_their_forged_posts_are_refused(
    signed_in: Callable[[Role], Web], person: Callable[[Role], Person]
) -> None:
    target = person(Role.admin)
    for role in (Role.viewer, Role.clerk):
        web = signed_in(role)
        assert 'href="/people"' not in web.get("/").text
        assert web.get("/people").status_code == 403
        forged = [
            web.post("/people", {"email": "x@example.com", "role": "admin"}),
            web.post(f"/people/{target.account_id}/role", {"role": "viewer"}),
            web.post(f"/people/{target.account_id}/remove"),
        ]
        assert [answer.status_code for answer in forged] == [403, 403, 403]
        assert "needs the admin role" in forged[0].text


def test_an_admin_adds_a_person_who_sets_a_password_and_signs_in(
    signed_in: Callable[[Role], Web], web: Web
) -> None:
    admin = signed_in(Role.admin)
    assert 'href="/people"' in admin.get("/settings").text  # People is listed on Settings
    email = f"{unique('new')}@example.com"
    added = admin.post("/people", {"email": email, "name": "New Person", "role": "viewer"})
    assert added.status_code == 200 and email in added.text
    link = re.search(r"http://127.0.0.1:8000(/set-password/[\w-]+)", added.text)
    assert link is not None
    assert web.get(link.group(1)).status_code == 200
    short = web.post(link.group(1), {"password": "short"})
    assert short.status_code == 422 and "at least 10 characters" in short.text
    done = web.post(link.group(1), {"password": "a good long password"})
    assert done.status_code == 303 and done.headers["location"] == "/"
    assert "New Person" in web.get("/").text
    assert web.get(link.group(1)).status_code == 404  # used once


def test_the_form_shows_the_services_errors_beside_their_fields(
    signed_in: Callable[[Role], Web],
) -> None:
    admin = signed_in(Role.admin)
    answer = admin.post("/people", {"email": "not an email", "role": "viewer"})
    assert answer.status_code == 422
    assert 'aria-invalid="true" aria-describedby="e-email"' in answer.text
    assert 'value="not an email"' in answer.text  # kept as typed


def test_the_last_admin_cannot_demote_themselves(
    signed_in: Callable[[Role], Web], database: object, tenant: object
) -> None:
    admin = signed_in(Role.admin)
    page = admin.get("/people").text
    own = re.search(r'action="/people/([^/"]+)/role"', page)
    assert own is not None
    answer = admin.post(f"/people/{own.group(1)}/role", {"role": "clerk"})
    assert answer.status_code == 409
    assert "last admin" in answer.text
