"""The transfer screens over HTTP, on both engines: a clerk's draft shipped and received by
its buttons, a transfer moved at once, an admin's approval, a viewer's forged posts refused,
refusals beside their fields, the list's filters."""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal

import pytest

from stockkeeper.catalog.service.locations import create_bin
from stockkeeper.catalog.values import NewBin
from stockkeeper.core.db import Database
from stockkeeper.stock.service.queries import item_stock
from stockkeeper.tenancy.service import Role
from stockkeeper.transfers import service
from stockkeeper.transfers.values import TransferFilters
from tests.factories import new_location
from tests.support import Tenant
from tests.web.conftest import Web
from tests.web.places import Place, make_place, on_hand, stock_up


@pytest.fixture
def place(database: Database, tenant: Tenant) -> Place:
    """A location holding 10 of an item."""
    made = make_place(database, tenant)
    stock_up(database, tenant, made, "10")
    return made


@pytest.fixture
def destination(database: Database, tenant: Tenant) -> str:
    with database.unit_of_work() as session:
        return new_location(session, tenant.actor)


def _form(place: Place, to: str, *lines: tuple[str, str], do: str = "draft") -> dict[str, str]:
    sent = {"from_location_id": place.location_id, "to_location_id": to, "do": do}
    for n, (code, quantity) in enumerate(lines):
        sent |= {f"items.{n}.code": code, f"items.{n}.quantity": quantity}
    return sent


def _statuses(database: Database, tenant: Tenant) -> list[str]:
    with database.unit_of_work() as session:
        found = service.list_transfers(
            session, tenant.actor, filters=TransferFilters(), limit=200, cursor=None
        )
    return [view.transfer.status for view in found.rows]


def _opened(location: str) -> str:
    found = re.fullmatch(r"/transfers/(xfer_\w+)", location)
    assert found is not None, location
    return found.group(1)


def _drafted(web: Web, place: Place, to: str, quantity: str, do: str = "draft") -> str:
    """A transfer of ``quantity`` of the place's item to ``to``, made on the form: its id."""
    made = web.post("/transfers/new", _form(place, to, (place.code, quantity), do=do))
    assert made.status_code == 303, made.text
    return _opened(made.headers["location"])


def _ship(web: Web, ident: str) -> None:
    assert web.post(f"/transfers/{ident}/shipped").status_code == 303


def test_a_clerk_drafts_ships_and_receives_a_transfer(
    signed_in: Callable[[Role], Web],
    place: Place,
    destination: str,
    database: Database,
    tenant: Tenant,
) -> None:
    clerk = signed_in(Role.clerk)
    assert 'href="/transfers/new"' in clerk.get("/transfers").text
    ident = _drafted(clerk, place, destination, "4")
    page = clerk.get(f"/transfers/{ident}").text
    assert f'action="/transfers/{ident}/shipped"' in page
    assert f'action="/transfers/{ident}/approved"' not in page  # an admin's
    _ship(clerk, ident)
    assert on_hand(database, tenant, place.item_id, place.location_id) == Decimal(6)
    shipped = clerk.get(f"/transfers/{ident}").text
    assert "status-shipped" in shipped and f'action="/transfers/{ident}/received"' in shipped
    assert clerk.post(f"/transfers/{ident}/received").status_code == 303
    assert on_hand(database, tenant, place.item_id, destination) == Decimal(4)
    assert "status-completed" in clerk.get(f"/transfers/{ident}").text
    again = clerk.post(f"/transfers/{ident}/shipped")
    assert again.status_code == 409 and "completed" in again.text


def test_moved_at_once_and_refusals_beside_their_fields(
    signed_in: Callable[[Role], Web],
    place: Place,
    destination: str,
    database: Database,
    tenant: Tenant,
) -> None:
    clerk = signed_in(Role.clerk)
    clerk.get("/transfers/new")
    same = clerk.post("/transfers/new", _form(place, place.location_id, (place.code, "1")))
    assert same.status_code == 422 and 'aria-describedby="e-to_location_id"' in same.text
    unknown = clerk.post("/transfers/new", _form(place, destination, ("NOPE", "1")))
    assert unknown.status_code == 422 and 'aria-describedby="e-items.0.code"' in unknown.text
    short = clerk.post("/transfers/new", _form(place, destination, (place.code, "11"), do="now"))
    assert short.status_code == 409 and "not enough stock" in short.text
    assert _statuses(database, tenant) == []
    now = clerk.post("/transfers/new", _form(place, destination, (place.code, "3"), do="now"))
    assert now.status_code == 303
    assert _statuses(database, tenant) == ["completed"]
    assert on_hand(database, tenant, place.item_id, destination) == Decimal(3)


