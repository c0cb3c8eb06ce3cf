"""The adjustment screens over HTTP, on both engines: what each role sees and may do (a
viewer's forged posts refused, an admin's approval), the form's lines by item code with the
service's refusals beside their fields, the list's filters and pages."""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal

import pytest

from stockkeeper.adjustments import service
from stockkeeper.adjustments.values import AdjustmentFilters
from stockkeeper.catalog.service.locations import create_bin
from stockkeeper.catalog.values import NewBin
from stockkeeper.core.db import Database
from stockkeeper.stock.service.queries import item_stock
from stockkeeper.tenancy.service import Role
from stockkeeper.web.documents import adjustments as pages
from stockkeeper.web.documents.lines import MAX_LINES
from tests.support import Tenant
from tests.web.conftest import Web
from tests.web.places import Place, make_place, on_hand


@pytest.fixture
def place(database: Database, tenant: Tenant) -> Place:
    return make_place(database, tenant)


def _form(place: Place, *lines: tuple[str, str], do: str = "post") -> dict[str, str]:
    sent = {"location_id": place.location_id, "reason": "found", "do": do}
    for n, (code, quantity) in enumerate(lines):
        sent |= {f"items.{n}.code": code, f"items.{n}.quantity": quantity}
    return sent


def _listed(database: Database, tenant: Tenant, **filters: str) -> list[str]:
    with database.unit_of_work() as session:
        found = service.list_adjustments(
            session,
            tenant.actor,
            filters=AdjustmentFilters.model_validate(filters),
            limit=200,
            cursor=None,
        )
    return [view.adjustment.status for view in found.rows]


def _on_hand(database: Database, tenant: Tenant, place: Place) -> Decimal:
    return on_hand(database, tenant, place.item_id)


def _opened(answer_location: str) -> str:
    found = re.fullmatch(r"/adjustments/(adj_\w+)", answer_location)
    assert found is not None, answer_location
    return found.group(1)


def test_a_clerk_posts_an_adjustment_by_item_code_and_sees_the_stock_change(
    signed_in: Callable[[Role], Web], place: Place, database: Database, tenant: Tenant
) -> None:
    clerk = signed_in(Role.clerk)
    assert 'href="/adjustments/new"' in clerk.get("/adjustments").text
    assert clerk.get("/adjustments/new").status_code == 200
    posted = clerk.post("/adjustments/new", _form(place, (place.code, "12")))
    assert posted.status_code == 303, posted.text
    page = clerk.get(posted.headers["location"])
    assert page.status_code == 200
    assert "posted" in page.text and place.code in page.text
    assert 'data-label="On hand before">0</td>' in page.text
    assert 'data-label="On hand after">12</td>' in page.text
    assert _on_hand(database, tenant, place) == Decimal(12)
    listed = clerk.get("/adjustments").text
    assert f'href="{posted.headers["location"]}"' in listed


def test_unknown_codes_and_bad_quantities_are_shown_beside_their_lines_and_create_nothing(
    signed_in: Callable[[Role], Web], place: Place, database: Database, tenant: Tenant
) -> None:
    clerk = signed_in(Role.clerk)
    clerk.get("/adjustments/new")
    sent = _form(place, (place.code, "many"), ("NO-SUCH-CODE", "3"))
    refused = clerk.post("/adjustments/new", sent)
    assert refused.status_code == 422
    assert 'aria-describedby="e-items.1.code"' in refused.text
    assert "no item with the code &#39;NO-SUCH-CODE&#39;" in refused.text
    assert 'aria-describedby="e-items.0.quantity"' in refused.text
    assert 'value="many"' in refused.text  # kept as typed
    unexplained = clerk.post("/adjustments/new", _form(place, (place.code, "1")) | {"reason": ""})
    assert unexplained.status_code == 422 and 'aria-describedby="e-reason"' in unexplained.text
    empty = clerk.post("/adjustments/new", _form(place))
    assert empty.status_code == 422 and "Lines: Value should have at least 1 item" in empty.text
    short = clerk.post("/adjustments/new", _form(place, (place.code, "-5")))
    assert short.status_code == 409 and "not enough stock" in short.text
    assert _listed(database, tenant) == []


def test_add_line_shows_one_more_line_and_keeps_what_was_typed(
    signed_in: Callable[[Role], Web], place: Place, database: Database, tenant: Tenant
) -> None:
    clerk = signed_in(Role.clerk)
    clerk.get("/adjustments/new")
    answer = clerk.post("/adjustments/new", _form(place, (place.code, "4"), do="add_line"))
    assert answer.status_code == 200
    assert 'value="4"' in answer.text and 'name="items.1.code"' in answer.text
    assert 'name="items.2.code"' not in answer.text
    assert _listed(database, tenant) == []


def test_a_form_of_more_lines_than_it_takes_is_refused_not_cut_short(
    signed_in: Callable[[Role], Web], place: Place, database: Database, tenant: Tenant
) -> None:
    clerk = signed_in(Role.clerk)
    clerk.get("/adjustments/new")
    many = [(place.code, "1")] * (MAX_LINES + 1)
    answer = clerk.post("/adjustments/new", _form(place, *many))
    assert answer.status_code == 422 and f"at most {MAX_LINES} lines" in answer.text
    assert _listed(database, tenant) == []
    full = clerk.post("/adjustments/new", _form(place, *many[1:], do="add_line"))
    assert f'name="items.{MAX_LINES - 1}.code"' in full.text
    assert f'name="items.{MAX_LINES}.code"' not in full.text  # no line past the last


