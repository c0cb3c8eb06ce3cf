"""One-time links: a token, kept as its digest, that sets a password or signs in once."""

from __future__ import annotations

from datetime import timedelta
from typing import Literal

from sqlalchemy import ColumnElement, select, update
from sqlalchemy.orm import Session

from stockkeeper.core.ids import new_id
from stockkeeper.core.types import utcnow
from stockkeeper.people.errors import LinkNotValid
from stockkeeper.people.models import OneTimeLink
from stockkeeper.people.service.secrets import digest, new_token

Purpose = Literal["set_password", "sign_in"]

RESET_LINK_LIFETIME = timedelta(hours=1)
SIGN_IN_LINK_LIFETIME = timedelta(hours=1)


def issue_link(session: Session, *, account_id: str, purpose: Purpose, lifetime: timedelta) -> str:
    """A new link's token: shown once (printed or emailed), never stored."""
    token = new_token()
    now = utcnow()
    session.add(
        OneTimeLink(
            id=new_id("link"),
            token_digest=digest(token),
            account_id=account_id,
            purpose=purpose,
            created_at=now,
            expires_at=now + lifetime,
        )
    )
    session.flush()
    return token


def link_account(session: Session, *, token: str, purpose: Purpose) -> str:
    """The account of a link that may still be used (a form is shown for it): refused as
    ``LinkNotValid`` otherwise."""
    account_id = session.scalar(select(OneTimeLink.account_id).where(*_usable(token, purpose)))
    if account_id is None:
        raise LinkNotValid()
    return account_id


def use_link(session: Session, *, token: str, purpose: Purpose) -> str:
    """Spends the link and gives its account. One conditional update decides, so of two
    requests racing with the same link one wins and the other is refused."""
    account_id = link_account(session, token=token, purpose=purpose)
    spent = session.execute(
        update(OneTimeLink).where(*_usable(token, purpose)).values(used_at=utcnow())
    )
    if spent.rowcount != 1:  # type: ignore[attr-defined]
        raise LinkNotValid()
    return account_id


def spend_links(session: Session, *, account_id: str, purpose: Purpose) -> None:
    """Spends every link of the account for ``purpose`` that could still be used."""
    session.execute(
        update(OneTimeLink)
        .where(
            OneTimeLink.account_id == account_id,
            OneTimeLink.purpose == purpose,
            OneTimeLink.used_at.is_(None),
        )
        .values(used_at=utcnow())
    )


def _usable(token: str, purpose: Purpose) -> tuple[ColumnElement[bool], ...]:
    return (
        OneTimeLink.token_digest == digest(token),
        OneTimeLink.purpose == purpose,
        OneTimeLink.used_at.is_(None),
        OneTimeLink.expires_at > utcnow(),
    )
