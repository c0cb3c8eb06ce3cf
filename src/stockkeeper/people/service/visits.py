"""A signed-in person's visit: the session found by its cookie's token, the person, the
company they work in now with their role there, and their other companies (the switcher)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from stockkeeper.core.types import utcnow
from stockkeeper.people.errors import NotAMember
from stockkeeper.people.models import Membership, UserAccount, WebSession
from stockkeeper.people.service.accounts import person_actor
from stockkeeper.people.service.secrets import digest
from stockkeeper.tenancy.models import Company
from stockkeeper.tenancy.service import Actor

# a visit writes ``last_seen_at`` only when it is older than this, not on every page
TOUCH_EVERY = timedelta(minutes=1)
# a session ends this long after signing in (the setting ``session_lifetime_hours``)
LIFETIME = timedelta(days=7)


@dataclass(frozen=True)
class CompanyChoice:
    id: str
    name: str
    role: str


@dataclass(frozen=True)
class Visit:
    session_id: str
    csrf_token: str
    last_seen_at: datetime
    actor: Actor
    person_name: str
    company_name: str
    companies: tuple[CompanyChoice, ...]  # every membership, the current one too

    @property
    def needs_touch(self) -> bool:
        return utcnow() - self.last_seen_at >= TOUCH_EVERY


def find_visit(
    session: Session, *, token: str, idle: timedelta, lifetime: timedelta = LIFETIME
) -> Visit | None:
    """The visit of a live session: None for a token unknown, ended, idle longer than
    ``idle``, signed in longer ago than ``lifetime`` (however busy: a stolen cookie does not
    last for ever), of a disabled account or of one no longer in any company."""
    found = session.execute(
        select(WebSession, UserAccount)
        .join(UserAccount, UserAccount.id == WebSession.account_id)
        .where(WebSession.token_digest == digest(token))
    ).first()
    if found is None:
        return None
    row, account = found
    if row.ended_at is not None or account.disabled_at is not None:
        return None
    now = utcnow()
    if now - row.last_seen_at > idle or now - row.created_at > lifetime:
        return None
    memberships = session.execute(
        select(Membership, Company.name)
        .join(Company, Company.id == Membership.company_id)
        .where(Membership.account_id == account.id)
        .order_by(Company.name, Company.id)
    ).all()
    current = next(((m, n) for m, n in memberships if m.company_id == row.company_id), None)
    if current is None:  # taken out of the company: on to another one, if any
        if not memberships:
            return None
        current = (memberships[0][0], memberships[0][1])
    membership, company_name = current
    return Visit(
        session_id=row.id,
        csrf_token=row.csrf_token,
        last_seen_at=row.last_seen_at,
        actor=person_actor(account, membership),
        person_name=account.name,
        company_name=company_name,
        companies=tuple(CompanyChoice(m.company_id, n, m.role) for m, n in memberships),
    )


def touch(session: Session, *, session_id: str) -> None:
    """Marks the session as in use now (it stays signed in for the idle timeout from here)."""
    session.execute(
        update(WebSession).where(WebSession.id == session_id).values(last_seen_at=utcnow())
    )


def switch_company(session: Session, visit: Visit, *, company_id: str) -> None:
    """Works in another of the person's companies from the next page on."""
    if company_id not in {c.id for c in visit.companies}:
        raise NotAMember()
    session.execute(
        update(WebSession).where(WebSession.id == visit.session_id).values(company_id=company_id)
    )
