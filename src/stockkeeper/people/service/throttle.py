"""The throttle on signing in with a password: after 5 failures for one email within 15
minutes, or 20 from one address, further tries are refused for 15 minutes from the last
failure. Refused tries are not recorded (nor checked): a guesser cannot keep an account
locked longer than the 15 minutes that follow their last counted failure.

Asks for a password reset link are throttled the same way (every ask counts as a failure),
counted apart from sign-ins: asking for links never locks anyone out of signing in."""

from __future__ import annotations

import math
from datetime import datetime, timedelta
from typing import Literal

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from stockkeeper.core.ids import new_id
from stockkeeper.people.errors import TooManyAttempts, TooManyResetAsks
from stockkeeper.people.models import SignInAttempt

Purpose = Literal["sign_in", "reset"]

WINDOW = timedelta(minutes=15)
LOCKED_FOR = timedelta(minutes=15)
PER_EMAIL = 5
PER_ADDRESS = 20


def refuse_if_throttled(
    session: Session,
    *,
    email: str,
    address: str,
    now: datetime,
    take_turns: bool = True,
    purpose: Purpose = "sign_in",
) -> None:
    """Raises ``TooManyAttempts`` (with the seconds until the next try may be made) while
    the email or the address is locked out. Tries of one email or from one address take
    turns until their transaction ends, so that guesses sent at once are each counted
    before the next is judged (on SQLite, writers take turns already); a look without
    ``take_turns`` only spares the work of a try that would be refused anyway."""
    if take_turns and session.get_bind().dialect.name == "postgresql":
        for key in sorted({f"{purpose}:{email}", f"{purpose}:{address}"}):
            session.execute(select(func.pg_advisory_xact_lock(func.hashtext(key))))
    until = max(
        _locked_until(session, purpose, SignInAttempt.email == email, PER_EMAIL, now),
        _locked_until(session, purpose, SignInAttempt.address == address, PER_ADDRESS, now),
    )
    if until > now:
        seconds = math.ceil((until - now).total_seconds())
        raise TooManyAttempts(seconds) if purpose == "sign_in" else TooManyResetAsks(seconds)


def record_attempt(
    session: Session,
    *,
    email: str,
    address: str,
    now: datetime,
    succeeded: bool,
    purpose: Purpose = "sign_in",
) -> None:
    session.add(
        SignInAttempt(
            id=new_id("try"),
            email=email,
            address=address,
            attempted_at=now,
            succeeded=succeeded,
            purpose=purpose,
        )
    )
    session.flush()


def _locked_until(
    session: Session, purpose: Purpose, whose: ColumnElement[bool], limit: int, now: datetime
) -> datetime:
    """When the lock-out that the latest failures started ends (in the past if none did):
    the last failure, if it and the ``limit - 1`` before it fell within one window, locks
    until a window after it."""
    failures = list(
        session.scalars(
            select(SignInAttempt.attempted_at)
            .where(
                whose,
                SignInAttempt.purpose == purpose,
                SignInAttempt.succeeded.is_(False),
                SignInAttempt.attempted_at > now - WINDOW - LOCKED_FOR,
            )
            .order_by(SignInAttempt.attempted_at.desc())
            .limit(limit)
        )
    )
    if len(failures) < limit or failures[0] - failures[-1] > WINDOW:
        return now - LOCKED_FOR
    return failures[0] + LOCKED_FOR
