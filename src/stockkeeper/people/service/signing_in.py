"""Signing in and out: a password (throttled) or a one-time link starts a web session; the
session is found again by its cookie's token, for as long as it is in use.

A wrong password is answered with a value, ``Refused``, not an exception: the failed attempt
it recorded must be kept (the throttle counts it), and the face's unit of work commits what a
use case returns and rolls back what raises. A throttled try raises ``TooManyAttempts`` and
records nothing."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, select, update
from sqlalchemy.orm import Session

from stockkeeper.core.errors import DomainError
from stockkeeper.core.ids import new_id
from stockkeeper.core.types import utcnow
from stockkeeper.people.errors import LinkNotValid, NotAMember, WrongPassword
from stockkeeper.people.models import Membership, UserAccount, WebSession
from stockkeeper.people.service.accounts import find_account, normal_email
from stockkeeper.people.service.links import (
    RESET_LINK_LIFETIME,
    issue_link,
    spend_links,
    use_link,
)
from stockkeeper.people.service.secrets import (
    digest,
    hash_password,
    needs_rehash,
    new_token,
    password_matches,
)
from stockkeeper.people.service.throttle import record_attempt, refuse_if_throttled


@dataclass(frozen=True)
class SignedIn:
    """A new session: its token goes into the cookie, and is not kept."""

    token: str
    session_id: str


@dataclass(frozen=True)
class Refused:
    error: DomainError


@dataclass(frozen=True)
class PasswordCheck:
    """What checking a password found: made in a read transaction (the Argon2 hash takes
    ~50 ms, too long to hold the writers' turn), then recorded by ``record_sign_in``."""

    email: str
    address: str
    account_id: str | None
    checked_hash: str | None  # the hash the password was checked against
    matches: bool
    rehashed: str | None  # a new hash, when the old one's parameters are out of date


def check_password(session: Session, *, email: str, password: str, address: str) -> PasswordCheck:
    """Checks the password of the account of ``email``, writing nothing. A try that would be
    throttled is refused at once (``TooManyAttempts``), without the hash's work."""
    email = normal_email(email)[:254]
    refuse_if_throttled(session, email=email, address=address, now=utcnow(), take_turns=False)
    account = find_account(session, email)
    stored = account.password_hash if account is not None else None
    matches = password_matches(stored, password)
    rehashed = hash_password(password) if matches and stored and needs_rehash(stored) else None
    account_id = account.id if account is not None else None
    return PasswordCheck(email, address, account_id, stored, matches, rehashed)


def record_sign_in(
    session: Session, check: PasswordCheck, *, replaces: str | None = None
) -> SignedIn | Refused:
    """Records the try that ``check`` found, in a short write transaction, and starts a
    session when it succeeded (ending the browser's old one, ``replaces``). The throttle is
    judged again here, in turn with the other tries of the email and the address, so that
    guesses checked at once are each counted."""
    now = utcnow()
    refuse_if_throttled(session, email=check.email, address=check.address, now=now)
    account = session.get(UserAccount, check.account_id) if check.account_id else None
    # a password changed since it was checked: the check no longer says anything
    matches = check.matches and account is not None and account.password_hash == check.checked_hash
    usable = (
        account is not None and account.disabled_at is None and _first_company(session, account)
    )
    succeeded = matches and bool(usable)
    record_attempt(session, email=check.email, address=check.address, now=now, succeeded=succeeded)
    if account is None or not succeeded:
        return Refused(WrongPassword())
    if check.rehashed is not None:
        account.password_hash = check.rehashed
    return start_session(session, account, replaces=replaces)


def sign_in(session: Session, *, email: str, password: str, address: str) -> SignedIn | Refused:
    """Both steps in the caller's one transaction (the web's sign-in takes them apart)."""
    return record_sign_in(
        session, check_password(session, email=email, password=password, address=address)
    )


def start_session(
    session: Session,
    account: UserAccount,
    company_id: str | None = None,
    *,
    replaces: str | None = None,
) -> SignedIn:
    """A session for ``account`` in ``company_id``, or its first company. The browser's old
    session (the token ``replaces``, whoever's it was) ends: one browser, one session."""
    company_id = company_id or _first_company(session, account)
    if company_id is None or account.disabled_at is not None:
        raise NotAMember()
    if replaces:
        _end_sessions(session, WebSession.token_digest == digest(replaces))
    token = new_token()
    row = WebSession(
        id=new_id("sess"),
        token_digest=digest(token),
        account_id=account.id,
        company_id=company_id,
        csrf_token=new_token(),
    )
    session.add(row)
    session.flush()
    return SignedIn(token, row.id)


def _first_company(session: Session, account: UserAccount) -> str | None:
    return session.scalar(
        select(Membership.company_id)
        .where(Membership.account_id == account.id)
        .order_by(Membership.created_at, Membership.company_id)
        .limit(1)
    )


def sign_out(session: Session, *, session_id: str) -> None:
    _end_sessions(session, WebSession.id == session_id)


def set_password_with_link(
    session: Session, *, token: str, password: str, replaces: str | None = None
) -> SignedIn:
    """Sets the password of the link's account (checked before the link is spent, so that a
    password too short leaves the link usable) and signs in. The account's other sessions
    and links to set a password end with the old password: whoever held one of them may be
    why it was changed."""
    password_hash = hash_password(password)
    account = _account(session, use_link(session, token=token, purpose="set_password"))
    account.password_hash = password_hash
    _end_sessions(session, WebSession.account_id == account.id)
    spend_links(session, account_id=account.id, purpose="set_password")
    return start_session(session, account, replaces=replaces)


def _end_sessions(session: Session, which: ColumnElement[bool]) -> None:
    session.execute(
        update(WebSession).where(which, WebSession.ended_at.is_(None)).values(ended_at=utcnow())
    )


def sign_in_with_link(session: Session, *, token: str, replaces: str | None = None) -> SignedIn:
    account = _account(session, use_link(session, token=token, purpose="sign_in"))
    return start_session(session, account, replaces=replaces)


def ask_for_reset(session: Session, *, email: str, address: str) -> str:
    """Records an ask for a link to set a new password, throttled like signing in
    (``TooManyResetAsks``), whether or not an account has the email: the answer, and the
    work done before it, are the same for any email. Gives the email as kept; the link is
    made and sent after the answer (``reset_link``)."""
    email, now = normal_email(email)[:254], utcnow()
    refuse_if_throttled(session, email=email, address=address, now=now, purpose="reset")
    record_attempt(session, email=email, address=address, now=now, succeeded=False, purpose="reset")
    return email


def reset_link(session: Session, *, email: str) -> tuple[UserAccount, str] | None:
    """A link to set a new password, for the account of ``email`` (None if there is none, or
    it is disabled: the face answers the same either way)."""
    account = find_account(session, email)
    if account is None or account.disabled_at is not None:
        return None
    token = issue_link(
        session, account_id=account.id, purpose="set_password", lifetime=RESET_LINK_LIFETIME
    )
    return account, token


def _account(session: Session, account_id: str) -> UserAccount:
    account = session.get(UserAccount, account_id)
    if account is None or account.disabled_at is not None:
        raise LinkNotValid()
    return account
