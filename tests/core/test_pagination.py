"""Cursors without a database: what they carry, how a list's request is resolved against
them, and that whatever comes back as a cursor is either one of ours or ``invalid_cursor``."""

from __future__ import annotations

import base64
import datetime as dt
import json
from decimal import Decimal
from typing import Any, Literal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import BaseModel

from stockkeeper.adjustments.values import AdjustmentFilters
from stockkeeper.alerts.values import AlertFilters
from stockkeeper.catalog.values import SupplierFilters
from stockkeeper.core.api_model import Day, Instant, QueryAmount
from stockkeeper.core.audit_trail import AuditFilters
from stockkeeper.core.errors import InvalidCursor
from stockkeeper.core.pagination import (
    Listing,
    amount,
    day,
    decode_cursor,
    encode_cursor,
    instant,
    one_of,
    resume,
    text,
)
from stockkeeper.core.values import Values
from stockkeeper.purchasing.values import OrderFilters
from stockkeeper.sales.values import SalesFilters
from stockkeeper.stock.schemas import ItemListQuery
from stockkeeper.stock.values import (
    ItemListing,
    LevelFilters,
    MovementFilters,
    ReservationFilters,
    StockListFilters,
)
from stockkeeper.transfers.values import TransferFilters
from stockkeeper.webhooks.values import DeliveryFilters


class Probe(Values):
    search: str | None = None
    since: Day | None = None
    at: Instant | None = None
    least: QueryAmount | None = None
    active: bool | None = None
    sort: Literal["name", "price"] = "name"
    wide: bool = False  # only how rows are shown
    limit: int = 50
    cursor: str | None = None


def _raw(payload: Any) -> str:
    return base64.urlsafe_b64encode(json.dumps(payload).encode()).rstrip(b"=").decode()


def _issued(filters: Probe, *position: Any) -> str:
    return resume("probe", filters, None, shown=["wide"]).next_cursor(*position)


def _resumed(filters: Probe, cursor: str) -> Listing[Probe]:
    return resume("probe", filters, cursor, shown=["wide"])


def _refused(filters: Probe, cursor: str) -> InvalidCursor:
    with pytest.raises(InvalidCursor) as refused:
        _resumed(filters, cursor).after(text, text)
    assert refused.value.code == "invalid_cursor"
    return refused.value


FILTERED = Probe.model_validate(
    {
        "search": "bolt",
        "since": "2026-01-31",
        "at": "2026-02-01T08:00:00+08:00",
        "least": "12.5",
        "active": "true",
        "sort": "price",
    }
)


def test_a_cursor_alone_continues_its_list_with_its_filters_and_sort() -> None:
    cursor = _issued(FILTERED, "12.5", "item_9")
    alone = _resumed(Probe(limit=7, cursor=cursor), cursor)
    assert alone.filters.model_dump(exclude={"limit", "cursor"}) == FILTERED.model_dump(
        exclude={"limit", "cursor"}
    )
    assert alone.filters.limit == 7  # limit is the request's own
    assert alone.after(amount, text) == (Decimal("12.5"), "item_9")
    # the next cursor carries the same filters again
    assert _resumed(Probe(), alone.next_cursor(Decimal(13), "item_10")).filters.search == "bolt"


def test_without_a_cursor_the_filters_sent_are_the_list() -> None:
    listing = resume("probe", FILTERED, None)
    assert listing.filters is FILTERED
    assert listing.after(text) is None


def test_a_cursor_with_the_same_filters_again_is_fine() -> None:
    cursor = _issued(FILTERED, "x", "item_1")
    again = Probe.model_validate({**FILTERED.model_dump(exclude_defaults=True), "cursor": cursor})
    assert _resumed(again, cursor).filters.search == "bolt"
    # a value written another way is still the same value
    same = FILTERED.model_copy(update={"least": Decimal("12.50"), "cursor": cursor})
    assert _resumed(same, cursor).after(text, text) == ("x", "item_1")


@pytest.mark.parametrize(
    "changed",
    [
        {"search": "nut"},
        {"sort": "name"},  # the default, sent: a list in another order
        {"since": "2026-02-01"},
        {"at": "2026-02-01T08:00:01+08:00"},
        {"least": "12.6"},
        {"active": "false"},
        {"search": None},  # sending fewer filters asks for another list too
    ],
)
def test_a_cursor_with_other_filters_or_order_is_refused(changed: dict[str, Any]) -> None:
    cursor = _issued(FILTERED, "x", "item_1")
    sent = Probe.model_validate({**FILTERED.model_dump(), **changed})
    refused = _refused(sent, cursor)
    assert [error.field for error in refused.errors] == list(changed)


