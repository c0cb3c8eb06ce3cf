"""What the kinds of import share in applying a chunk: its rows by item, the counts and
faults of what was applied, and going through the groups in order until the chunk's time
is up."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

Fault = tuple[int, str, str]  # row, column, reason


@dataclass
class Group:
    """An item's rows in the file (its own and its variants'), applied together."""

    item_code: str
    rows: list[Any] = field(default_factory=list)


def groups_of(rows: Sequence[Any]) -> list[Group]:
    """The rows by item code, in the order each item first appears."""
    found: dict[str, Group] = {}
    for row in rows:
        found.setdefault(row.item_code, Group(row.item_code)).rows.append(row)
    return list(found.values())


@dataclass
class Applied:
    rows: int = 0  # of the groups gone through (applied or skipped), from the first
    counts: Counter[str] = field(default_factory=Counter)
    faults: list[Fault] = field(default_factory=list)


def in_turn(
    groups: Sequence[Group], skip: set[int], seconds: float | None, applied: Applied
) -> Iterator[list[Any]]:
    """The rows of each group but those in ``skip``, in order, counting the rows gone
    through; with ``seconds``, none after the group that reaches that time."""
    began = time.monotonic()
    for group in groups:
        if seconds is not None and applied.rows and time.monotonic() - began >= seconds:
            return
        applied.rows += len(group.rows)
        applied.counts["skipped"] += sum(1 for r in group.rows if r.number in skip)
        valid = [r for r in group.rows if r.number not in skip]
        if valid:
            yield valid
