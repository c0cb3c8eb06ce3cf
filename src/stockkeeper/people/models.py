"""The people slice's tables. ``account`` is the one table shared by companies (a reference
table when distributed); sessions, links and sign-in attempts belong to an account or an
address, not to a company, so they are keyed by their own ids; memberships carry the
company first in their key, like every company table."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from stockkeeper.core.db import Base, company_key
from stockkeeper.core.ids import ID_LENGTH
from stockkeeper.core.types import UTCDateTime, utcnow

EMAIL_LENGTH = 254


class UserAccount(Base):
    """A person: one account whatever the companies they work for."""

    __tablename__ = "user_account"  # "account" is the chart of accounts

    id: Mapped[str] = mapped_column(String(ID_LENGTH), primary_key=True)
    email: Mapped[str] = mapped_column(String(EMAIL_LENGTH), unique=True)  # lowercased
    name: Mapped[str] = mapped_column(String(200))
    # Argon2id; null until the person sets a password through a one-time link
    password_hash: Mapped[str | None] = mapped_column(String(200), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    disabled_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class Membership(Base):
    """A person's role in one company (the roles of API keys)."""

    __tablename__ = "membership"
    __table_args__ = (Index("ix_membership_account_id", "account_id"),)

    company_id: Mapped[str] = company_key(cascade=True)
    account_id: Mapped[str] = mapped_column(
        String(ID_LENGTH), ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True
    )
    role: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class WebSession(Base):
    """A signed-in browser: the cookie's token is kept only as its SHA-256 digest."""

    __tablename__ = "web_session"
    __table_args__ = (Index("ix_web_session_account_id", "account_id"),)

    id: Mapped[str] = mapped_column(String(ID_LENGTH), primary_key=True)
    token_digest: Mapped[str] = mapped_column(String(64), unique=True)
    account_id: Mapped[str] = mapped_column(
        String(ID_LENGTH), ForeignKey("user_account.id", ondelete="CASCADE")
    )
    # the company the person is working in now (one of their memberships)
    company_id: Mapped[str] = mapped_column(String(ID_LENGTH))
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class OneTimeLink(Base):
    """A link that sets a password or signs in, once, before it expires."""

    __tablename__ = "one_time_link"
    __table_args__ = (Index("ix_one_time_link_account_id", "account_id"),)

    id: Mapped[str] = mapped_column(String(ID_LENGTH), primary_key=True)
    token_digest: Mapped[str] = mapped_column(String(64), unique=True)
    account_id: Mapped[str] = mapped_column(
        String(ID_LENGTH), ForeignKey("user_account.id", ondelete="CASCADE")
    )
    purpose: Mapped[str] = mapped_column(String(16))  # set_password | sign_in
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class SignInAttempt(Base):
    """One try at signing in with a password (or one ask for a reset link), kept to throttle
    guessing (per email and per address); the email is kept whether or not an account has it."""

    __tablename__ = "sign_in_attempt"
    __table_args__ = (
        Index("ix_sign_in_attempt_email_attempted_at", "email", "attempted_at"),
        Index("ix_sign_in_attempt_address_attempted_at", "address", "attempted_at"),
    )

    id: Mapped[str] = mapped_column(String(ID_LENGTH), primary_key=True)
    email: Mapped[str] = mapped_column(String(EMAIL_LENGTH))
    address: Mapped[str] = mapped_column(String(64))
    attempted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    succeeded: Mapped[bool] = mapped_column(Boolean)
    # sign_in | reset (an ask for a link to set a password): throttled alike, counted apart
    purpose: Mapped[str] = mapped_column(String(16), default="sign_in", server_default="sign_in")