def test_a_viewer_sees_no_write_action_and_their_forged_posts_change_nothing(
    signed_in: Callable[[Role], Web], place: Place, database: Database, tenant: Tenant
) -> None:
    clerk = signed_in(Role.clerk)
    draft = clerk.post("/adjustments/new", _form(place, (place.code, "2"), do="draft"))
    ident = _opened(draft.headers["location"])
    viewer = signed_in(Role.viewer)
    assert "/adjustments/new" not in viewer.get("/adjustments").text
    page = viewer.get(f"/adjustments/{ident}")
    assert page.status_code == 200 and 'method="post"' not in page.text.split("</header>")[1]
    assert viewer.get("/adjustments/new").status_code == 403
    forged = [
        viewer.post("/adjustments/new", _form(place, (place.code, "9"))),
        viewer.post(f"/adjustments/{ident}/post"),
        viewer.post(f"/adjustments/{ident}/edit", _form(place, (place.code, "9"), do="save")),
        viewer.post(f"/adjustments/{ident}/delete"),
    ]
    assert [answer.status_code for answer in forged] == [403] * 4
    assert _listed(database, tenant) == ["draft"]
    assert _on_hand(database, tenant, place) == 0


def test_a_draft_is_edited_submitted_and_approved_by_an_admin_alone_then_posted(
    signed_in: Callable[[Role], Web], place: Place, database: Database, tenant: Tenant
) -> None:
    clerk = signed_in(Role.clerk)
    ident = _opened(
        clerk.post("/adjustments/new", _form(place, (place.code, "2"), do="draft")).headers[
            "location"
        ]
    )
    edit = clerk.get(f"/adjustments/{ident}/edit")
    assert edit.status_code == 200 and 'value="2"' in edit.text
    saved = clerk.post(f"/adjustments/{ident}/edit", _form(place, (place.code, "7"), do="save"))
    assert saved.status_code == 303
    assert clerk.post(f"/adjustments/{ident}/submit").status_code == 303
    waiting = clerk.get(f"/adjustments/{ident}").text
    assert "pending approval" in waiting and f"/adjustments/{ident}/approve" not in waiting
    assert clerk.post(f"/adjustments/{ident}/approve").status_code == 403
    assert _listed(database, tenant) == ["pending_approval"]
    admin = signed_in(Role.admin)
    assert f'action="/adjustments/{ident}/approve"' in admin.get(f"/adjustments/{ident}").text
    assert admin.post(f"/adjustments/{ident}/approve").status_code == 303
    assert clerk.post(f"/adjustments/{ident}/post").status_code == 303
    assert _listed(database, tenant) == ["posted"]
    assert _on_hand(database, tenant, place) == Decimal(7)
    again = clerk.post(f"/adjustments/{ident}/post")
    assert again.status_code == 409 and "posted" in again.text


def test_the_list_filters_by_status_refuses_a_bad_date_beside_it_and_pages(
    signed_in: Callable[[Role], Web],
    place: Place,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    clerk = signed_in(Role.clerk)
    for do in ("post", "draft", "post"):
        assert clerk.post("/adjustments/new", _form(place, (place.code, "1"), do=do)).is_redirect
    drafts = clerk.get("/adjustments", params={"status": "draft"}).text
    assert drafts.count('<span class="status status-draft">') == 1
    assert "status-posted" not in drafts
    bad = clerk.get("/adjustments", params={"date_from": "yesterday"})
    assert bad.status_code == 422 and 'aria-describedby="e-date_from"' in bad.text
    monkeypatch.setattr(pages, "PAGE_SIZE", 1)
    first = clerk.get("/adjustments", params={"status": "posted"}).text
    link = re.search(r'href="(/adjustments\?[^"]*cursor=[^"]+)" rel="next"', first)
    assert link is not None and "status=posted" in link.group(1)
    second = clerk.get(link.group(1).replace("&amp;", "&"))
    assert second.status_code == 200 and second.text.count("status-posted") == 1
    assert 'rel="next"' not in second.text


def test_a_line_names_its_bin_by_code_and_an_unknown_one_is_refused_beside_it(
    signed_in: Callable[[Role], Web], place: Place, database: Database, tenant: Tenant
) -> None:
    with database.unit_of_work() as session:
        create_bin(session, tenant.actor, location_id=place.location_id, bin=NewBin(code="S-1"))
    clerk = signed_in(Role.clerk)
    clerk.get("/adjustments/new")
    wrong = clerk.post(
        "/adjustments/new", _form(place, (place.code, "2")) | {"items.0.bin_id": "S-9"}
    )
    assert wrong.status_code == 422 and 'aria-describedby="e-items.0.bin_id"' in wrong.text
    assert "no bin &#39;S-9&#39;" in wrong.text
    sent = _form(place, (place.code, "2"), do="draft") | {"items.0.bin_id": "S-1"}
    ident = _opened(clerk.post("/adjustments/new", sent).headers["location"])
    assert "bin S-1" in clerk.get(f"/adjustments/{ident}").text
    assert 'value="S-1"' in clerk.get(f"/adjustments/{ident}/edit").text
    assert clerk.post(f"/adjustments/{ident}/post").status_code == 303
    with database.unit_of_work() as session:
        stock = item_stock(session, tenant.company_id, [place.item_id])[place.item_id]
    assert stock.locations[place.location_id].bins == {"S-1": Decimal(2)}
