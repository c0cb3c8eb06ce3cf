"""The purchase order screens over HTTP, on both engines: an admin creates an order by item
code and sends it, a clerk receives part of it and then the rest; a viewer sees no write
action and a clerk no admin's move, their forged posts refused; refusals beside their
fields; the list's filters."""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal

import pytest
from sqlalchemy import select

from stockkeeper.catalog.models import Bin
from stockkeeper.catalog.service.locations import create_bin
from stockkeeper.catalog.values import NewBin
from stockkeeper.core.db import Database
from stockkeeper.purchasing import service
from stockkeeper.purchasing.values import OrderFilters
from stockkeeper.stock.models import StockLevel
from stockkeeper.tenancy.service import Role
from stockkeeper.web.documents import purchase_orders as pages
from tests.factories import new_item
from tests.support import Tenant
from tests.web.conftest import Web
from tests.web.orders import make_order, make_supplier, order_status
from tests.web.places import Place, make_place, on_hand


@pytest.fixture
def place(database: Database, tenant: Tenant) -> Place:
    return make_place(database, tenant)


def _orders(database: Database, tenant: Tenant) -> list[str]:
    with database.unit_of_work() as session:
        found = service.list_orders(
            session, tenant.actor, filters=OrderFilters(), limit=200, cursor=None
        )
    return [view.order.status for view in found.rows]


def _opened(location: str) -> str:
    found = re.fullmatch(r"/purchase-orders/([\w-]+)", location)
    assert found is not None, location
    return found.group(1)


def _new(supplier_id: str, place: Place, *lines: tuple[str, str]) -> dict[str, str]:
    sent = {"supplier_id": supplier_id, "location_id": place.location_id, "do": "save"}
    for n, (code, quantity) in enumerate(lines):
        sent |= {f"items.{n}.code": code, f"items.{n}.quantity": quantity}
    return sent


def test_an_admin_creates_an_order_by_item_code_changes_its_lines_and_sends_it(
    signed_in: Callable[[Role], Web], place: Place, database: Database, tenant: Tenant
) -> None:
    supplier_id = make_supplier(database, tenant)
    admin = signed_in(Role.admin)
    form = admin.get("/purchase-orders/new")
    assert form.status_code == 200 and f'value="{supplier_id}"' in form.text
    made = admin.post("/purchase-orders/new", _new(supplier_id, place, (place.code, "10")))
    assert made.status_code == 303
    ident = _opened(made.headers["location"])
    page = admin.get(f"/purchase-orders/{ident}").text
    assert "status-created" in page and place.code in page
    assert f'action="/purchase-orders/{ident}/ordered"' in page
    assert f'href="/purchase-orders/{ident}/receive"' not in page  # nothing is open yet
    edit = admin.get(f"/purchase-orders/{ident}/edit")
    assert edit.status_code == 200 and 'value="10"' in edit.text
    changed = admin.post(
        f"/purchase-orders/{ident}/edit", _new(supplier_id, place, (place.code, "12"))
    )
    assert changed.status_code == 303
    assert admin.post(f"/purchase-orders/{ident}/ordered").status_code == 303
    sent = admin.get(f"/purchase-orders/{ident}").text
    assert "status-ordered" in sent and 'data-label="Open">12</td>' in sent
    assert f'href="/purchase-orders/{ident}/receive"' in sent
    assert f'href="{made.headers["location"]}"' in admin.get("/purchase-orders").text
    assert _orders(database, tenant) == ["ordered"]