def test_a_viewer_sees_no_write_action_and_their_forged_posts_change_nothing(
    signed_in: Callable[[Role], Web],
    place: Place,
    destination: str,
    database: Database,
    tenant: Tenant,
) -> None:
    clerk = signed_in(Role.clerk)
    ident = _drafted(clerk, place, destination, "2")
    viewer = signed_in(Role.viewer)
    assert "/transfers/new" not in viewer.get("/transfers").text
    page = viewer.get(f"/transfers/{ident}")
    assert page.status_code == 200 and 'method="post"' not in page.text.split("</header>")[1]
    assert viewer.get("/transfers/new").status_code == 403
    forged = [
        viewer.post("/transfers/new", _form(place, destination, (place.code, "1"), do="now")),
        viewer.post(f"/transfers/{ident}/shipped"),
        viewer.post(f"/transfers/{ident}/cancelled"),
    ]
    assert [answer.status_code for answer in forged] == [403] * 3
    assert _statuses(database, tenant) == ["draft"]
    assert on_hand(database, tenant, place.item_id, place.location_id) == Decimal(10)


def test_approval_is_an_admins_and_the_list_filters_by_status(
    signed_in: Callable[[Role], Web],
    place: Place,
    destination: str,
    database: Database,
    tenant: Tenant,
) -> None:
    clerk = signed_in(Role.clerk)
    ident = _drafted(clerk, place, destination, "2", do="approval")
    _drafted(clerk, place, destination, "1")
    assert clerk.post(f"/transfers/{ident}/approved").status_code == 403
    # waiting for approval: a clerk may only cancel it (shipping it would approve it)
    shown = clerk.get(f"/transfers/{ident}").text
    assert f'action="/transfers/{ident}/cancelled"' in shown
    for admins in ("shipped", "approved", "rejected"):
        assert f'action="/transfers/{ident}/{admins}"' not in shown
    assert (
        f'action="/transfers/{ident}/shipped"'
        in signed_in(Role.admin).get(f"/transfers/{ident}").text
    )
    waiting = clerk.get("/transfers", params={"status": "pending_approval"}).text
    assert waiting.count("status-pending_approval") == 1 and "status-draft" not in waiting
    admin = signed_in(Role.admin)
    assert f'action="/transfers/{ident}/approved"' in admin.get(f"/transfers/{ident}").text
    assert admin.post(f"/transfers/{ident}/approved").status_code == 303
    assert sorted(_statuses(database, tenant)) == ["approved", "draft"]
    bad = clerk.get("/transfers", params={"status": "lost"})
    assert bad.status_code == 422 and 'aria-describedby="e-status"' in bad.text


def test_a_draft_is_edited_on_its_form_and_a_shipped_one_is_not(
    signed_in: Callable[[Role], Web],
    place: Place,
    destination: str,
    database: Database,
    tenant: Tenant,
) -> None:
    clerk = signed_in(Role.clerk)
    ident = _drafted(clerk, place, destination, "2")
    assert f'href="/transfers/{ident}/edit"' in clerk.get(f"/transfers/{ident}").text
    form = clerk.get(f"/transfers/{ident}/edit")
    assert form.status_code == 200 and 'value="2"' in form.text
    refused = clerk.post(
        f"/transfers/{ident}/edit", _form(place, destination, ("NOPE", "6"), do="save")
    )
    assert refused.status_code == 422 and 'aria-describedby="e-items.0.code"' in refused.text
    saved = clerk.post(
        f"/transfers/{ident}/edit", _form(place, destination, (place.code, "6"), do="save")
    )
    assert saved.status_code == 303
    _ship(clerk, ident)
    assert on_hand(database, tenant, place.item_id, place.location_id) == Decimal(4)
    shipped = clerk.get(f"/transfers/{ident}").text
    assert f"/transfers/{ident}/edit" not in shipped
    assert clerk.get(f"/transfers/{ident}/edit").headers["location"] == f"/transfers/{ident}"
    late = clerk.post(
        f"/transfers/{ident}/edit", _form(place, destination, (place.code, "1"), do="save")
    )
    assert late.status_code == 409 and "cannot be edited" in late.text
    viewer = signed_in(Role.viewer)
    assert viewer.post(f"/transfers/{ident}/edit", {"do": "save"}).status_code == 403


def test_a_line_names_its_bins_by_code_at_each_end(
    signed_in: Callable[[Role], Web],
    place: Place,
    destination: str,
    database: Database,
    tenant: Tenant,
) -> None:
    with database.unit_of_work() as session:
        create_bin(session, tenant.actor, location_id=destination, bin=NewBin(code="D-1"))
    clerk = signed_in(Role.clerk)
    clerk.get("/transfers/new")
    sent = _form(place, destination, (place.code, "3"), do="now")
    wrong = clerk.post("/transfers/new", sent | {"items.0.from_bin_id": "D-1"})
    assert wrong.status_code == 422 and 'aria-describedby="e-items.0.from_bin_id"' in wrong.text
    assert clerk.post("/transfers/new", sent | {"items.0.to_bin_id": "D-1"}).status_code == 303
    with database.unit_of_work() as session:
        stock = item_stock(session, tenant.company_id, [place.item_id])[place.item_id]
    assert stock.locations[destination].bins == {"D-1": Decimal(3)}
