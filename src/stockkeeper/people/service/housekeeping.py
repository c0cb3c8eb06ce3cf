"""Deleting what signing in leaves behind once it says nothing any more: tries older than the
throttle looks back, sessions ended or past their timeouts, links used or expired. These are
not the ledger's rows (which are never deleted): only the means of signing in."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import delete, or_
from sqlalchemy.orm import Session

from stockkeeper.core.types import utcnow
from stockkeeper.people.models import OneTimeLink, SignInAttempt, WebSession
from stockkeeper.people.service.throttle import LOCKED_FOR, WINDOW


@dataclass(frozen=True)
class Purged:
    attempts: int
    sessions: int
    links: int


def purge_expired(session: Session, *, idle: timedelta, lifetime: timedelta) -> Purged:
    """Deletes the tries the throttle no longer counts, the sessions that can no longer be
    used (ended, idle longer than ``idle``, older than ``lifetime``) and the spent links."""
    now = utcnow()
    attempts = session.execute(
        delete(SignInAttempt).where(SignInAttempt.attempted_at < now - WINDOW - LOCKED_FOR)
    )
    sessions = session.execute(
        delete(WebSession).where(
            or_(
                WebSession.ended_at.is_not(None),
                WebSession.last_seen_at < now - idle,
                WebSession.created_at < now - lifetime,
            )
        )
    )
    links = session.execute(
        delete(OneTimeLink).where(
            or_(OneTimeLink.used_at.is_not(None), OneTimeLink.expires_at < now)
        )
    )
    return Purged(
        attempts.rowcount,  # type: ignore[attr-defined]
        sessions.rowcount,  # type: ignore[attr-defined]
        links.rowcount,  # type: ignore[attr-defined]
    )