def test_a_clerk_receives_part_of_an_order_then_the_rest(
    signed_in: Callable[[Role], Web], place: Place, database: Database, tenant: Tenant
) -> None:
    ident = make_order(database, tenant, place, "10", sent=True)
    clerk = signed_in(Role.clerk)
    page = clerk.get(f"/purchase-orders/{ident}").text
    assert f'href="/purchase-orders/{ident}/receive"' in page
    assert f"/purchase-orders/{ident}/cancelled" not in page  # an admin's move
    form = clerk.get(f"/purchase-orders/{ident}/receive")
    assert form.status_code == 200 and 'name="items.0.quantity"' in form.text
    line_id = re.search(r'name="items.0.line_id" value="([^"]+)"', form.text)
    assert line_id is not None and 'value="10"' in form.text  # all that is open, filled in
    part = {"items.0.line_id": line_id.group(1), "items.0.quantity": "4", "lines": "1"}
    assert clerk.post(f"/purchase-orders/{ident}/receive", part).status_code == 303
    assert order_status(database, tenant, ident) == "partially_received"
    assert on_hand(database, tenant, place.item_id, place.location_id) == Decimal(4)
    again = clerk.get(f"/purchase-orders/{ident}/receive")
    assert 'value="6"' in again.text
    rest = part | {"items.0.quantity": "6"}
    assert clerk.post(f"/purchase-orders/{ident}/receive", rest).status_code == 303
    assert order_status(database, tenant, ident) == "received"
    assert on_hand(database, tenant, place.item_id, place.location_id) == Decimal(10)
    done = clerk.get(f"/purchase-orders/{ident}").text
    assert f"received 4 of {place.code}" in done and f"received 6 of {place.code}" in done
    assert "status-received" in done and "/receive" not in done.split("</header>")[1]


def test_receiving_too_much_or_nothing_is_refused_beside_the_line_and_receives_nothing(
    signed_in: Callable[[Role], Web], place: Place, database: Database, tenant: Tenant
) -> None:
    ident = make_order(database, tenant, place, "10", sent=True)
    clerk = signed_in(Role.clerk)
    form = clerk.get(f"/purchase-orders/{ident}/receive")
    line_id = re.search(r'name="items.0.line_id" value="([^"]+)"', form.text)
    assert line_id is not None
    sent = {"items.0.line_id": line_id.group(1), "lines": "1"}
    over = clerk.post(f"/purchase-orders/{ident}/receive", sent | {"items.0.quantity": "11"})
    assert over.status_code == 422
    assert 'aria-describedby="e-items.0.quantity"' in over.text and "at most" in over.text
    assert 'value="11"' in over.text  # kept as typed
    bad = clerk.post(f"/purchase-orders/{ident}/receive", sent | {"items.0.quantity": "lots"})
    assert bad.status_code == 422 and 'aria-describedby="e-items.0.quantity"' in bad.text
    nothing = clerk.post(f"/purchase-orders/{ident}/receive", sent | {"items.0.quantity": ""})
    assert nothing.status_code == 409 and 'class="errors"' in nothing.text
    assert order_status(database, tenant, ident) == "ordered"
    assert on_hand(database, tenant, place.item_id) == 0


def test_a_refused_order_shows_its_errors_beside_the_fields_and_creates_nothing(
    signed_in: Callable[[Role], Web], place: Place, database: Database, tenant: Tenant
) -> None:
    supplier_id = make_supplier(database, tenant)
    admin = signed_in(Role.admin)
    admin.get("/purchase-orders/new")
    sent = _new(supplier_id, place, (place.code, "none"), ("NO-SUCH-CODE", "2"))
    refused = admin.post("/purchase-orders/new", sent)
    assert refused.status_code == 422
    assert 'aria-describedby="e-items.0.quantity"' in refused.text
    assert 'aria-describedby="e-items.1.code"' in refused.text
    no_supplier = admin.post("/purchase-orders/new", _new("", place, (place.code, "2")))
    assert no_supplier.status_code == 422 and 'aria-describedby="e-supplier_id"' in no_supplier.text
    assert _orders(database, tenant) == []