def test_what_only_changes_how_rows_are_shown_is_per_request() -> None:
    cursor = _issued(FILTERED.model_copy(update={"wide": True}), "x", "item_1")
    alone = _resumed(Probe(), cursor)
    assert alone.filters.wide is False and alone.filters.search == "bolt"
    assert "wide" not in decode_cursor(cursor)["f"]
    shown = FILTERED.model_copy(update={"wide": True})
    assert _resumed(shown, cursor).filters.wide is True


def test_a_cursor_of_another_list_is_refused() -> None:
    cursor = resume("other", Probe(), None).next_cursor("x", "item_1")
    refused = _refused(Probe(), cursor)
    assert "another list" in refused.detail


@pytest.mark.parametrize(
    "payload",
    [
        {"k": "probe", "v": None, "id": "adj_1"},  # the old shape
        {"k": "probe", "f": {}},
        {"k": "probe", "f": {}, "p": ["x", "y"], "more": 1},
        {"k": 1, "f": {}, "p": ["x", "y"]},
        {"k": "probe", "f": [], "p": ["x", "y"]},
        {"k": "probe", "f": {}, "p": "x"},
        {"k": "probe", "f": {}, "p": [["x"], "y"]},
        {"k": "probe", "f": {}, "p": [{"x": 1}, "y"]},
        {"k": "probe", "f": {}, "p": ["x\u0000", "y"]},
        {"k": "probe", "f": {"search": {"x": 1}}, "p": ["x", "y"]},
        {"k": "probe", "f": {"search": "a\u0000"}, "p": ["x", "y"]},
        {"k": "probe", "f": {"colour": "red"}, "p": ["x", "y"]},
        {"k": "probe", "f": {"limit": 5}, "p": ["x", "y"]},  # limit is never a cursor's
        {"k": "probe", "f": {"wide": True}, "p": ["x", "y"]},
        {"k": "probe", "f": {"since": "yesterday"}, "p": ["x", "y"]},
        {"k": "probe", "f": {"since": 20260101}, "p": ["x", "y"]},
        {"k": "probe", "f": {"at": "2026-02-01T08:00:00"}, "p": ["x", "y"]},  # no offset
        {"k": "probe", "f": {"least": "-1"}, "p": ["x", "y"]},
        {"k": "probe", "f": {"sort": "colour"}, "p": ["x", "y"]},
        [1, 2, 3],
        "probe",
        None,
    ],
)
def test_a_cursor_of_the_wrong_shape_is_refused(payload: Any) -> None:
    _refused(Probe(), _raw(payload))


@pytest.mark.parametrize(
    "cursor",
    [
        "not a cursor",
        "%%%",
        "é",
        base64.urlsafe_b64encode(b"\xff\xfe").decode(),
        base64.urlsafe_b64encode(b"{'k': 1}").decode(),
        base64.urlsafe_b64encode(b'{"k": NaN}').decode(),
        base64.urlsafe_b64encode(b"[" * 100_000 + b"]" * 100_000).decode(),
        base64.urlsafe_b64encode(b"1" * 10_000).decode(),  # past int's digit limit
    ],
)
def test_text_that_is_no_cursor_is_refused(cursor: str) -> None:
    _refused(Probe(), cursor)


@pytest.mark.parametrize(
    "position",
    [
        [None, "item_1"],
        [1, "item_1"],
        [True, "item_1"],
        ["x", 1],
        ["x"],
        ["x", "item_1", "more"],
        [],
        ["x" * 1001, "item_1"],
    ],
)
def test_a_position_of_the_wrong_shape_is_refused(position: list[Any]) -> None:
    _refused(Probe(), _raw({"k": "probe", "f": {}, "p": position}))


@pytest.mark.parametrize(
    ("parse", "good", "read"),
    [
        (text, "", ""),
        (day, "2026-02-28", dt.date(2026, 2, 28)),
        (instant, "2026-02-28T08:00:00+08:00", dt.datetime(2026, 2, 28, tzinfo=dt.UTC)),
        (amount, "-12.000001", Decimal("-12.000001")),
        (amount, "9223372036854.775807", Decimal("9223372036854.775807")),
        (one_of("in", "out"), "out", "out"),
    ],
)
def test_each_field_of_a_position_is_read_back(parse: Any, good: str, read: Any) -> None:
    cursor = _issued(Probe(), good, "item_1")
    assert _resumed(Probe(), cursor).after(parse, text) == (read, "item_1")


