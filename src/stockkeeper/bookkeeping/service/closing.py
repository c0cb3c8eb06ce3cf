"""Closing the books: when the lock date moves past where the journals are kept, the lines up
to it are kept as they stand (with any correcting entry due), never to change again."""

from __future__ import annotations

from datetime import date
from itertools import islice

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from stockkeeper.bookkeeping.models import ClosedBooks, KeptJournalLine
from stockkeeper.bookkeeping.service.journals import DAY, Journal
from stockkeeper.catalog.service import settings
from stockkeeper.core.locks import lock
from stockkeeper.tenancy.models import Company
from stockkeeper.tenancy.service import Actor

_BATCH = 5000


def keep_journals(session: Session, actor: Actor, lock_date: date | None) -> None:
    """Keeps the lines dated after the kept period, up to ``lock_date``."""
    if lock_date is None:
        return
    lock(session, select(Company.id).where(Company.id == actor.company_id))  # one at a time
    journal = Journal(session, actor.company_id)
    kept_until = journal.kept_until
    if kept_until is not None and lock_date <= kept_until:
        return
    k = KeptJournalLine
    last = session.scalar(select(func.max(k.line)).where(k.company_id == actor.company_id)) or 0
    lines = journal.stream(kept_until + DAY if kept_until else None, lock_date)
    # written as they come, a batch at a time (journals read them back by day and entry)
    numbered = enumerate(lines, start=last + 1)
    while batch := list(islice(numbered, _BATCH)):
        rows = [{"company_id": actor.company_id, "line": n, **line._asdict()} for n, line in batch]
        session.execute(insert(k), rows)
    closed = session.get(ClosedBooks, actor.company_id)
    if closed is None:
        closed = ClosedBooks(company_id=actor.company_id, kept_until=lock_date)
        session.add(closed)
    closed.kept_until, closed.closed_by = lock_date, actor.name
    session.flush()


def install() -> None:
    """Has the settings keep the journals whenever the lock date is set (once, however often
    called)."""
    if keep_journals not in settings.lock_date_observers:
        settings.lock_date_observers.append(keep_journals)
