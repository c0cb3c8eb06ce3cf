"""The count screens over HTTP, on both engines: opening a count, scanning (each outcome: a
unit counted, a quantity typed, an unknown code, a batch asked for, a serial counted twice,
an unknown bin), the scan's part alone for the page's script, the review's pages and
variances (hidden from a blind count's clerks), recounts, and the actions by role."""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest

from stockkeeper.adjustments import service as adjustments
from stockkeeper.adjustments.values import NewAdjustment
from stockkeeper.catalog.service.categories import create_category
from stockkeeper.catalog.service.locations import create_bin
from stockkeeper.catalog.values import NewBin, NewCategory
from stockkeeper.core.db import Database
from stockkeeper.tenancy.service import Role
from stockkeeper.web.documents import counts as pages
from tests.factories import new_item
from tests.support import Tenant, unique
from tests.web.conftest import Web
from tests.web.places import Place, make_place, on_hand, stock_up


@pytest.fixture
def place(database: Database, tenant: Tenant) -> Place:
    made = make_place(database, tenant)
    stock_up(database, tenant, made, "5")
    return made


def _adjust(database: Database, tenant: Tenant, location_id: str, line: dict[str, Any]) -> None:
    values = {"reason": "found", "location_id": location_id, "items": [line]}
    with database.unit_of_work() as session:
        adjustments.create_adjustment(
            session, tenant.actor, adjustment=NewAdjustment.model_validate(values)
        )


def _item(database: Database, tenant: Tenant, tracking: str) -> str:
    code = unique(tracking.upper())
    with database.unit_of_work() as session:
        new_item(session, tenant.actor, item_code=code, inventory={"tracking": tracking})
    return code


def _open(web: Web, place: Place, **more: str) -> str:
    web.get("/counts/new")
    answer = web.post("/counts/new", {"location_id": place.location_id, "scope": "all"} | more)
    assert answer.status_code == 303, answer.text
    found = re.fullmatch(r"/counts/(\w+)", answer.headers["location"])
    assert found is not None, answer.headers["location"]
    return found.group(1)


def _scan(web: Web, ident: str, code: str, fragment: bool = False, **more: str) -> Any:
    path = f"/counts/{ident}/scan" + ("?fragment=1" if fragment else "")
    return web.post(path, {"code": code} | more)


def _counted(answer: Any) -> str:
    found = re.search(r'class="scan-quantity">([^<]+)<', answer.text)
    assert found is not None, answer.text
    return found.group(1)


def test_a_clerk_opens_a_count_and_each_scan_adds_one_with_the_running_quantity_shown(
    signed_in: Callable[[Role], Web], place: Place
) -> None:
    clerk = signed_in(Role.clerk)
    assert 'href="/counts/new"' in clerk.get("/counts").text
    ident = _open(clerk, place)
    page = clerk.get(f"/counts/{ident}")
    assert page.status_code == 200 and 'name="code"' in page.text and "autofocus" in page.text
    first = _scan(clerk, ident, place.code)  # without the script: the whole page answers
    assert first.status_code == 200 and "<h1>Count" in first.text and _counted(first) == "1"
    second = _scan(clerk, ident, place.code, fragment=True)  # the script's: the box alone
    assert second.status_code == 200 and "<h1>" not in second.text
    assert _counted(second) == "2" and place.code in second.text
    typed = _scan(clerk, ident, place.code, quantity="7", fragment=True)
    assert _counted(typed) == "7"
    review = clerk.get(f"/counts/{ident}").text
    assert 'data-label="Expected">5</td>' in review and 'data-label="Counted">7</td>' in review
    assert 'data-label="Variance">2</td>' in review
    lines = clerk.get(f"/counts/{ident}?which=all&fragment=lines")  # what scan.js asks for
    assert lines.status_code == 200 and "<h1>" not in lines.text and 'name="code"' not in lines.text
    assert 'id="count-lines"' in lines.text and 'data-label="Counted">7</td>' in lines.text
    assert f'href="/counts/{ident}"' in clerk.get("/counts").text