@pytest.mark.parametrize(
    ("parse", "bad"),
    [
        (day, "2026-02-30"),
        (day, "yesterday"),
        (instant, "2026-02-28T08:00:00"),  # an instant needs its offset
        (instant, "9999-12-31T23:59:59-23:59"),  # past year 9999 in UTC
        (instant, "soon"),
        (amount, "1.0000001"),
        (amount, "9223372036854.775808"),  # past what SQLite's scaled integers hold
        (amount, "NaN"),
        (amount, "Infinity"),
        (amount, "1e999999999"),
        (amount, "twelve"),
        (one_of("in", "out"), "sideways"),
    ],
)
def test_a_field_of_a_position_of_the_wrong_type_is_refused(parse: Any, bad: str) -> None:
    cursor = _issued(Probe(), bad, "item_1")
    with pytest.raises(InvalidCursor):
        _resumed(Probe(), cursor).after(parse, text)


def test_dates_times_and_amounts_are_written_as_they_are_read() -> None:
    moment = dt.datetime(2026, 3, 1, 12, 30, 15, 123456, tzinfo=dt.UTC)
    cursor = _issued(Probe(), dt.date(2026, 3, 1), moment, Decimal("0.000001"), "item_1")
    assert decode_cursor(cursor)["p"] == [
        "2026-03-01",
        "2026-03-01T12:30:15.123456+00:00",
        "0.000001",
        "item_1",
    ]
    assert _resumed(Probe(), cursor).after(day, instant, amount, text) == (
        dt.date(2026, 3, 1),
        moment,
        Decimal("0.000001"),
        "item_1",
    )


# Every list's filters, with values of each kind they take: a cursor carries them and brings
# them back equal (the list's own types read what the cursor wrote).
LIST_FILTERS: list[tuple[type[BaseModel], dict[str, Any]]] = [
    (
        ItemListing,
        {"search": "bo", "cost_price_min": "1.5", "low_stock": "true", "sort": "stock"},
    ),
    (ItemListQuery, {"sellingPriceMax": "99.99", "order": "desc", "type": "inventory"}),
    (StockListFilters, {"location_id": "loc_1", "value_min": "135", "negative": "false"}),
    (MovementFilters, {"date_from": "2026-01-01", "date_to": "2026-12-31", "type": "sale"}),
    (LevelFilters, {"expires_before": "2026-06-30", "include_empty": "true"}),
    (ReservationFilters, {"status": "active", "reference": "SO-1"}),
    (AdjustmentFilters, {"date_from": "2026-01-01", "status": "posted"}),
    (TransferFilters, {"date_to": "2026-01-31", "from_location_id": "loc_1"}),
    (OrderFilters, {"date_from": "2026-01-01", "supplier_id": "supp_1"}),
    (SalesFilters, {"date_from": "2026-01-01", "issue_id": "iss_1"}),
    (AlertFilters, {"status": "open", "item_id": "item_1"}),
    (DeliveryFilters, {"status": "failed"}),
    (AuditFilters, {"occurred_from": "2026-01-01T00:00:00Z", "action": "item.created"}),
    (SupplierFilters, {"active": "false"}),
]


@pytest.mark.parametrize(("model", "sent"), LIST_FILTERS, ids=lambda v: getattr(v, "__name__", ""))
def test_every_lists_filters_come_back_from_its_cursor(
    model: type[Values], sent: dict[str, Any]
) -> None:
    filters = model.model_validate(sent)
    cursor = resume("list", filters, None).next_cursor("x", "y")
    back = resume("list", model(), cursor).filters
    assert back == filters
    assert resume("list", filters, cursor).filters == filters  # sent again: the same


@settings(max_examples=300, deadline=None)
@given(st.text() | st.binary().map(lambda b: base64.urlsafe_b64encode(b).decode()))
def test_any_text_is_a_cursor_or_invalid_cursor(cursor: str) -> None:
    try:
        after = _resumed(Probe(), cursor).after(amount, text)
    except InvalidCursor:
        return
    assert after is None or isinstance(after[0], Decimal)


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=12,
)
_FIELDS = st.sampled_from([*Probe.model_fields, "k", "colour"])


@settings(max_examples=300, deadline=None)
@given(
    kind=st.sampled_from(["probe", "other"]) | st.text(max_size=5),
    filters=st.dictionaries(_FIELDS, _JSON, max_size=4),
    position=st.lists(_JSON, max_size=3),
    parse=st.sampled_from([text, day, instant, amount]),
)
def test_any_payload_is_a_cursor_or_invalid_cursor(
    kind: Any, filters: dict[str, Any], position: list[Any], parse: Any
) -> None:
    cursor = encode_cursor({"k": kind, "f": filters, "p": position})
    try:
        listing = _resumed(Probe(), cursor)
        listing.after(parse, text)
    except InvalidCursor:
        return
    assert listing.kind == "probe"
