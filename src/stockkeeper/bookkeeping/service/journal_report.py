"""``GET /accounting/journals``: the journals of a period, line by line or per account and
day, with the accounts, items and locations they name."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from sqlalchemy.orm import Session

from stockkeeper.accounting.models import Account
from stockkeeper.accounting.service.accounts import list_accounts
from stockkeeper.bookkeeping.service.entries import JournalLine
from stockkeeper.bookkeeping.service.journals import Journal
from stockkeeper.bookkeeping.values import JournalFilters
from stockkeeper.catalog.models import Item
from stockkeeper.catalog.service.locations import location_names, require_location
from stockkeeper.core.errors import Invalid, UnknownReference, field_error
from stockkeeper.costing.service.engine import ZERO
from stockkeeper.tenancy.service import Actor


@dataclass(frozen=True)
class DayTotal:
    day: date
    account_id: str
    debit: Decimal
    credit: Decimal


@dataclass
class JournalReport:
    date_from: date
    date_to: date
    currency: str
    method: str
    kept_until: date | None
    view: str
    lines: list[JournalLine] = field(default_factory=list)
    days: list[DayTotal] = field(default_factory=list)
    accounts: dict[str, Account] = field(default_factory=dict)
    item_codes: dict[str, str] = field(default_factory=dict)
    location_names: dict[str, str] = field(default_factory=dict)

    @property
    def debit(self) -> Decimal:
        return sum((total.debit for total in self.days), ZERO)

    @property
    def credit(self) -> Decimal:
        return sum((total.credit for total in self.days), ZERO)


def journal_report(session: Session, actor: Actor, *, filters: JournalFilters) -> JournalReport:
    journal = Journal(session, actor.company_id)
    end = filters.date_to or journal.today
    start = filters.date_from or end.replace(day=1)
    if start > end:
        raise Invalid(
            "the period ends before it starts",
            errors=[field_error("date_from", "after the end of the period", "period_reversed")],
        )
    report = JournalReport(
        start, end, journal.currency, journal.method, journal.kept_until, filters.view
    )
    report.accounts = {account.id: account for account in list_accounts(session, actor)}
    wanted = _wanted_account(journal, filters.account_id)
    if filters.item_id and session.get(Item, (actor.company_id, filters.item_id)) is None:
        raise UnknownReference.at("item_id", "item", filters.item_id)
    if filters.location_id:
        require_location(session, actor, filters.location_id, "location_id")
    items = {filters.item_id} if filters.item_id else None
    lines: Iterator[JournalLine] = (
        line
        for line in journal.stream(start, end, items, per_day=filters.view == "daily")
        if (wanted is None or line.account_id == wanted)
        and (filters.location_id is None or line.location_id == filters.location_id)
    )
    if filters.view == "lines":  # else only their sums per day and account are kept
        report.lines = sorted(lines, key=lambda line: (line.day, line.entry_id))
        lines = iter(report.lines)
    codes = {ident: account.code for ident, account in report.accounts.items()}
    report.days = sorted(
        _per_account_and_day(lines),
        key=lambda total: (total.day, codes.get(total.account_id, total.account_id)),
    )
    report.item_codes = {
        ident: item.item_code for ident, item in journal.valued_items(items).items()
    }
    report.location_names = location_names(session, actor.company_id)
    return report


def _wanted_account(journal: Journal, ref: str | None) -> str | None:
    if ref is None:
        return None
    if ref not in journal.accounts.ids:
        raise UnknownReference.at("account_id", "account", ref)
    return journal.accounts.ids[ref]


def _per_account_and_day(lines: Iterator[JournalLine]) -> list[DayTotal]:
    sums: defaultdict[tuple[date, str], list[Decimal]] = defaultdict(lambda: [ZERO, ZERO])
    for line in lines:
        at = sums[(line.day, line.account_id)]
        if line.amount > 0:
            at[0] += line.amount
        else:
            at[1] -= line.amount
    return [DayTotal(day, account, *amounts) for (day, account), amounts in sums.items()]
