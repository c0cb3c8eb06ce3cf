"""A settled month's journals per item and day, kept: what a month's journals per account and
day are made of, so that the next such report reads a row per item instead of replaying the
month's movements (decision 26).

Each item's derived lines of the month are summed per day, role, location and source (what
names an adjustment's account), debits and credits apart, and kept with the item's cost
revision and, under standard cost, its standard. They stay true for the reasons the costing
snapshots do (costing/service/snapshots.py): a past month's lines change only when a movement
dated in or before it is posted later, which raises the item's revision, or when the method
or the standard changes, which are compared. Only months that end two days back or more are
kept. Accounts are looked up as the sums are read, as every derived line's are, so a changed
account shows at once.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from sqlalchemy import select

from stockkeeper.bookkeeping.models import JournalMonth
from stockkeeper.bookkeeping.service.entries import JournalLine
from stockkeeper.core.db import keep_cache
from stockkeeper.costing.service.engine import ZERO
from stockkeeper.costing.service.replay import MANY

if TYPE_CHECKING:
    from stockkeeper.bookkeeping.service.journals import Journal

Basis = tuple[int, Decimal]  # the item's cost revision, and its standard under standard cost
Sums = dict[
    tuple[int, str, str, str], list[Decimal]
]  # (day, role, location, source) -> debit, credit


def last_day(first: date) -> date:
    return (first + timedelta(days=31)).replace(day=1) - timedelta(days=1)


def month_lines(
    journal: Journal, first: date, start: date, end: date, items: set[str] | None
) -> Iterator[JournalLine]:
    """The derived lines of ``first``'s month dated from ``start`` to ``end``, summed per item,
    day, role and location (a debit line and a credit line for each sum): read from the kept
    sums where they hold, and summed from the replay (and kept) where they do not."""
    costed = journal.valued_items(items)
    standard = journal.method == "standard"
    basis = {
        i: (item.cost_revision, item.standard_cost if standard else ZERO)
        for i, item in costed.items()
    }
    found = _load(journal, first, basis, items)
    missing = set(costed) - found.keys()
    if missing:
        fresh = _sum(journal, first, missing)
        keep_cache(
            journal.session,
            JournalMonth,
            [
                {
                    "company_id": journal.company_id,
                    "method": journal.method,
                    "month": first,
                    "item_id": item_id,
                    "revision": basis[item_id][0],
                    "standard_cost": basis[item_id][1],
                    "totals": totals,
                }
                for item_id, totals in fresh.items()
            ],
            ["revision", "standard_cost", "totals"],
        )
        found.update(fresh)
    moved = {item_id for item_id, totals in found.items() if totals}
    journal.accounts.load_items(journal.session, journal.company_id, moved)
    account = journal.accounts.account
    for item_id in sorted(moved):
        for entry in found[item_id].split("\n"):
            day, role, location, source, debit, credit = entry.split("\t")
            on = first.replace(day=int(day))
            if start <= on <= end:
                named = account(role, item_id, location, source)
                for amount in (Decimal(debit), -Decimal(credit)):
                    if amount:
                        yield JournalLine(
                            on, "", "sum", role, named, amount, item_id, None, location
                        )


def _load(
    journal: Journal, first: date, basis: dict[str, Basis], items: set[str] | None
) -> dict[str, str]:
    """Item id -> its kept sums of the month, where they hold."""
    m = JournalMonth
    where = [m.company_id == journal.company_id, m.method == journal.method, m.month == first]
    if items is not None:
        where.append(m.item_id.in_(sorted(items)))
    rows = journal.session.connection().execute(
        select(m.item_id, m.revision, m.standard_cost, m.totals).where(*where)
    )
    return {
        item_id: totals
        for item_id, revision, standard_cost, totals in rows
        if basis.get(item_id) == (revision, standard_cost)
    }


def _sum(journal: Journal, first: date, wanted: set[str]) -> dict[str, str]:
    """Item id -> its lines of the month summed, as text (empty when it did not move)."""
    sums: dict[str, Sums] = {item_id: {} for item_id in wanted}
    source = journal.accounts.source
    lines = journal.derived(first, last_day(first), wanted if len(wanted) <= MANY else None)
    for line in lines:
        found = sums.get(line.item_id)
        if found is None:
            continue  # its sums hold already
        key = (line.day.day, line.role, line.location_id, source(line))
        pair = found.setdefault(key, [ZERO, ZERO])
        if line.amount > 0:
            pair[0] += line.amount
        else:
            pair[1] -= line.amount
    return {
        item_id: "\n".join(
            "\t".join((str(day), role, location, named, str(debit), str(credit)))
            for (day, role, location, named), (debit, credit) in found.items()
        )
        for item_id, found in sums.items()
    }
