"""People and their memberships: who works for a company, with which role. Changing who
works for a company is an admin's; the company always keeps an admin."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Annotated

from pydantic import Field
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from stockkeeper.core import audit
from stockkeeper.core.errors import Duplicate, Invalid, NotFound, field_error
from stockkeeper.core.ids import new_id
from stockkeeper.core.locks import lock_one
from stockkeeper.core.text import name_text
from stockkeeper.core.values import Email, Values
from stockkeeper.people.errors import LastAdmin
from stockkeeper.people.models import Membership, UserAccount
from stockkeeper.people.service.links import issue_link
from stockkeeper.tenancy.models import Company
from stockkeeper.tenancy.service import Actor, Role, RoleName, authorize, get_company

# a new person's link to set their password: long enough to be read the next morning
WELCOME_LINK_LIFETIME = timedelta(days=3)


def normal_email(email: str) -> str:
    return email.strip().lower()


class NewMember(Values):
    email: Email
    name: Annotated[str, name_text(200, required=False)] = ""
    role: RoleName = Field(examples=["clerk"])


@dataclass(frozen=True)
class Member:
    account_id: str
    email: str
    name: str
    role: Role
    since: datetime


@dataclass(frozen=True)
class AddedMember:
    member: Member
    # a link to set a password, for a person new to Stockkeeper (None for one who has an
    # account already: they sign in as they do)
    link_token: str | None


ACTOR_NAME_LENGTH = 100


def person_actor(account: UserAccount, membership: Membership) -> Actor:
    """A person acting in one of their companies, with their role there."""
    return Actor(
        company_id=membership.company_id,
        key_id=None,
        # audit rows and documents keep who acted in 100 characters; an email may be longer
        name=account.email[:ACTOR_NAME_LENGTH],
        role=Role[membership.role],
        account_id=account.id,
    )


def find_account(session: Session, email: str) -> UserAccount | None:
    return session.scalar(select(UserAccount).where(UserAccount.email == normal_email(email)))


def add_member(session: Session, actor: Actor, *, member: NewMember) -> AddedMember:
    """Adds a person to the actor's company; an email new to Stockkeeper gets an account,
    and a link to set its password."""
    authorize(actor, Role.admin)
    get_company(session, actor.company_id)  # the command line names the company
    account, token = find_account(session, member.email), None
    if account is None:
        email = normal_email(member.email)
        account = UserAccount(id=new_id("acct"), email=email, name=member.name.strip() or email)
        session.add(account)
        session.flush()
        token = issue_link(
            session, account_id=account.id, purpose="set_password", lifetime=WELCOME_LINK_LIFETIME
        )
    elif session.get(Membership, (actor.company_id, account.id)) is not None:
        raise Duplicate("email", account.email, "a member", at="email")
    membership = Membership(company_id=actor.company_id, account_id=account.id, role=member.role)
    session.add(membership)
    session.flush()
    audit.record(
        session, actor, "member.added", "account", account.id, email=account.email, role=member.role
    )
    return AddedMember(_member(account, membership), token)


def list_members(session: Session, actor: Actor) -> list[Member]:
    authorize(actor, Role.admin)
    rows = session.execute(
        select(UserAccount, Membership)
        .join(Membership, Membership.account_id == UserAccount.id)
        .where(Membership.company_id == actor.company_id)
        .order_by(UserAccount.email)
    )
    return [_member(account, membership) for account, membership in rows]


def change_role(session: Session, actor: Actor, *, account_id: str, role: str) -> Member:
    """Gives the member ``role`` (admin, clerk or viewer: checked, since a face may pass on
    what it was sent)."""
    authorize(actor, Role.admin)
    if role not in Role.__members__:
        raise Invalid.fields([field_error("role", "must be admin, clerk or viewer")])
    account, membership = _membership(session, actor, account_id)
    if membership.role == Role.admin.name and role != Role.admin.name:
        _keep_an_admin(session, actor.company_id)
    if membership.role != role:
        before, membership.role = membership.role, role
        session.flush()
        audit.record(
            session, actor, "member.role_changed", "account", account_id, role=role, before=before
        )
    return _member(account, membership)


def remove_member(session: Session, actor: Actor, *, account_id: str) -> None:
    """Takes the person out of the company: their sessions there end at their next page."""
    authorize(actor, Role.admin)
    account, membership = _membership(session, actor, account_id)
    if membership.role == Role.admin.name:
        _keep_an_admin(session, actor.company_id)
    session.delete(membership)
    session.flush()
    audit.record(session, actor, "member.removed", "account", account_id, email=account.email)


def _membership(session: Session, actor: Actor, account_id: str) -> tuple[UserAccount, Membership]:
    # the company's row is locked first: two admins demoting each other wait in turn, and the
    # second finds the first's change (on SQLite the write transaction already holds it all)
    lock_one(session, Company, (actor.company_id,))
    membership = session.get(Membership, (actor.company_id, account_id))
    account = session.get(UserAccount, account_id) if membership is not None else None
    if membership is None or account is None:
        raise NotFound("member", account_id)
    return account, membership


def _keep_an_admin(session: Session, company_id: str) -> None:
    """Refuses a change that would leave the company without an admin."""
    admins = session.scalar(
        select(func.count())
        .select_from(Membership)
        .where(Membership.company_id == company_id, Membership.role == Role.admin.name)
    )
    if (admins or 0) <= 1:
        raise LastAdmin()


def _member(account: UserAccount, membership: Membership) -> Member:
    return Member(
        account_id=account.id,
        email=account.email,
        name=account.name,
        role=Role[membership.role],
        since=membership.created_at,
    )
