"""Applying a stock file's rows: the valid rows of a chunk become the targets of one
``set_stock`` (in a savepoint), which posts as one adjustment (reason ``initial_stock``) the
difference between what each row says its place holds and what the ledger holds there. A
row that says what the ledger holds changes nothing, so importing a file twice posts nothing
the second time. When the adjustment is refused, the rows it names are reported at fault and
the others are tried again without them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy.orm import Session

from stockkeeper.adjustments.service.stock_setting import held_at, place_of, set_stock
from stockkeeper.adjustments.values import StockTarget, StockTargets
from stockkeeper.core.errors import DomainError
from stockkeeper.imports.service.grouping import Applied
from stockkeeper.imports.service.stock_checks import COLUMN_OF, Places
from stockkeeper.imports.service.stock_layout import Row
from stockkeeper.tenancy.service import Actor

SLICE = 500  # targets set together (a dry run reads the whole file in slices this long)
ROUNDS = 10  # adjustments tried in a slice before its rows left are refused
ZERO = Decimal(0)


@dataclass
class Group:
    """A row applied on its own terms: each is its own place."""

    rows: list[Row] = field(default_factory=list)


def groups_of(rows: Sequence[Row]) -> list[Group]:
    return [Group([row]) for row in rows]


def apply_groups(
    session: Session,
    actor: Actor,
    groups: Sequence[Group],
    *,
    skip: set[int],
    write: bool,
    seconds: float | None = None,  # a chunk is one adjustment: it is not cut short
) -> Applied:
    """Sets the stock the rows say, but those in ``skip`` (refused by the checks); with
    ``write`` false only counts the rows that would change (updated) and those that would
    not (unchanged)."""
    rows = [row for group in groups for row in group.rows]
    applied = Applied(rows=len(rows))
    valid = [row for row in rows if row.number not in skip]
    applied.counts["skipped"] += len(rows) - len(valid)
    places = Places.load(session, actor.company_id, valid)
    for start in range(0, len(valid), SLICE):
        targets = _targets(places, valid[start : start + SLICE], applied)
        _set(session, actor, targets, write, applied)
    return applied


def _targets(places: Places, rows: list[Row], applied: Applied) -> dict[int, StockTarget]:
    """Each row's target by its number; a row whose names no longer hold is refused."""
    targets = {}
    for row in rows:
        target, errors = places.target(row)
        if target is None:
            _refuse(applied, row.number, errors)
        else:
            targets[row.number] = target
    return targets


def _set(
    session: Session, actor: Actor, targets: dict[int, StockTarget], write: bool, applied: Applied
) -> None:
    for _ in range(ROUNDS):
        if not targets:
            return
        held = held_at(session, actor.company_id, list(targets.values()))
        changed = {n for n, t in targets.items() if t.quantity != held.get(place_of(t), ZERO)}
        try:
            if write and changed:
                with session.begin_nested():
                    stock = StockTargets(targets=list(targets.values()))
                    set_stock(session, actor, stock=stock)
        except DomainError as error:
            _refused(error, targets, applied)
            continue
        applied.counts["updated"] += len(changed)
        applied.counts["unchanged"] += len(targets) - len(changed)
        return
    for number in targets:
        _refuse(applied, number, [("", f"not set: refused {ROUNDS} times with other rows")])


def _refused(error: DomainError, targets: dict[int, StockTarget], applied: Applied) -> None:
    """The rows the refusal names (``targets.N``) are refused and taken out; when it names
    none, every row of the adjustment is."""
    numbers = list(targets)
    named: dict[int, list[tuple[str, str]]] = {}
    for found in error.errors:
        head, _, rest = found.field.partition(".")
        index, _, tail = rest.partition(".")
        if head == "targets" and index.isdigit() and int(index) < len(numbers):
            column = COLUMN_OF.get(tail.partition(".")[0], "")
            named.setdefault(numbers[int(index)], []).append((column, found.message))
    if not named:
        named = {number: [("", error.detail)] for number in numbers}
    for number, errors in named.items():
        _refuse(applied, number, errors)
        del targets[number]


def _refuse(applied: Applied, number: int, errors: list[tuple[str, str]]) -> None:
    applied.faults += [(number, column, f"refused: {reason}") for column, reason in errors]
    applied.counts["refused"] += 1
