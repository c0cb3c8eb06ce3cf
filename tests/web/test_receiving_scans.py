"""Receiving a purchase order by scanner over HTTP, on both engines: each scan's outcome (a
unit taken with its running and open quantities, an unknown code, an item not on the order,
a batch asked for with its expiry, serial numbers one a scan, a serial scanned twice or
received already, an unknown bin), the scans carried in the form and received as one
receipt, a refused receipt that keeps them, and a viewer's forged posts refused."""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal

import httpx
import pytest

from stockkeeper.core.db import Database
from stockkeeper.core.errors import Invalid
from stockkeeper.purchasing import service
from stockkeeper.purchasing.service.scanning import MAX_SCANS
from stockkeeper.purchasing.values import ReceiptScan, ScannedUnit
from stockkeeper.stock.service.queries import item_stock
from stockkeeper.tenancy.service import Role
from tests.support import Tenant
from tests.web.conftest import Web
from tests.web.orders import Delivery, make_delivery, make_order
from tests.web.places import make_place, on_hand

_KEPT = re.compile(r'name="(scans\.\d+\.\w+)" value="([^"]*)"')


@pytest.fixture
def delivery(database: Database, tenant: Tenant) -> Delivery:
    return make_delivery(database, tenant)


class Scanner:
    """A clerk scanning at an order, carrying the scans the answers hold, as the form does."""

    def __init__(self, web: Web, order_id: str) -> None:
        self.web, self.path = web, f"/purchase-orders/{order_id}/scan"
        self.kept: dict[str, str] = {}
        page = web.get(self.path)
        assert page.status_code == 200, page.text

    def scan(self, code: str, **more: str) -> httpx.Response:
        answer = self.web.post(f"{self.path}?fragment=1", self.kept | {"code": code} | more)
        assert "<h1>" not in answer.text  # the scan box alone
        self.kept = dict(_KEPT.findall(answer.text))
        return answer

    def undo(self) -> httpx.Response:
        answer = self.web.post(f"{self.path}?fragment=1", self.kept | {"do": "undo"})
        self.kept = dict(_KEPT.findall(answer.text))
        return answer

    def receive(self) -> httpx.Response:
        return self.web.post(self.path, self.kept | {"do": "receive"})


def _scanned(answer: httpx.Response) -> str:
    found = re.search(r'class="scan-quantity">([^<]+)<', answer.text)
    assert found is not None, answer.text
    return found.group(1)


def test_each_scan_adds_one_and_the_scans_are_received_as_one_receipt(
    signed_in: Callable[[Role], Web], delivery: Delivery, database: Database, tenant: Tenant
) -> None:
    clerk = signed_in(Role.clerk)
    order = clerk.get(f"/purchase-orders/{delivery.order_id}").text
    assert f'href="/purchase-orders/{delivery.order_id}/scan"' in order
    scanner = Scanner(clerk, delivery.order_id)
    code = delivery.place.code
    assert _scanned(scanner.scan(code)) == "1"
    second = scanner.scan(code)
    assert second.status_code == 200 and _scanned(second) == "2"
    assert 'data-label="Scanned">2</td>' in second.text
    assert 'data-label="Still open">8</td>' in second.text
    assert "Receive 2 scans" in second.text
    assert on_hand(database, tenant, delivery.place.item_id) == Decimal(0)  # nothing yet
    done = scanner.receive()
    assert done.status_code == 303 and done.headers["location"].endswith(delivery.order_id)
    assert on_hand(database, tenant, delivery.place.item_id) == Decimal(2)
    assert "partially received" in clerk.get(done.headers["location"]).text


def test_each_scan_problem_is_shown_inline_and_keeps_the_scans_so_far(
    signed_in: Callable[[Role], Web], delivery: Delivery, database: Database, tenant: Tenant
) -> None:
    stranger = make_place(database, tenant)
    scanner = Scanner(signed_in(Role.clerk), delivery.order_id)
    scanner.scan(delivery.place.code)
    unknown = scanner.scan("NO-SUCH-CODE")
    assert unknown.status_code == 422 and "is no item&#39;s code" in unknown.text
    assert 'value="NO-SUCH-CODE"' in unknown.text and "Receive 1 scan" in unknown.text
    elsewhere = scanner.scan(stranger.code)
    assert elsewhere.status_code == 422 and "is not on this order" in elsewhere.text
    needs_batch = scanner.scan(delivery.batch_code)
    assert needs_batch.status_code == 422 and "enter its batch" in needs_batch.text
    assert re.search(r'id="s-batch"[^>]*autofocus', needs_batch.text)
    batched = scanner.scan(delivery.batch_code, batch="L-1", expiry="2027-06-30")
    assert batched.status_code == 200 and "expires 2027-06-30" in batched.text
    another = scanner.scan(delivery.batch_code, batch="L-2")  # two batches on one line
    assert another.status_code == 200 and _scanned(another) == "2"
    needs_serial = scanner.scan(delivery.serial_code)
    assert needs_serial.status_code == 422 and "scan each unit" in needs_serial.text
    assert _scanned(scanner.scan(delivery.serial_code, serial="S-1")) == "1"
    twice = scanner.scan(delivery.serial_code, serial="S-1")
    assert twice.status_code == 422 and "scanned already" in twice.text
    assert _scanned(scanner.scan(delivery.serial_code, serial="S-2")) == "2"
    no_bin = scanner.scan(delivery.place.code, bin="NO-BIN")
    assert no_bin.status_code == 422 and "no bin" in no_bin.text
    assert scanner.receive().status_code == 303
    with database.unit_of_work() as session:
        ids = [delivery.place.item_id]
        assert item_stock(session, tenant.company_id, ids)[ids[0]].on_hand == Decimal(1)
    again = Scanner(signed_in(Role.clerk), delivery.order_id)
    received = again.scan(delivery.serial_code, serial="S-1")
    assert received.status_code == 422 and "received already" in received.text


