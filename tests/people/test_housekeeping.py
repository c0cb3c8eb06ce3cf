"""The worker's housekeeping deletes the sign-in tries, sessions and links that can no longer
be used, and keeps those that can."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from stockkeeper.core.db import Database
from stockkeeper.core.ids import new_id
from stockkeeper.core.settings import Settings
from stockkeeper.core.types import utcnow
from stockkeeper.people.models import OneTimeLink, SignInAttempt, WebSession
from stockkeeper.people.service.secrets import digest, new_token
from stockkeeper.tenancy.service import Role
from stockkeeper.worker import SignInHousekeeping
from tests.support import Tenant
from tests.web.conftest import make_person


def _session(account_id: str, company_id: str, **times: object) -> WebSession:
    return WebSession(
        id=new_id("sess"),
        token_digest=digest(new_token()),
        account_id=account_id,
        company_id=company_id,
        csrf_token=new_token(),
        **times,
    )


def _link(account_id: str, **times: object) -> OneTimeLink:
    now = utcnow()
    values: dict[str, object] = {"created_at": now, "expires_at": now + timedelta(hours=1)}
    values.update(times)
    return OneTimeLink(
        id=new_id("link"),
        token_digest=digest(new_token()),
        account_id=account_id,
        purpose="sign_in",
        **values,
    )


def _attempt(minutes_ago: int) -> SignInAttempt:
    at = utcnow() - timedelta(minutes=minutes_ago)
    return SignInAttempt(
        id=new_id("try"),
        email="x@example.com",
        address="192.0.2.1",
        attempted_at=at,
        succeeded=False,
    )


def test_housekeeping_deletes_what_can_no_longer_be_used(
    database: Database, settings: Settings, tenant: Tenant
) -> None:
    account = make_person(database, tenant.company_id, Role.clerk).account_id
    now, company = utcnow(), tenant.company_id
    kept: list[WebSession | OneTimeLink | SignInAttempt] = [
        _session(account, company),
        _link(account),
        _attempt(minutes_ago=29),  # still counted by the throttle
    ]
    gone: list[WebSession | OneTimeLink | SignInAttempt] = [
        _session(account, company, ended_at=now),
        _session(account, company, last_seen_at=now - timedelta(hours=9)),
        _session(account, company, created_at=now - timedelta(days=8), last_seen_at=now),
        _link(account, used_at=now),
        _link(account, expires_at=now - timedelta(seconds=1)),
        _attempt(minutes_ago=31),
    ]
    with database.unit_of_work() as session:
        session.add_all(kept + gone)
    ids = {row.id for row in kept}, {row.id for row in gone}
    assert SignInHousekeeping(database, settings).round() >= len(gone)
    with database.unit_of_work(write=False) as session:
        left = {
            *session.scalars(select(WebSession.id)),
            *session.scalars(select(OneTimeLink.id)),
            *session.scalars(select(SignInAttempt.id)),
        }
    assert ids[0] <= left and not ids[1] & left
