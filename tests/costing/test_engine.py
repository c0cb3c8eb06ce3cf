"""The costing engine against a naive reference written here: stock as a list of unit costs
per location (FIFO takes from the front, LIFO from the back) or a running total (average)."""

from __future__ import annotations

from collections import deque
from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from stockkeeper.costing.service import engine

D = Decimal
START = date(2026, 1, 1)
PLACES = ("A", "B")


def _reference(events: list[engine.Event], method: str) -> dict[str, Decimal]:
    if method == "average":
        totals = {p: [D(0), D(0)] for p in PLACES}
        for e in events:
            moved = e.value
            if e.source is not None:
                quantity, value = totals[e.source]
                moved = value * e.quantity / quantity
                totals[e.source] = [quantity - e.quantity, value - moved]
            if e.target is not None:
                totals[e.target][0] += e.quantity
                totals[e.target][1] += moved
        return {p: v for p, (_, v) in totals.items()}
    units: dict[str, deque[Decimal]] = {p: deque() for p in PLACES}
    for e in events:
        arrived: list[Decimal]
        if e.source is None:
            arrived = [e.value / e.quantity] * int(e.quantity)
        else:
            take = units[e.source].popleft if method == "fifo" else units[e.source].pop
            arrived = [take() for _ in range(int(e.quantity))]
        if e.target is not None:
            units[e.target].extend(arrived)
    return {p: sum(u, D(0)) for p, u in units.items()}


@st.composite
def histories(draw: st.DrawFn) -> tuple[list[engine.Event], date]:
    held = dict.fromkeys(PLACES, 0)
    events = []
    day = START
    for _ in range(draw(st.integers(1, 25))):
        day += timedelta(days=draw(st.integers(0, 3)))
        kind = draw(st.sampled_from(["receipt", "receipt", "issue", "transfer"]))
        place = draw(st.sampled_from(PLACES))
        if kind == "receipt":
            quantity, cost = draw(st.integers(1, 6)), draw(st.integers(1, 30))
            events.append(engine.Event(day, D(quantity), D(quantity * cost), None, place))
            held[place] += quantity
        elif held[place]:
            quantity = draw(st.integers(1, held[place]))
            other = "B" if place == "A" else "A"
            target = other if kind == "transfer" else None
            events.append(engine.Event(day, D(quantity), D(0), place, target))
            held[place] -= quantity
            if target:
                held[target] += quantity
    as_of = START + timedelta(days=draw(st.integers(0, 80)))
    return events, as_of


@settings(max_examples=150, deadline=None)
@given(histories(), st.sampled_from(["fifo", "lifo", "average"]))
def test_every_method_matches_the_naive_reference(
    history: tuple[list[engine.Event], date], method: str
) -> None:
    events, as_of = history
    upto = [e for e in events if e.day <= as_of]
    found = engine.positions(upto, method)
    expected = _reference(upto, method)
    for place in PLACES:
        position = found.get(place, engine.Position(D(0), D(0)))
        assert position.value.quantize(D("0.000001")) == expected[place].quantize(D("0.000001"))


def test_standard_cost_and_its_variance() -> None:
    events = [
        engine.Event(START, D(10), D(100), None, "A"),
        engine.Event(START, D(10), D(120), None, "A"),
        engine.Event(START, D(15), D(0), "A", None),
    ]
    assert engine.positions(events, "standard", standard_cost=D(11)) == {
        "A": engine.Position(D(5), D(55))
    }
    book = engine.Book("standard")
    for event in events:
        book.apply(event)
    assert book.purchase_price_variance(D(11)) == D(0)  # -10 + 10
    assert book.purchase_price_variance(D(10)) == D(20)


def test_a_restored_book_goes_on_as_the_original() -> None:
    events = [
        engine.Event(START, D(10), D(100), None, "A"),
        engine.Event(START, D(3), D(0), "A", None),
        engine.Event(START, D(4), D(0), "A", "B"),
        engine.Event(START, D(10), D("123.456789"), None, "A"),
    ]
    later = [
        engine.Event(START, D(12), D(0), "A", None),
        engine.Event(START, D(5), D(9), None, "B"),
    ]
    for method in engine.METHODS:
        original = engine.Book(method)
        for event in events:
            original.apply(event)
        restored = engine.Book.restore(method, list(original.state()))
        assert engine.Book.restored_positions(method, original.state(), standard_cost=D(7)) == (
            original.positions(standard_cost=D(7)),
            original.purchase_price_variance(D(7)),
        )
        for event in later:
            original.apply(event)
            restored.apply(event)
        assert restored.positions(standard_cost=D(7)) == original.positions(standard_cost=D(7))
        assert restored.purchase_price_variance(D(7)) == original.purchase_price_variance(D(7))
        assert restored.holdings["A"].layers == original.holdings["A"].layers, method


def test_stock_issued_beyond_what_is_there_is_filled_by_the_next_arrival() -> None:
    events = [
        engine.Event(START, D(2), D(20), None, "A"),
        engine.Event(START, D(5), D(0), "A", None),  # 3 short, at the last cost (10)
        engine.Event(START, D(4), D(48), None, "A"),  # fills the 3, leaves 1 @ 12
    ]
    for method in ("fifo", "lifo", "average"):
        assert engine.positions(events, method) == {"A": engine.Position(D(1), D(12))}, method


def test_a_reversed_arrival_takes_back_its_own_layer_whatever_the_method_would_take() -> None:
    receipts = [
        engine.Event(START, D(10), D(10), None, "A"),
        engine.Event(START, D(10), D(20), None, "A", ident="second"),
        engine.Event(START, D(10), D(30), None, "A"),
    ]
    reversal = engine.Event(START, D(10), D(20), "A", None, fixed=True, reverses="second")
    sale = engine.Event(START, D(10), D(0), "A", None)
    for method, left in (("fifo", D(30)), ("lifo", D(10))):
        book = engine.Book(method)
        for event in [*receipts, reversal]:
            book.apply(event)
        assert [(layer.quantity, layer.value) for layer in book.holdings["A"].layers] == [
            (D(10), D(10)),
            (D(10), D(30)),
        ], method
        restored = engine.Book.restore(method, book.state())
        book.apply(sale)  # the first (FIFO) or last (LIFO) of what is left: 10 or 30
        assert book.positions()["A"] == engine.Position(D(10), left), method
        restored.apply(sale)
        assert restored.positions() == book.positions()


def test_a_reversal_takes_what_is_left_of_its_layer_then_by_the_method() -> None:
    events = [
        engine.Event(START, D(5), D(5), None, "A"),
        engine.Event(START, D(10), D(20), None, "A", ident="mine"),
        engine.Event(START, D(8), D(0), "A", None),  # FIFO: 5 @ 1 and 3 of mine @ 2
        engine.Event(START, D(4), D(0), "A", "B"),  # 4 of mine go to B, with their origin
        engine.Event(START, D(10), D(20), "A", None, fixed=True, reverses="mine"),
    ]
    book = engine.Book("fifo")
    for event in events:
        book.apply(event)
    # A held 3 of mine: all taken back; the other 7 (issued beyond what was there) are short
    assert book.positions()["A"].quantity == D(-7)
    assert [layer.origin for layer in book.holdings["B"].layers] == ["mine"]
    state = engine.Book.restore("fifo", book.state())
    assert state.holdings["B"].layers == book.holdings["B"].layers