def test_a_viewer_and_a_clerk_see_no_admins_action_and_their_forged_posts_change_nothing(
    signed_in: Callable[[Role], Web], place: Place, database: Database, tenant: Tenant
) -> None:
    ident = make_order(database, tenant, place, "5", sent=True)
    supplier_id = make_supplier(database, tenant)
    viewer = signed_in(Role.viewer)
    assert "/purchase-orders/new" not in viewer.get("/purchase-orders").text
    page = viewer.get(f"/purchase-orders/{ident}")
    assert page.status_code == 200 and 'method="post"' not in page.text.split("</header>")[1]
    assert "/receive" not in page.text
    assert viewer.get(f"/purchase-orders/{ident}/receive").status_code == 403
    clerk = signed_in(Role.clerk)
    assert clerk.get("/purchase-orders/new").status_code == 403
    receipt = {"items.0.quantity": "5", "lines": "1"}
    forged = [
        viewer.post(f"/purchase-orders/{ident}/receive", receipt),
        viewer.post(f"/purchase-orders/{ident}/cancelled"),
        clerk.post("/purchase-orders/new", _new(supplier_id, place, (place.code, "1"))),
        clerk.post(f"/purchase-orders/{ident}/cancelled"),
        clerk.post(f"/purchase-orders/{ident}/received"),
        clerk.post(f"/purchase-orders/{ident}/edit", _new(supplier_id, place, (place.code, "1"))),
        clerk.post(f"/purchase-orders/{ident}/delete"),
    ]
    assert [answer.status_code for answer in forged] == [403] * 7
    assert _orders(database, tenant) == ["ordered"]
    assert on_hand(database, tenant, place.item_id) == 0


def test_an_admin_cancels_an_order_sending_it_then_is_refused_and_it_is_deleted(
    signed_in: Callable[[Role], Web], place: Place, database: Database, tenant: Tenant
) -> None:
    ident = make_order(database, tenant, place, "5", sent=False)
    admin = signed_in(Role.admin)
    assert admin.post(f"/purchase-orders/{ident}/cancelled").status_code == 303
    assert order_status(database, tenant, ident) == "cancelled"
    sent = admin.post(f"/purchase-orders/{ident}/ordered")
    assert sent.status_code == 409 and 'class="errors"' in sent.text
    assert order_status(database, tenant, ident) == "cancelled"
    assert admin.post(f"/purchase-orders/{ident}/nonsense").status_code == 404
    # deleting is asked on a page of its own first: the order's page only links to it
    page = admin.get(f"/purchase-orders/{ident}").text
    assert f'href="/purchase-orders/{ident}/delete"' in page
    assert f'action="/purchase-orders/{ident}/delete"' not in page
    asked = admin.get(f"/purchase-orders/{ident}/delete")
    assert asked.status_code == 200 and f'action="/purchase-orders/{ident}/delete"' in asked.text
    assert _orders(database, tenant) == ["cancelled"]
    deleted = admin.post(f"/purchase-orders/{ident}/delete")
    assert deleted.status_code == 303 and deleted.headers["location"] == "/purchase-orders"
    assert _orders(database, tenant) == []