def test_a_receipt_refused_is_shown_with_its_scans_kept(
    signed_in: Callable[[Role], Web], delivery: Delivery, database: Database, tenant: Tenant
) -> None:
    scanner = Scanner(signed_in(Role.clerk), delivery.order_id)
    scanner.scan(delivery.place.code, quantity="11")  # beyond the line, whose tolerance is 0
    refused = scanner.receive()
    assert refused.status_code in (409, 422) and "<h1>" in refused.text
    assert 'name="scans.0.quantity" value="11"' in refused.text
    assert on_hand(database, tenant, delivery.place.item_id) == Decimal(0)


def test_a_viewer_cannot_scan_and_forged_posts_are_refused(
    signed_in: Callable[[Role], Web], delivery: Delivery, database: Database, tenant: Tenant
) -> None:
    viewer = signed_in(Role.viewer)
    order = viewer.get(f"/purchase-orders/{delivery.order_id}").text
    assert "/scan" not in order
    path = f"/purchase-orders/{delivery.order_id}/scan"
    assert viewer.get(path).status_code == 403
    forged = viewer.post(path, {"scans.0.line_id": "x", "scans.0.quantity": "1", "do": "receive"})
    assert forged.status_code == 403
    clerk = signed_in(Role.clerk)
    clerk.get(path)
    assert clerk.post(path, {"code": delivery.place.code}, csrf=None).status_code == 403
    assert on_hand(database, tenant, delivery.place.item_id) == Decimal(0)


def test_an_order_not_sent_takes_no_scan(
    signed_in: Callable[[Role], Web], database: Database, tenant: Tenant
) -> None:
    place = make_place(database, tenant)
    ident = make_order(database, tenant, place, "4", sent=False)
    clerk = signed_in(Role.clerk)
    path = f"/purchase-orders/{ident}/scan"
    assert clerk.get(path).status_code == 303  # nothing open to receive
    refused = clerk.post(f"{path}?fragment=1", {"code": place.code})
    assert refused.status_code == 409 and "cannot be received" in refused.text


def test_a_wrong_scan_is_taken_back_before_the_receipt(
    signed_in: Callable[[Role], Web], delivery: Delivery, database: Database, tenant: Tenant
) -> None:
    scanner = Scanner(signed_in(Role.clerk), delivery.order_id)
    scanner.scan(delivery.place.code)
    scanner.scan(delivery.place.code, quantity="3")
    taken_back = scanner.undo()
    assert taken_back.status_code == 200 and "Receive 1 scan" in taken_back.text
    assert 'data-label="Scanned">1</td>' in taken_back.text
    assert scanner.receive().status_code == 303
    assert on_hand(database, tenant, delivery.place.item_id) == Decimal(1)


def test_forged_scans_and_an_empty_receipt_are_refused_without_an_error_page(
    signed_in: Callable[[Role], Web], delivery: Delivery, database: Database, tenant: Tenant
) -> None:
    """Scans come back from the form: a quantity no scan could have counts for nothing on the
    page (the receipt checks them again), and receiving nothing is said beside the field."""
    clerk = signed_in(Role.clerk)
    scanner = Scanner(clerk, delivery.order_id)
    scanner.scan(delivery.place.code)
    line_id = scanner.kept["scans.0.line_id"]
    for forged in ("sNaN", "NaN", "1e9999999", "-5"):
        kept = {"scans.0.line_id": line_id, "scans.0.quantity": forged}
        answer = clerk.post(f"{scanner.path}?fragment=1", kept | {"do": "undo"})
        assert answer.status_code == 200, answer.text
        refused = clerk.post(scanner.path, kept | {"do": "receive"})
        assert refused.status_code == 422, refused.text
    empty = clerk.post(scanner.path, {"do": "receive"})
    assert empty.status_code == 422 and "nothing is scanned yet" in empty.text
    assert on_hand(database, tenant, delivery.place.item_id) == Decimal(0)


def test_a_receipt_takes_at_most_its_scans_and_says_so(
    database: Database, tenant: Tenant, delivery: Delivery
) -> None:
    unit = ScannedUnit(line_id="pol_x", quantity=Decimal(1))
    with database.unit_of_work() as session, pytest.raises(Invalid) as refused:
        service.check_receipt_scan(
            session,
            tenant.actor,
            order_id=delivery.order_id,
            scan=ReceiptScan(code=delivery.place.code),
            scanned=[unit] * MAX_SCANS,
        )
    assert refused.value.errors[0].code == "too_many_scans"
