"""The tie-out: the valuation beside the balance of the inventory accounts in the journals, per
location and in total, with the entries that make any difference.

Inside the kept period the journals' balance is the kept lines' sum, read as kept. After it,
the balance is what was kept, the correcting entry, and the lines since: by construction
(entries.py) the lines of an item at a location change its balance by exactly the change of
its rounded value, so up to the latest day the costing keeps snapshots at (or the end of the
kept period, if later) the balance is that day's rounded value, and the lines after it are
derived and summed here, in the same replay that values the stock at the end.
``stockkeeper check`` sums every line from the start instead."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from sqlalchemy.orm import Session

from stockkeeper.bookkeeping.service.entries import JournalLine
from stockkeeper.bookkeeping.service.journals import DAY, Journal, Place
from stockkeeper.catalog.service.locations import location_names
from stockkeeper.costing.service.engine import ZERO
from stockkeeper.costing.service.replay import Sku
from stockkeeper.costing.service.snapshots import Anchors
from stockkeeper.tenancy.service import Actor


@dataclass(frozen=True)
class LocationTie:
    location_id: str
    location_name: str
    valuation: Decimal
    journal_balance: Decimal

    @property
    def difference(self) -> Decimal:
        return self.valuation - self.journal_balance


@dataclass(frozen=True)
class Cause:
    """An entry whose inventory amount in the journals is not what the ledger gives now."""

    entry_id: str
    day: date
    kind: str
    item_id: str
    variant_id: str | None
    location_id: str
    account_id: str
    in_journals: Decimal
    from_ledger: Decimal


@dataclass
class Reconciliation:
    as_of: date
    method: str
    currency: str
    kept_until: date | None
    locations: list[LocationTie] = field(default_factory=list)
    causes: list[Cause] = field(default_factory=list)

    @property
    def valuation(self) -> Decimal:
        return sum((tie.valuation for tie in self.locations), ZERO)

    @property
    def journal_balance(self) -> Decimal:
        return sum((tie.journal_balance for tie in self.locations), ZERO)

    @property
    def difference(self) -> Decimal:
        return self.valuation - self.journal_balance


def reconcile(session: Session, actor: Actor, *, as_of: date | None = None) -> Reconciliation:
    """The tie-out at the end of ``as_of`` (today in the company's time zone)."""
    journal = Journal(session, actor.company_id)
    day = as_of or journal.today
    report = Reconciliation(day, journal.method, journal.currency, journal.kept_until)
    values, balances = _figures(journal, day)
    report.locations = _per_location(session, journal.company_id, values, balances)
    differing = {
        place
        for place in values.keys() | balances.keys()
        if values.get(place) != balances.get(place)
    }
    if differing:
        report.causes = _causes(journal, day, differing)
    return report


def _figures(journal: Journal, day: date) -> tuple[dict[Place, Decimal], dict[Place, Decimal]]:
    """(item, variant, location) -> the valuation, and the journals' inventory balance, at the
    end of ``day``."""
    kept = journal.kept_until
    if kept is not None and day <= kept:
        return journal.values(day), _nonzero(journal.kept_inventory(day))
    # from the latest day the costing keeps snapshots at (or the end of the kept period)
    since = max(Anchors.of(day - DAY, journal.today).days[0], kept or date.min)
    opening: dict[Place, Decimal] = {}
    closing: dict[Sku, dict[str, Decimal]] = {}
    balances: defaultdict[Place, Decimal] = defaultdict(lambda: ZERO)
    for line in journal.derived(since + DAY, day, opening=opening, closing=closing):
        if line.role == "inventory":
            balances[(line.item_id, line.variant_id, line.location_id)] += line.amount
    for place, value in opening.items():
        balances[place] += value
    values = {place: value for place, value in opening.items() if place[:2] not in closing}
    for (item, variant), worth in closing.items():
        values |= {(item, variant, location): value for location, value in worth.items()}
    return values, _nonzero(balances)


def _nonzero(amounts: dict[Place, Decimal]) -> dict[Place, Decimal]:
    return {place: amount for place, amount in amounts.items() if amount}


def _per_location(
    session: Session,
    company_id: str,
    values: dict[Place, Decimal],
    balances: dict[Place, Decimal],
) -> list[LocationTie]:
    names = location_names(session, company_id)
    sums: defaultdict[str, list[Decimal]] = defaultdict(lambda: [ZERO, ZERO])
    for place, value in values.items():
        sums[place[2]][0] += value
    for place, balance in balances.items():
        sums[place[2]][1] += balance
    return [
        LocationTie(location, names.get(location, location), *pair)
        for location, pair in sorted(sums.items(), key=lambda kv: names.get(kv[0], ""))
    ]


def _causes(journal: Journal, day: date, differing: set[Place]) -> list[Cause]:
    """The entries whose inventory lines differ from what the ledger gives now, at the places
    that differ: kept lines of a past that changed since, and the correcting entry that books
    the change. Keyed by entry, place and account."""
    items = {place[0] for place in differing}
    amounts: defaultdict[tuple[str, str, str | None, str, str], list[Decimal]] = defaultdict(
        lambda: [ZERO, ZERO]
    )
    days: dict[str, tuple[date, str]] = {}
    for index, lines in enumerate(
        (journal.stream(None, day, items), journal.derived(None, day, items))
    ):
        for line in lines:
            if line.role == "inventory" and _place(line) in differing:
                amounts[(line.entry_id, *_place(line), line.account_id)][index] += line.amount
                days.setdefault(line.entry_id, (line.day, line.kind))
    return [
        Cause(entry, *days[entry], item, variant, location, account, *sums)
        for (entry, item, variant, location, account), sums in sorted(
            amounts.items(), key=lambda kv: (days[kv[0][0]], kv[0][0])
        )
        if sums[0] != sums[1]
    ]


def _place(line: JournalLine) -> Place:
    return (line.item_id, line.variant_id, line.location_id)