def test_the_list_filters_by_status_refuses_a_bad_date_beside_it_and_pages(
    signed_in: Callable[[Role], Web],
    place: Place,
    database: Database,
    tenant: Tenant,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    make_order(database, tenant, place, "1", sent=True)
    make_order(database, tenant, place, "1", sent=False)
    clerk = signed_in(Role.clerk)
    listed = clerk.get("/purchase-orders", params={"status": "ordered"}).text
    assert listed.count("status-ordered") == 1 and "status-created" not in listed
    bad = clerk.get("/purchase-orders", params={"date_from": "soon"})
    assert bad.status_code == 422 and 'aria-describedby="e-date_from"' in bad.text
    monkeypatch.setattr(pages, "PAGE_SIZE", 1)
    first = clerk.get("/purchase-orders").text
    link = re.search(r'href="(/purchase-orders\?cursor=[^"]+)" rel="next"', first)
    assert link is not None and first.count("status-") == 1
    second = clerk.get(link.group(1)).text
    assert second.count("status-") == 1 and 'rel="next"' not in second
    assert ("status-ordered" in first) != ("status-ordered" in second)


def test_a_batch_tracked_line_is_received_with_its_batch_and_refused_without_one(
    signed_in: Callable[[Role], Web], place: Place, database: Database, tenant: Tenant
) -> None:
    with database.unit_of_work() as session:
        code = f"{place.code}-B"
        batched = new_item(session, tenant.actor, item_code=code, inventory={"tracking": "batch"})
    ident = make_order(database, tenant, Place(place.location_id, batched, code), "5", sent=True)
    clerk = signed_in(Role.clerk)
    form = clerk.get(f"/purchase-orders/{ident}/receive")
    assert 'name="items.0.batch"' in form.text and 'name="items.0.expiry"' in form.text
    assert 'name="items.0.serials"' not in form.text
    line_id = re.search(r'name="items.0.line_id" value="([^"]+)"', form.text)
    assert line_id is not None
    sent = {"items.0.line_id": line_id.group(1), "items.0.quantity": "5", "lines": "1"}
    refused = clerk.post(f"/purchase-orders/{ident}/receive", sent)
    assert refused.status_code == 422 and 'aria-describedby="e-items.0.batch"' in refused.text
    assert order_status(database, tenant, ident) == "ordered"
    batch = {"items.0.batch": "LOT-7", "items.0.expiry": "2030-01-31"}
    assert clerk.post(f"/purchase-orders/{ident}/receive", sent | batch).status_code == 303
    assert order_status(database, tenant, ident) == "received"
    assert on_hand(database, tenant, batched, place.location_id) == Decimal(5)


def test_an_admin_changes_an_orders_details_and_a_bad_date_is_refused_beside_it(
    signed_in: Callable[[Role], Web], place: Place, database: Database, tenant: Tenant
) -> None:
    ident = make_order(database, tenant, place, "5", sent=True)
    admin = signed_in(Role.admin)
    assert f'href="/purchase-orders/{ident}/details"' in admin.get(f"/purchase-orders/{ident}").text
    form = admin.get(f"/purchase-orders/{ident}/details")
    assert form.status_code == 200 and 'name="expected_date"' in form.text
    sent = {"order_date": "", "expected_date": "2030-02-01", "notes": "Call first"}
    assert admin.post(f"/purchase-orders/{ident}/details", sent).status_code == 303
    page = admin.get(f"/purchase-orders/{ident}").text
    assert "2030-02-01" in page and "Call first" in page and "status-ordered" in page
    bad = admin.post(f"/purchase-orders/{ident}/details", sent | {"expected_date": "soon"})
    assert bad.status_code == 422 and 'aria-describedby="e-expected_date"' in bad.text
    clerk = signed_in(Role.clerk)
    assert f"/purchase-orders/{ident}/details" not in clerk.get(f"/purchase-orders/{ident}").text
    forged = clerk.post(f"/purchase-orders/{ident}/details", sent | {"notes": "Forged"})
    assert forged.status_code == 403
    assert "Forged" not in admin.get(f"/purchase-orders/{ident}").text


def test_a_line_is_received_into_a_bin_named_by_its_code(
    signed_in: Callable[[Role], Web], place: Place, database: Database, tenant: Tenant
) -> None:
    with database.unit_of_work() as session:
        create_bin(session, tenant.actor, location_id=place.location_id, bin=NewBin(code="A-01"))
    ident = make_order(database, tenant, place, "3", sent=True)
    clerk = signed_in(Role.clerk)
    form = clerk.get(f"/purchase-orders/{ident}/receive")
    assert 'name="items.0.bin"' in form.text and "Bin code" in form.text
    line_id = re.search(r'name="items.0.line_id" value="([^"]+)"', form.text)
    assert line_id is not None
    sent = {"items.0.line_id": line_id.group(1), "items.0.quantity": "3", "lines": "1"}
    unknown = clerk.post(f"/purchase-orders/{ident}/receive", sent | {"items.0.bin": "Z-99"})
    assert unknown.status_code == 422 and 'aria-describedby="e-items.0.bin"' in unknown.text
    assert "no bin &#39;Z-99&#39;" in unknown.text and 'value="Z-99"' in unknown.text
    assert on_hand(database, tenant, place.item_id) == 0
    answer = clerk.post(f"/purchase-orders/{ident}/receive", sent | {"items.0.bin": "A-01"})
    assert answer.status_code == 303
    with database.unit_of_work(write=False) as session:
        binned = session.scalars(
            select(Bin.code)
            .join(StockLevel, StockLevel.bin_id == Bin.id)
            .where(StockLevel.item_id == place.item_id, StockLevel.on_hand == 3)
        ).all()
    assert binned == ["A-01"]