def test_each_scan_problem_is_shown_inline_and_counts_nothing(
    signed_in: Callable[[Role], Web], place: Place, database: Database, tenant: Tenant
) -> None:
    batch_code = _item(database, tenant, "batch")
    serial_code = _item(database, tenant, "serial")
    clerk = signed_in(Role.clerk)
    ident = _open(clerk, place)
    unknown = _scan(clerk, ident, "NO-SUCH-CODE", fragment=True)
    assert unknown.status_code == 422 and "is no item, variant or serial" in unknown.text
    assert 'value="NO-SUCH-CODE"' in unknown.text  # kept, to be seen and corrected
    needs_batch = _scan(clerk, ident, batch_code, fragment=True)
    assert needs_batch.status_code == 422 and "name the batch" in needs_batch.text
    assert re.search(r'id="s-batch"[^>]*autofocus', needs_batch.text)  # asked for in place
    undated = _scan(clerk, ident, place.code, expiry="2027-05-31", fragment=True)
    assert undated.status_code == 422 and "an expiry date goes with a batch" in undated.text
    assert re.search(r'id="s-expiry"[^>]*autofocus', undated.text)
    batched = _scan(clerk, ident, batch_code, batch="B-7", expiry="2027-05-31", fragment=True)
    assert batched.status_code == 200 and "batch B-7, expires 2027-05-31" in batched.text
    first = _scan(clerk, ident, serial_code, serial="SN-1", fragment=True)
    assert first.status_code == 200 and "serial SN-1" in first.text
    again = _scan(clerk, ident, serial_code, serial="SN-1", fragment=True)
    assert again.status_code == 422 and "counted twice" in again.text
    no_bin = _scan(clerk, ident, place.code, bin="NO-BIN", fragment=True)
    assert no_bin.status_code == 422 and "no bin" in no_bin.text
    lines = clerk.get(f"/counts/{ident}?which=all").text
    assert lines.count('data-label="Counted">1</td>') == 2  # the batch and the serial only


def test_a_scan_in_a_bin_counts_there_and_keeps_the_bin_for_the_next(
    signed_in: Callable[[Role], Web], place: Place, database: Database, tenant: Tenant
) -> None:
    with database.unit_of_work() as session:
        create_bin(
            session, tenant.actor, location_id=place.location_id, bin=NewBin(code="A-1", name="A")
        )
    clerk = signed_in(Role.clerk)
    ident = _open(clerk, place)
    answer = _scan(clerk, ident, place.code, bin="A-1", fragment=True)
    assert answer.status_code == 200 and "bin A-1" in answer.text
    assert 'id="s-bin" name="bin" type="text" value="A-1"' in answer.text
    assert 'id="s-code" name="code" type="text" value=""' in answer.text


def test_a_blind_count_hides_what_is_expected_from_clerks_but_not_from_admins(
    signed_in: Callable[[Role], Web], place: Place
) -> None:
    clerk = signed_in(Role.clerk)
    ident = _open(clerk, place, blind="on")
    _scan(clerk, ident, place.code)
    page = clerk.get(f"/counts/{ident}?which=variances").text
    assert "Expected" not in page and "Variance" not in page and "With a variance" not in page
    admin = signed_in(Role.admin).get(f"/counts/{ident}?which=variances").text
    assert 'data-label="Expected">5</td>' in admin and 'data-label="Variance">-4</td>' in admin


