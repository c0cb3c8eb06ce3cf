"""The API key use cases through the service layer alone (no HTTP), on both engines: keys
made, listed and revoked with their audit rows, and who may act with them."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from stockkeeper.core.audit import AuditEvent
from stockkeeper.core.errors import DomainError, NotFound
from stockkeeper.tenancy import errors
from stockkeeper.tenancy.service import (
    Actor,
    NewApiKey,
    Role,
    authorize,
    create_api_key,
    identify,
    list_api_keys,
    revoke_api_key,
)
from tests.support import Tenant


@pytest.fixture
def actor(tenant: Tenant) -> Actor:
    return tenant.actor


def _audit(session: Session, actor: Actor, entity_id: str) -> list[tuple[Any, ...]]:
    a = AuditEvent
    rows = session.execute(
        select(a.action, a.actor_key_id, a.actor_name, a.details)
        .where(a.company_id == actor.company_id, a.entity_id == entity_id)
        .order_by(a.occurred_at, a.id)
    )
    return [tuple(row) for row in rows]


def test_a_key_is_made_shown_once_listed_and_revoked_with_audit_rows(
    session: Session, actor: Actor
) -> None:
    key, token = create_api_key(session, actor, key=NewApiKey(role="clerk", name="scanner"))
    assert token.startswith("sk_") and key.prefix == token[:10] and token not in key.key_hash
    assert key.id in [k.id for k in list_api_keys(session, actor)]
    acting = identify(session, token=token, company_id=actor.company_id)
    assert (acting.key_id, acting.name, acting.role) == (key.id, "scanner", Role.clerk)

    revoked = revoke_api_key(session, actor, key_id=key.id)
    assert revoked.revoked_at is not None
    revoke_api_key(session, actor, key_id=key.id)  # revoked already: nothing changes
    assert _audit(session, actor, key.id) == [
        ("api_key.created", actor.key_id, actor.name, {"name": "scanner", "role": "clerk"}),
        ("api_key.revoked", actor.key_id, actor.name, {"name": "scanner"}),
    ]
    with pytest.raises(errors.InvalidApiKey):
        identify(session, token=token, company_id=actor.company_id)


def test_the_command_line_acts_for_the_company_with_no_key(session: Session, actor: Actor) -> None:
    cli = Actor.system(actor.company_id, "cli")
    assert (cli.key_id, cli.name, cli.role) == (None, "cli", Role.admin)
    key, _ = create_api_key(session, cli, key=NewApiKey(role="viewer"))
    assert key.name == "viewer"  # a key with no name is called by its role
    assert _audit(session, actor, key.id) == [
        ("api_key.created", None, "cli", {"name": "viewer", "role": "viewer"})
    ]


def test_unknown_keys_and_companies_are_not_found(session: Session, actor: Actor) -> None:
    with pytest.raises(NotFound) as missing:
        revoke_api_key(session, actor, key_id="key_missing")
    assert missing.value.code == "api_key_not_found"
    with pytest.raises(NotFound) as nowhere:
        create_api_key(session, Actor.system("comp_missing", "cli"), key=NewApiKey(role="admin"))
    assert nowhere.value.code == "company_not_found"


@pytest.mark.parametrize(
    ("token", "company", "refused"),
    [
        (None, "mine", errors.MissingApiKey),
        ("sk_not_a_real_key", "mine", errors.InvalidApiKey),
        ("real", "", errors.MissingCompanyId),
        ("real", "comp_someone_else", errors.WrongCompany),
    ],
)
def test_who_may_act_is_refused_with_a_code_each(
    session: Session,
    actor: Actor,
    token: str | None,
    company: str,
    refused: type[DomainError],
) -> None:
    _, real = create_api_key(session, actor, key=NewApiKey(role="viewer"))
    sent = real if token == "real" else token
    with pytest.raises(refused):
        identify(session, token=sent, company_id=actor.company_id if company == "mine" else company)


def test_a_weaker_role_is_refused_naming_both(actor: Actor) -> None:
    viewer = Actor(actor.company_id, "key_x", "viewer", Role.viewer)
    assert authorize(viewer, Role.viewer) is viewer
    with pytest.raises(errors.RoleTooWeak) as weak:
        authorize(viewer, Role.admin)
    assert (weak.value.code, weak.value.detail) == (
        "role_too_weak",
        "this needs the admin role; the key has viewer",
    )
