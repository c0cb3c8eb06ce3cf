"""The sales issue and customer return screens over HTTP, on both engines: a clerk issues
goods by item code and takes some back against the issue; a viewer sees no write action and
their forged posts change nothing; refusals (an unknown code, more than is in stock, more
back than went out) shown beside their fields, creating nothing."""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal

import pytest

from stockkeeper.adjustments import service as adjustments
from stockkeeper.adjustments.values import NewAdjustment
from stockkeeper.core.db import Database
from stockkeeper.sales import service
from stockkeeper.sales.values import SalesFilters
from stockkeeper.tenancy.service import Role
from stockkeeper.web.documents import issues as pages
from tests.support import Tenant
from tests.web.conftest import Web
from tests.web.places import Place, make_place, on_hand


@pytest.fixture
def place(database: Database, tenant: Tenant) -> Place:
    """A place whose item has 10 in stock at its location."""
    made = make_place(database, tenant)
    values = {
        "reason": "found",
        "location_id": made.location_id,
        "items": [{"item_id": made.item_id, "adjustment_quantity": "10", "unit_cost": "3"}],
    }
    with database.unit_of_work() as session:
        adjustment = NewAdjustment.model_validate(values)
        adjustments.create_adjustment(session, tenant.actor, adjustment=adjustment)
    return made


def _form(place: Place, *lines: tuple[str, str]) -> dict[str, str]:
    sent = {"location_id": place.location_id, "customer": "Ana", "do": "post"}
    for n, (code, quantity) in enumerate(lines):
        sent |= {f"items.{n}.code": code, f"items.{n}.quantity": quantity}
    return sent


def _counts(database: Database, tenant: Tenant) -> tuple[int, int]:
    """How many issues and returns the company has."""
    with database.unit_of_work() as session:
        actor, none = tenant.actor, SalesFilters()
        issued = service.list_issues(session, actor, filters=none, limit=200, cursor=None)
        back = service.list_returns(session, actor, filters=none, limit=200, cursor=None)
    return len(issued.rows), len(back.rows)


def _opened(location: str, path: str) -> str:
    found = re.fullmatch(rf"{path}/([\w-]+)", location)
    assert found is not None, location
    return found.group(1)


def test_a_clerk_issues_goods_and_takes_some_back_against_the_issue(
    signed_in: Callable[[Role], Web], place: Place, database: Database, tenant: Tenant
) -> None:
    clerk = signed_in(Role.clerk)
    assert clerk.get("/issues/new").status_code == 200
    issued = clerk.post("/issues/new", _form(place, (place.code, "4")))
    assert issued.status_code == 303
    ident = _opened(issued.headers["location"], "/issues")
    page = clerk.get(f"/issues/{ident}").text
    assert place.code in page and 'data-label="Total value">12' in page
    assert on_hand(database, tenant, place.item_id, place.location_id) == Decimal(6)
    assert f'href="/issues/{ident}"' in clerk.get("/issues").text
    form = clerk.get(f"/returns/new?issue_id={ident}")
    assert form.status_code == 200 and f'name="issue_id" value="{ident}"' in form.text
    assert f'value="{place.code}"' in form.text and 'value="4"' in form.text
    sent = _form(place, (place.code, "1")) | {"issue_id": ident}
    back = clerk.post("/returns/new", sent)
    assert back.status_code == 303
    returned = clerk.get(back.headers["location"]).text
    assert f'href="/issues/{ident}"' in returned and 'data-label="Quantity">1' in returned
    assert on_hand(database, tenant, place.item_id, place.location_id) == Decimal(7)
    theirs = clerk.get("/returns", params={"issue_id": ident}).text
    assert f'href="{back.headers["location"]}"' in theirs
    assert _counts(database, tenant) == (1, 1)


def test_refusals_are_shown_beside_their_fields_and_post_nothing(
    signed_in: Callable[[Role], Web], place: Place, database: Database, tenant: Tenant
) -> None:
    clerk = signed_in(Role.clerk)
    clerk.get("/issues/new")
    unknown = clerk.post("/issues/new", _form(place, (place.code, "x"), ("NO-SUCH", "1")))
    assert unknown.status_code == 422
    assert 'aria-describedby="e-items.0.quantity"' in unknown.text
    assert 'aria-describedby="e-items.1.code"' in unknown.text
    short = clerk.post("/issues/new", _form(place, (place.code, "11")))
    assert short.status_code == 409 and "not enough stock" in short.text
    issued = clerk.post("/issues/new", _form(place, (place.code, "2")))
    ident = _opened(issued.headers["location"], "/issues")
    too_many = _form(place, (place.code, "3")) | {"issue_id": ident}
    refused = clerk.post("/returns/new", too_many)
    assert refused.status_code == 422 and 'value="3"' in refused.text
    assert 'aria-describedby="e-items.0.quantity"' in refused.text
    assert "only 2 of this item" in refused.text
    assert _counts(database, tenant) == (1, 0)
    assert on_hand(database, tenant, place.item_id) == Decimal(8)


def test_a_viewer_sees_no_write_action_and_their_forged_posts_change_nothing(
    signed_in: Callable[[Role], Web], place: Place, database: Database, tenant: Tenant
) -> None:
    clerk = signed_in(Role.clerk)
    issued = clerk.post("/issues/new", _form(place, (place.code, "2")))
    ident = _opened(issued.headers["location"], "/issues")
    viewer = signed_in(Role.viewer)
    assert "/issues/new" not in viewer.get("/issues").text
    assert "/returns/new" not in viewer.get("/returns").text
    page = viewer.get(f"/issues/{ident}")
    assert page.status_code == 200 and "/returns/new" not in page.text
    assert viewer.get("/issues/new").status_code == 403
    assert viewer.get(f"/returns/new?issue_id={ident}").status_code == 403
    forged = [
        viewer.post("/issues/new", _form(place, (place.code, "1"))),
        viewer.post("/returns/new", _form(place, (place.code, "1")) | {"issue_id": ident}),
    ]
    assert [answer.status_code for answer in forged] == [403, 403]
    assert _counts(database, tenant) == (1, 0)
    assert on_hand(database, tenant, place.item_id) == Decimal(8)


def test_the_lists_filter_by_reference_refuse_a_bad_date_beside_it_and_page(
    signed_in: Callable[[Role], Web], place: Place, monkeypatch: pytest.MonkeyPatch
) -> None:
    clerk = signed_in(Role.clerk)
    for reference in ("INV-1", "INV-2"):
        sent = _form(place, (place.code, "1")) | {"reference": reference}
        assert clerk.post("/issues/new", sent).status_code == 303
    one = clerk.get("/issues", params={"reference": "INV-2"}).text
    assert "INV-2" in one and "INV-1" not in one
    bad = clerk.get("/returns", params={"date_to": "later"})
    assert bad.status_code == 422 and 'aria-describedby="e-date_to"' in bad.text
    assert clerk.get("/issues/no-such-issue").status_code == 404
    monkeypatch.setattr(pages, "PAGE_SIZE", 1)
    first = clerk.get("/issues").text
    link = re.search(r'href="(/issues\?cursor=[^"]+)" rel="next"', first)
    assert link is not None and "INV-2" in first and "INV-1" not in first
    second = clerk.get(link.group(1)).text
    assert "INV-1" in second and 'rel="next"' not in second