def test_the_review_is_paged_and_chosen_lines_are_counted_again(
    signed_in: Callable[[Role], Web],
    place: Place,
    database: Database,
    tenant: Tenant,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(pages, "REVIEW_SIZE", 1)
    other = make_place(database, tenant)
    line = {"item_id": other.item_id, "adjustment_quantity": "3"}
    _adjust(database, tenant, place.location_id, line)
    clerk = signed_in(Role.clerk)
    ident = _open(clerk, place)
    first = clerk.get(f"/counts/{ident}").text
    assert "page 1 of 2" in first and "page=2" in first and other.code not in first
    second = clerk.get(f"/counts/{ident}?page=2").text
    assert other.code in second and place.code not in second
    _scan(clerk, ident, place.code)
    uncounted = clerk.get(f"/counts/{ident}?which=uncounted").text
    assert other.code in uncounted and "1 line," in uncounted
    chosen = re.search(r'name="line\.(\w+)"', clerk.get(f"/counts/{ident}").text)
    assert chosen is not None
    again = clerk.post(f"/counts/{ident}/recount", {f"line.{chosen.group(1)}": "on"})
    assert again.status_code == 303
    assert "to count again" in clerk.get(f"/counts/{ident}").text
    assert "2 lines," in clerk.get(f"/counts/{ident}?which=uncounted").text


def test_submit_approve_and_post_change_the_stock_each_for_its_role(
    signed_in: Callable[[Role], Web], place: Place, database: Database, tenant: Tenant
) -> None:
    clerk = signed_in(Role.clerk)
    ident = _open(clerk, place)
    _scan(clerk, ident, place.code, quantity="3")
    assert clerk.post(f"/counts/{ident}/submit").status_code == 303
    page = clerk.get(f"/counts/{ident}").text
    assert "submitted" in page and 'name="code"' not in page  # no more scans
    assert f"/counts/{ident}/approve" not in page
    assert clerk.post(f"/counts/{ident}/approve").status_code == 403
    admin = signed_in(Role.admin)
    assert f"/counts/{ident}/approve" in admin.get(f"/counts/{ident}").text
    assert admin.post(f"/counts/{ident}/approve").status_code == 303
    assert admin.post(f"/counts/{ident}/post").status_code == 303
    assert "its adjustment" in admin.get(f"/counts/{ident}").text
    assert on_hand(database, tenant, place.item_id) == Decimal(3)
    late = admin.post(f"/counts/{ident}/cancel")
    assert late.status_code == 409  # shown above the count, nothing changed
    assert admin.post(f"/counts/{ident}/nothing").status_code == 404


def test_a_clerk_cancels_a_count_and_a_bad_opening_is_shown_beside_its_field(
    signed_in: Callable[[Role], Web], place: Place
) -> None:
    clerk = signed_in(Role.clerk)
    ident = _open(clerk, place)
    assert clerk.post(f"/counts/{ident}/cancel").status_code == 303
    assert "cancelled" in clerk.get("/counts?status=cancelled").text
    unknown = {"location_id": place.location_id, "scope": "items", "items": "NOPE"}
    bad = clerk.post("/counts/new", unknown)
    assert bad.status_code == 422 and "no item with the code &#39;NOPE&#39;" in bad.text
    empty = clerk.post("/counts/new", {"location_id": place.location_id, "scope": "bins"})
    assert empty.status_code == 422 and 'aria-describedby="e-bins"' in empty.text
    by_item = _open(clerk, place, scope="items", items=place.code)
    assert place.code in clerk.get(f"/counts/{by_item}").text


def test_a_viewer_sees_no_scan_field_nor_actions_and_forged_posts_are_refused(
    signed_in: Callable[[Role], Web], place: Place
) -> None:
    clerk = signed_in(Role.clerk)
    ident = _open(clerk, place)
    viewer = signed_in(Role.viewer)
    assert "/counts/new" not in viewer.get("/counts").text
    page = viewer.get(f"/counts/{ident}")
    assert page.status_code == 200 and 'method="post"' not in page.text.split("</header>")[1]
    assert viewer.get("/counts/new").status_code == 403
    forged = [
        viewer.post("/counts/new", {"location_id": place.location_id}),
        viewer.post(f"/counts/{ident}/scan", {"code": place.code}),
        viewer.post(f"/counts/{ident}/submit"),
        viewer.post(f"/counts/{ident}/recount", {"line.x": "on"}),
    ]
    assert [answer.status_code for answer in forged] == [403] * 4
    assert clerk.post(f"/counts/{ident}/scan", {"code": place.code}, csrf=None).status_code == 403
    assert 'data-label="Counted">—</td>' in clerk.get(f"/counts/{ident}").text


def test_a_count_of_some_categories_counts_their_items_alone(
    signed_in: Callable[[Role], Web], place: Place, database: Database, tenant: Tenant
) -> None:
    with database.unit_of_work() as session:
        shelf = create_category(session, tenant.actor, category=NewCategory(name=unique("Cat")))
        code = unique("CAT")
        new_item(session, tenant.actor, item_code=code, category_id=shelf.category.id)
    clerk = signed_in(Role.clerk)
    assert shelf.path in clerk.get("/counts/new").text
    ident = _open(clerk, place, scope="categories", **{f"category.{shelf.category.id}": "on"})
    assert "1 categories" in clerk.get(f"/counts/{ident}").text
    assert _scan(clerk, ident, code, fragment=True).status_code == 200
    outside = _scan(clerk, ident, place.code, fragment=True)
    assert outside.status_code == 422 and "not in the count" in outside.text
    none = clerk.post("/counts/new", {"location_id": place.location_id, "scope": "categories"})
    assert none.status_code == 422
