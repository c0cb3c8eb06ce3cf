"""The reservation screens over HTTP, on both engines: a clerk reserves stock by item code,
fulfils part of it and releases the rest; a viewer sees no write action and their forged
posts change nothing; refusals beside their fields, reserving nothing."""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal

import pytest

from stockkeeper.adjustments import service as adjustments
from stockkeeper.adjustments.values import NewAdjustment
from stockkeeper.core.db import Database
from stockkeeper.stock.service import reservations as service
from stockkeeper.stock.values import ReservationFilters
from stockkeeper.tenancy.service import Role
from stockkeeper.web.documents import reservations as pages
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


def _form(place: Place, quantity: str, code: str | None = None) -> dict[str, str]:
    return {
        "code": place.code if code is None else code,
        "location_id": place.location_id,
        "quantity": quantity,
        "reference": "SO-1",
    }


def _statuses(database: Database, tenant: Tenant) -> list[tuple[str, Decimal]]:
    with database.unit_of_work() as session:
        found = service.list_reservations(
            session, tenant.actor, filters=ReservationFilters(), limit=200, cursor=None
        )
    return [(view.reservation.status, view.reservation.quantity_fulfilled) for view in found.rows]


def _reserve(clerk: Web, place: Place, quantity: str) -> str:
    made = clerk.post("/reservations/new", _form(place, quantity))
    assert made.status_code == 303, made.text
    found = re.fullmatch(r"/reservations/([\w-]+)", made.headers["location"])
    assert found is not None
    return found.group(1)


def test_a_clerk_reserves_fulfils_part_and_releases_the_rest(
    signed_in: Callable[[Role], Web], place: Place, database: Database, tenant: Tenant
) -> None:
    clerk = signed_in(Role.clerk)
    assert clerk.get("/reservations/new").status_code == 200
    ident = _reserve(clerk, place, "6")
    page = clerk.get(f"/reservations/{ident}").text
    assert "status-active" in page and place.code in page
    assert f'action="/reservations/{ident}/fulfil"' in page
    assert f'action="/reservations/{ident}/release"' in page
    assert f'href="/reservations/{ident}"' in clerk.get("/reservations").text
    assert clerk.post(f"/reservations/{ident}/fulfil", {"quantity": "2"}).status_code == 303
    assert on_hand(database, tenant, place.item_id, place.location_id) == Decimal(8)
    assert "<dd>4</dd>" in clerk.get(f"/reservations/{ident}").text  # still reserved
    assert clerk.post(f"/reservations/{ident}/release").status_code == 303
    released = clerk.get(f"/reservations/{ident}").text
    assert "status-released" in released and 'method="post"' not in released.split("</header>")[1]
    again = clerk.post(f"/reservations/{ident}/release")
    assert again.status_code == 409 and 'class="errors"' in again.text
    assert _statuses(database, tenant) == [("released", Decimal(2))]


def test_refusals_are_shown_beside_their_fields_and_reserve_nothing(
    signed_in: Callable[[Role], Web], place: Place, database: Database, tenant: Tenant
) -> None:
    clerk = signed_in(Role.clerk)
    clerk.get("/reservations/new")
    unknown = clerk.post("/reservations/new", _form(place, "1", code="NO-SUCH"))
    assert unknown.status_code == 422 and 'aria-describedby="e-code"' in unknown.text
    bad = clerk.post("/reservations/new", _form(place, "some"))
    assert bad.status_code == 422 and 'aria-describedby="e-quantity"' in bad.text
    assert 'value="some"' in bad.text
    late = clerk.post("/reservations/new", _form(place, "1") | {"expires_at": "tomorrow"})
    assert late.status_code == 422 and 'aria-describedby="e-expires_at"' in late.text
    short = clerk.post("/reservations/new", _form(place, "11"))
    assert short.status_code == 409 and "not enough stock" in short.text
    assert _statuses(database, tenant) == []
    ident = _reserve(clerk, place, "3")
    over = clerk.post(f"/reservations/{ident}/fulfil", {"quantity": "none"})
    assert over.status_code == 422 and 'aria-describedby="e-quantity"' in over.text
    assert _statuses(database, tenant) == [("active", Decimal(0))]


def test_a_viewer_sees_no_write_action_and_their_forged_posts_change_nothing(
    signed_in: Callable[[Role], Web], place: Place, database: Database, tenant: Tenant
) -> None:
    ident = _reserve(signed_in(Role.clerk), place, "3")
    viewer = signed_in(Role.viewer)
    assert "/reservations/new" not in viewer.get("/reservations").text
    page = viewer.get(f"/reservations/{ident}")
    assert page.status_code == 200 and 'method="post"' not in page.text.split("</header>")[1]
    assert viewer.get("/reservations/new").status_code == 403
    forged = [
        viewer.post("/reservations/new", _form(place, "1")),
        viewer.post(f"/reservations/{ident}/fulfil"),
        viewer.post(f"/reservations/{ident}/release"),
    ]
    assert [answer.status_code for answer in forged] == [403] * 3
    assert _statuses(database, tenant) == [("active", Decimal(0))]
    assert on_hand(database, tenant, place.item_id) == Decimal(10)


def test_the_list_filters_by_status_refuses_a_bad_one_beside_it_and_pages(
    signed_in: Callable[[Role], Web], place: Place, monkeypatch: pytest.MonkeyPatch
) -> None:
    clerk = signed_in(Role.clerk)
    kept, released = _reserve(clerk, place, "1"), _reserve(clerk, place, "1")
    assert clerk.post(f"/reservations/{released}/release").status_code == 303
    active = clerk.get("/reservations", params={"status": "active"}).text
    assert f"/reservations/{kept}" in active and f"/reservations/{released}" not in active
    bad = clerk.get("/reservations", params={"status": "lost"})
    assert bad.status_code == 422 and 'aria-describedby="e-status"' in bad.text
    monkeypatch.setattr(pages, "PAGE_SIZE", 1)
    first = clerk.get("/reservations").text
    link = re.search(r'href="(/reservations\?cursor=[^"]+)" rel="next"', first)
    assert link is not None and f"/reservations/{released}" in first  # newest first
    second = clerk.get(link.group(1)).text
    assert f"/reservations/{kept}" in second and 'rel="next"' not in second
