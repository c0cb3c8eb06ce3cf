"""The tie-out as ``stockkeeper check`` (and every test that posts) checks it: every journal line
from the start, summed, gives each item's inventory balance at each location, which must equal
its valuation after the kept period; and the lines' debits must equal their credits."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from stockkeeper.bookkeeping.service.journals import DAY, Journal, Place
from stockkeeper.costing.service.engine import ZERO
from stockkeeper.tenancy.models import Company


def check_tie_out(session: Session, company_id: str | None = None) -> list[str]:
    """Every difference, in words; an empty list means the journals tie out."""
    companies = (
        [company_id]
        if company_id
        else list(session.scalars(select(Company.id).order_by(Company.id)))
    )
    problems: list[str] = []
    for ident in companies:
        problems += _company(Journal(session, ident))
    return problems


def _company(journal: Journal) -> list[str]:
    kept = journal.kept_until
    day = max(journal.today, kept + DAY) if kept else journal.today
    balances: defaultdict[Place, Decimal] = defaultdict(lambda: ZERO)
    unbalanced = ZERO
    for line in journal.stream(None, day):
        unbalanced += line.amount
        if line.role == "inventory":
            balances[(line.item_id, line.variant_id, line.location_id)] += line.amount
    values = journal.values(day)
    problems = [
        f"company {journal.company_id}: item {item}{'/' + variant if variant else ''} at "
        f"{location} is worth {values.get(place, ZERO)} at the end of {day}, but its "
        f"inventory lines add up to {balances.get(place, ZERO)}"
        for place in sorted(values.keys() | balances.keys(), key=str)
        if values.get(place, ZERO) != balances.get(place, ZERO)
        for item, variant, location in [place]
    ]
    if unbalanced:
        problems.append(
            f"company {journal.company_id}: the journals' debits exceed their credits by "
            f"{unbalanced} at the end of {day}"
        )
    return problems
