"""The costing engine: what an item's stock is worth at each location, by any method, found by
replaying its movements in date order. Pure: no database, no rounding of unit costs.

The ledger keeps quantities and what each movement was booked at; the value of stock under a
method is derived from them. Stock arriving from outside (a purchase, a positive adjustment,
a customer return, an opening balance) forms a cost layer at the location, at the unit cost
it was booked with. Stock leaving for outside consumes layers: the oldest first (FIFO), the
newest first (perpetual LIFO), or at the running average (average). A move between two
holding locations (a transfer, into and out of transit) carries the consumed layers along
with their costs. A revaluation (quantity zero) spreads its value over the location's layers
in proportion to their quantities. Under ``standard`` stock is worth the item's standard cost
per unit. A reversal of an arrival takes back that arrival's own layer first, wherever it
lies (or what is left of it), and only then layers by the method. Stock issued beyond what
is there forms a negative layer at the last cost known there, which the next arrivals fill.

Because the replay follows the movements' effective dates, a movement dated in the past
changes the cost of every later issue of that item, and only of that item.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import NamedTuple

METHODS = ("fifo", "lifo", "average", "standard")
ZERO = Decimal(0)


class Event(NamedTuple):
    """One movement of one item, as the engine needs it; ``source``/``target`` are None for
    locations outside the company's holdings (suppliers, customers, losses, openings). A
    tuple: a report makes a million of them, and tuples are the quickest to make."""

    day: date
    quantity: Decimal
    value: Decimal  # as booked
    source: str | None
    target: str | None
    usage: bool = False  # goods issued for use: sold, fulfilled, consumed
    fixed: bool = False  # leaves at its booked value: a return to the supplier, a reversal
    ident: str | None = None  # an arrival that is reversed later: names its layer
    reverses: str | None = None  # a reversal: the arrival whose layer it takes back


@dataclass
class Flow:
    """What went in and out of one location over a period, valued by the method."""

    in_quantity: Decimal = ZERO
    in_value: Decimal = ZERO
    out_quantity: Decimal = ZERO
    out_value: Decimal = ZERO
    used_quantity: Decimal = ZERO  # of the out: goods issued for use
    used_value: Decimal = ZERO
    moved_in_quantity: Decimal = ZERO  # of the in and out: moves between holding locations
    moved_in_value: Decimal = ZERO
    moved_out_quantity: Decimal = ZERO
    moved_out_value: Decimal = ZERO


@dataclass(slots=True)
class Layer:
    quantity: Decimal
    value: Decimal
    origin: str | None = None  # the arrival it came with, when that is reversed later


@dataclass(slots=True)
class Holding:
    """What one location holds of an item: its layers, oldest first."""

    # a list, not a deque: a holding has a few layers, and a book of an item holds one per
    # location, ten thousand of them in a report (an empty deque takes ten times the memory)
    layers: list[Layer] = field(default_factory=list)
    last_unit_cost: Decimal = ZERO

    @property
    def quantity(self) -> Decimal:
        return sum((layer.quantity for layer in self.layers), ZERO)

    @property
    def value(self) -> Decimal:
        return sum((layer.value for layer in self.layers), ZERO)


class Book:
    """The replay of one item under one method."""

    def __init__(self, method: str) -> None:
        if method not in METHODS:
            raise ValueError(f"no replay for method {method!r}")
        self.method = method
        # under standard cost only quantities matter: they are kept by an average book
        self.layering = "average" if method == "standard" else method
        self.holdings: dict[str, Holding] = defaultdict(Holding)
        self.flows: dict[str, Flow] = defaultdict(Flow)
        self.counting = False  # whether ``flows`` records what is applied
        self.bought_quantity = ZERO  # what arrived from outside, to date
        self.bought_value = ZERO

    def state(self) -> list[str]:
        """What the book holds, exactly, as lines of tab-separated text: ``*``, then what was
        bought (quantity, value); then per location: its id, the last unit cost there, and
        each layer's quantity and value (the value followed by ``@`` and the layer's origin
        when it has one). (Quicker to read back than JSON.)"""
        lines = [f"*\t{self.bought_quantity}\t{self.bought_value}"]
        for location, holding in self.holdings.items():
            numbers = [
                n
                for layer in holding.layers
                for n in (
                    str(layer.quantity),
                    f"{layer.value}@{layer.origin}" if layer.origin else str(layer.value),
                )
            ]
            lines.append("\t".join([location, str(holding.last_unit_cost), *numbers]))
        return lines

    @classmethod
    def restore(cls, method: str, lines: list[str]) -> Book:
        book = cls(method)
        for line in lines:
            location, *numbers = line.split("\t")
            if location == "*":
                book.bought_quantity, book.bought_value = Decimal(numbers[0]), Decimal(numbers[1])
                continue
            layers = [_layer(q, v) for q, v in zip(numbers[1::2], numbers[2::2], strict=True)]
            book.holdings[location] = Holding(layers, Decimal(numbers[0]))
        return book

    @staticmethod
    def restored_positions(
        method: str, lines: list[str], *, standard_cost: Decimal = ZERO
    ) -> tuple[dict[str, Position], Decimal]:
        """What ``Book.restore(method, lines)`` would give for ``positions`` and
        ``purchase_price_variance``, without building the book (a report valuing thousands of
        items that did not move since their snapshot)."""
        found, variance = {}, ZERO
        for line in lines:
            location, *numbers = line.split("\t")
            if location == "*":
                variance = Decimal(numbers[1]) - Decimal(numbers[0]) * standard_cost
                continue
            quantity = sum(map(Decimal, numbers[1::2]), ZERO)
            if method == "standard":
                found[location] = Position(quantity, quantity * standard_cost)
            else:
                values = (v.partition("@")[0] for v in numbers[2::2])
                found[location] = Position(quantity, sum(map(Decimal, values), ZERO))
        return found, variance

    def positions(self, *, standard_cost: Decimal = ZERO) -> dict[str, Position]:
        """Location -> quantity and value now; under ``standard`` at the standard cost."""
        found = {}
        for location, holding in self.holdings.items():
            quantity = holding.quantity
            value = quantity * standard_cost if self.method == "standard" else holding.value
            found[location] = Position(quantity, value)
        return found

    def purchase_price_variance(self, standard_cost: Decimal) -> Decimal:
        """What arrivals from outside cost beyond (or below) the standard."""
        return self.bought_value - self.bought_quantity * standard_cost

    def apply(self, event: Event) -> None:
        if event.quantity == 0:
            self._revalue(event)
            return
        if event.source is None:
            if event.target is not None:
                if event.quantity > 0:
                    self.bought_quantity += event.quantity
                    self.bought_value += event.value
                self._arrive(event.target, [Layer(event.quantity, event.value, event.ident)])
                self._count(event.target, event.quantity, event.value, inward=True)
            return
        taken = self._take(event.source, event.quantity, own=event.reverses)
        if event.fixed:
            taken = self._at_booked_value(event.source, taken, event.value)
        value = sum((layer.value for layer in taken), ZERO)
        moved = event.target is not None
        self._count(
            event.source, event.quantity, value, inward=False, usage=event.usage, moved=moved
        )
        if event.target is not None:
            self._arrive(event.target, taken)
            self._count(event.target, event.quantity, value, inward=True, moved=True)

    def _count(
        self,
        location: str,
        quantity: Decimal,
        value: Decimal,
        *,
        inward: bool,
        usage: bool = False,
        moved: bool = False,
    ) -> None:
        if not self.counting:
            return
        flow = self.flows[location]
        if inward:
            flow.in_quantity += quantity
            flow.in_value += value
            if moved:
                flow.moved_in_quantity += quantity
                flow.moved_in_value += value
        else:
            flow.out_quantity += quantity
            flow.out_value += value
            if usage:
                flow.used_quantity += quantity
                flow.used_value += value
            if moved:
                flow.moved_out_quantity += quantity
                flow.moved_out_value += value

    def _arrive(self, location: str, layers: list[Layer]) -> None:
        holding = self.holdings[location]
        for layer in layers:
            if layer.quantity:
                holding.last_unit_cost = layer.value / layer.quantity
            while layer.quantity > 0 and holding.layers and holding.layers[0].quantity < 0:
                # stock that arrives first fills what was issued beyond what was there
                deficit = holding.layers[0]
                filled = min(layer.quantity, -deficit.quantity)
                share = layer.value * filled / layer.quantity
                deficit.quantity += filled
                deficit.value += share
                layer = Layer(layer.quantity - filled, layer.value - share, layer.origin)
                if deficit.quantity == 0:
                    holding.layers.pop(0)
            if layer.quantity or layer.value:
                if self.layering == "average":
                    self._merge(holding, layer)
                else:
                    holding.layers.append(layer)

    @staticmethod
    def _merge(holding: Holding, layer: Layer) -> None:
        if holding.layers:
            holding.layers[0].quantity += layer.quantity
            holding.layers[0].value += layer.value
        else:
            holding.layers.append(layer)

    def _take(self, location: str, quantity: Decimal, own: str | None = None) -> list[Layer]:
        """Takes ``quantity`` from the location's layers: first from the layer of the arrival
        ``own`` names, then by the method; beyond what is there, a negative layer."""
        holding = self.holdings[location]
        taken: list[Layer] = []
        left = quantity
        if own is not None:
            left = self._take_own(holding, own, left, taken)
        while (
            left > 0
            and holding.layers
            and holding.layers[-1 if self.layering == "lifo" else 0].quantity > 0
        ):
            layer = holding.layers[-1 if self.layering == "lifo" else 0]
            if layer.quantity <= left:
                taken.append(layer)
                left -= layer.quantity
                if self.layering == "lifo":
                    holding.layers.pop()
                else:
                    holding.layers.pop(0)
            else:
                value = layer.value * left / layer.quantity
                taken.append(Layer(left, value, layer.origin))
                layer.quantity -= left
                layer.value -= value
                left = ZERO
        if left > 0:  # beyond what is there: a negative layer at the last cost known here
            cost = holding.last_unit_cost
            deficit = Layer(-left, -left * cost)
            if holding.layers and holding.layers[0].quantity < 0:
                holding.layers[0].quantity += deficit.quantity
                holding.layers[0].value += deficit.value
            else:
                holding.layers.insert(0, deficit)
            taken.append(Layer(left, left * cost))
        return taken

    @staticmethod
    def _take_own(holding: Holding, own: str, left: Decimal, taken: list[Layer]) -> Decimal:
        for index, layer in enumerate(holding.layers):
            if layer.origin == own and layer.quantity > 0:
                if layer.quantity <= left:
                    del holding.layers[index]
                    taken.append(layer)
                    return left - layer.quantity
                value = layer.value * left / layer.quantity
                taken.append(Layer(left, value, own))
                layer.quantity -= left
                layer.value -= value
                return ZERO
        return left

    def _at_booked_value(self, location: str, taken: list[Layer], booked: Decimal) -> list[Layer]:
        """Makes what was taken worth ``booked`` (as far as the stock left there can make up
        the difference), moving the difference onto what is left."""
        holding = self.holdings[location]
        left = holding.quantity
        worth = sum((layer.value for layer in taken), ZERO)
        if left <= 0 or worth == booked:
            return taken
        booked = max(ZERO, min(booked, worth + holding.value))
        difference = worth - booked
        for layer in holding.layers:
            if layer.quantity > 0:
                layer.value += difference * layer.quantity / left
        quantity = sum((layer.quantity for layer in taken), ZERO)
        return [Layer(layer.quantity, booked * layer.quantity / quantity) for layer in taken]

    def _revalue(self, event: Event) -> None:
        location, sign = (event.target, 1) if event.target is not None else (event.source, -1)
        if location is None:
            return
        holding = self.holdings[location]
        quantity = holding.quantity
        if quantity <= 0:
            return
        for layer in holding.layers:
            layer.value += sign * event.value * layer.quantity / quantity
        self._count(location, ZERO, event.value, inward=sign > 0)


def _layer(quantity: str, value: str) -> Layer:
    """A layer from the text of ``Book.state``."""
    amount, _, origin = value.partition("@")
    return Layer(Decimal(quantity), Decimal(amount), origin or None)


@dataclass(frozen=True, slots=True)
class Position:
    quantity: Decimal
    value: Decimal


@dataclass(frozen=True)
class Period:
    """One location over a period: where it started, what flowed, where it ended."""

    opening: Position
    flow: Flow
    closing: Position


def periods(
    events: Iterable[Event],
    method: str,
    start: date,
    *,
    standard_cost: Decimal = ZERO,
    book: Book | None = None,
) -> dict[str, Period]:
    """Location -> opening (before ``start``), flows from ``start`` on, and closing, for the
    events given (in date order, none after the period), from ``book`` (what was held before
    them; nothing by default). Under ``standard`` every quantity is valued at the standard
    cost."""
    book = book or Book(method)
    opening: dict[str, Position] = {}
    for event in events:
        if not book.counting and event.day >= start:
            opening = book.positions(standard_cost=standard_cost)
            book.counting = True
        book.apply(event)
    if not book.counting:
        opening = book.positions(standard_cost=standard_cost)
    found = {}
    for location, after in book.positions(standard_cost=standard_cost).items():
        before = opening.get(location, Position(ZERO, ZERO))
        flow = book.flows.get(location, Flow())
        if method == "standard":
            flow = Flow(
                flow.in_quantity,
                flow.in_quantity * standard_cost,
                flow.out_quantity,
                flow.out_quantity * standard_cost,
                flow.used_quantity,
                flow.used_quantity * standard_cost,
                flow.moved_in_quantity,
                flow.moved_in_quantity * standard_cost,
                flow.moved_out_quantity,
                flow.moved_out_quantity * standard_cost,
            )
        found[location] = Period(before, flow, after)
    return found


def positions(
    events: Iterable[Event], method: str, *, standard_cost: Decimal = ZERO
) -> dict[str, Position]:
    """Location -> quantity and value after the events (given in date order)."""
    book = Book(method)
    for event in events:
        book.apply(event)
    return book.positions(standard_cost=standard_cost)
