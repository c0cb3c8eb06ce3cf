"""The people slice through its services alone: the throttle, sessions and their idle
timeout, one-time links, the last admin, and audit rows that name the person."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from stockkeeper.core import clock
from stockkeeper.core.audit import AuditEvent
from stockkeeper.core.db import Database
from stockkeeper.core.errors import Duplicate, Invalid
from stockkeeper.core.types import utcnow
from stockkeeper.people.errors import LastAdmin, LinkNotValid, NotAMember, TooManyAttempts
from stockkeeper.people.models import Membership, SignInAttempt, UserAccount
from stockkeeper.people.service.accounts import (
    NewMember,
    add_member,
    change_role,
    list_members,
    person_actor,
    remove_member,
)
from stockkeeper.people.service.links import issue_link, use_link
from stockkeeper.people.service.signing_in import (
    Refused,
    SignedIn,
    reset_link,
    set_password_with_link,
    sign_in,
    sign_in_with_link,
    sign_out,
)
from stockkeeper.people.service.visits import find_visit, switch_company, touch
from stockkeeper.stock.service.provisioning import provision_company
from stockkeeper.tenancy.service import Actor, Role
from tests.support import Tenant, unique

PASSWORD = "a long enough password"
IDLE = timedelta(hours=8)


def _person(
    session: Session, company_id: str, role: str = "clerk", domain: str = "example.com"
) -> tuple[str, str]:
    """A member with a password: (account id, email)."""
    email = f"{unique('p')}@{domain}"
    added = add_member(
        session, Actor.system(company_id, "setup"), member=NewMember(email=email, role=role)
    )
    assert added.link_token is not None
    set_password_with_link(session, token=added.link_token, password=PASSWORD)
    return added.member.account_id, email


def _address() -> str:
    return f"192.0.2.{unique('a')}"


def test_a_person_signs_in_with_their_password_whatever_the_case_of_the_email(
    session: Session, tenant: Tenant
) -> None:
    account_id, email = _person(session, tenant.company_id)
    signed = sign_in(session, email=email.upper(), password=PASSWORD, address=_address())
    assert isinstance(signed, SignedIn)
    visit = find_visit(session, token=signed.token, idle=IDLE)
    assert visit is not None
    assert visit.actor == Actor(tenant.company_id, None, email, Role.clerk, account_id)


def test_five_failures_lock_the_email_for_fifteen_minutes_and_are_kept(
    session: Session, tenant: Tenant
) -> None:
    _, email = _person(session, tenant.company_id)
    for _ in range(5):  # from a new address each time: the email alone counts
        refused = sign_in(session, email=email, password="wrong!", address=_address())
        assert isinstance(refused, Refused)
    with pytest.raises(TooManyAttempts) as locked:
        sign_in(session, email=email, password=PASSWORD, address=_address())
    assert 890 <= locked.value.retry_after <= 900
    kept = session.scalars(select(SignInAttempt).where(SignInAttempt.email == email)).all()
    assert [a.succeeded for a in kept] == [False] * 5  # the refused sixth is not recorded
    with clock.moved(timedelta(minutes=14)), pytest.raises(TooManyAttempts):
        sign_in(session, email=email, password=PASSWORD, address=_address())
    with clock.moved(timedelta(minutes=15, seconds=1)):
        assert isinstance(
            sign_in(session, email=email, password=PASSWORD, address=_address()), SignedIn
        )


def test_guesses_sent_at_once_are_each_counted_before_the_next_is_judged(
    database: Database, tenant: Tenant
) -> None:
    with database.unit_of_work() as setup:
        _, email = _person(setup, tenant.company_id)
    guesses = 10
    together = threading.Barrier(guesses)
    outcomes: list[str] = []

    def guess() -> None:
        together.wait()
        try:
            with database.unit_of_work() as session:
                refused = sign_in(session, email=email, password="wrong!", address=_address())
                outcomes.append(type(refused).__name__)
        except TooManyAttempts:
            outcomes.append("locked")

    threads = [threading.Thread(target=guess) for _ in range(guesses)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["Refused"] * 5 + ["locked"] * 5
    with database.unit_of_work(write=False) as session:
        kept = session.scalars(select(SignInAttempt).where(SignInAttempt.email == email)).all()
    assert len(kept) == 5


def test_failures_spread_over_more_than_fifteen_minutes_lock_nothing(
    session: Session, tenant: Tenant
) -> None:
    _, email = _person(session, tenant.company_id)
    for minute in range(5):
        with clock.moved(timedelta(minutes=4 * minute)):
            sign_in(session, email=email, password="wrong!", address=_address())
    with clock.moved(timedelta(minutes=16)):
        assert isinstance(
            sign_in(session, email=email, password=PASSWORD, address=_address()), SignedIn
        )


def test_twenty_failures_lock_the_address_whatever_the_emails(
    session: Session, tenant: Tenant
) -> None:
    address = _address()
    for n in range(20):
        sign_in(session, email=f"guess{n}@example.com", password="wrong!", address=address)
    _, email = _person(session, tenant.company_id)
    with pytest.raises(TooManyAttempts):
        sign_in(session, email=email, password=PASSWORD, address=address)
    assert isinstance(
        sign_in(session, email=email, password=PASSWORD, address=_address()), SignedIn
    )


def test_a_session_ends_after_eight_idle_hours_and_at_sign_out(
    session: Session, tenant: Tenant
) -> None:
    _, email = _person(session, tenant.company_id)
    signed = sign_in(session, email=email, password=PASSWORD, address=_address())
    assert isinstance(signed, SignedIn)
    with clock.moved(timedelta(hours=7, minutes=59)):
        visit = find_visit(session, token=signed.token, idle=IDLE)
        assert visit is not None and visit.needs_touch
        touch(session, session_id=visit.session_id)
    with clock.moved(timedelta(hours=15)):  # seven hours after the touch
        assert find_visit(session, token=signed.token, idle=IDLE) is not None
    with clock.moved(timedelta(hours=16, minutes=1)):
        assert find_visit(session, token=signed.token, idle=IDLE) is None
    sign_out(session, session_id=signed.session_id)
    assert find_visit(session, token=signed.token, idle=IDLE) is None
    assert find_visit(session, token="made-up", idle=IDLE) is None


def test_a_link_is_used_once_and_not_after_it_expires(session: Session, tenant: Tenant) -> None:
    account_id, _ = _person(session, tenant.company_id)
    token = issue_link(
        session, account_id=account_id, purpose="sign_in", lifetime=timedelta(hours=1)
    )
    with pytest.raises(LinkNotValid):  # a link for one purpose does not do another
        use_link(session, token=token, purpose="set_password")
    assert isinstance(sign_in_with_link(session, token=token), SignedIn)
    with pytest.raises(LinkNotValid):
        sign_in_with_link(session, token=token)
    late = issue_link(
        session, account_id=account_id, purpose="sign_in", lifetime=timedelta(hours=1)
    )
    with clock.moved(timedelta(hours=1, seconds=1)), pytest.raises(LinkNotValid):
        sign_in_with_link(session, token=late)


def test_a_new_password_ends_the_other_sessions_and_reset_links(
    session: Session, tenant: Tenant
) -> None:
    _, email = _person(session, tenant.company_id)
    elsewhere = sign_in(session, email=email, password=PASSWORD, address=_address())
    assert isinstance(elsewhere, SignedIn)
    first, second = (reset_link(session, email=email) for _ in range(2))
    assert first is not None and second is not None
    signed = set_password_with_link(session, token=second[1], password="another long password")
    assert find_visit(session, token=elsewhere.token, idle=IDLE) is None
    assert find_visit(session, token=signed.token, idle=IDLE) is not None
    with pytest.raises(LinkNotValid):
        set_password_with_link(session, token=first[1], password="a third long password")


def test_a_password_too_short_leaves_the_link_usable(session: Session, tenant: Tenant) -> None:
    added = add_member(
        session,
        Actor.system(tenant.company_id, "setup"),
        member=NewMember(email=f"{unique('n')}@example.com", role="viewer"),
    )
    assert added.link_token is not None
    with pytest.raises(Invalid) as short:
        set_password_with_link(session, token=added.link_token, password="short")
    assert short.value.errors[0].field == "password"
    assert isinstance(
        set_password_with_link(session, token=added.link_token, password=PASSWORD), SignedIn
    )


def test_the_last_admin_can_be_neither_demoted_nor_removed(
    session: Session, tenant: Tenant
) -> None:
    first, _ = _person(session, tenant.company_id, "admin")
    setup = Actor.system(tenant.company_id, "setup")
    with pytest.raises(LastAdmin):
        change_role(session, setup, account_id=first, role="clerk")
    with pytest.raises(LastAdmin):
        remove_member(session, setup, account_id=first)
    second, _ = _person(session, tenant.company_id, "admin")
    assert change_role(session, setup, account_id=first, role="viewer").role is Role.viewer
    with pytest.raises(LastAdmin):
        remove_member(session, setup, account_id=second)
    with pytest.raises(Invalid):
        change_role(session, setup, account_id=first, role="owner")


def test_members_are_an_admins_and_an_email_joins_once(session: Session, tenant: Tenant) -> None:
    clerk_id, email = _person(session, tenant.company_id)
    clerk = person_actor(
        session.get_one(UserAccount, clerk_id),
        session.get_one(Membership, (tenant.company_id, clerk_id)),
    )
    with pytest.raises(Exception, match="admin"):
        list_members(session, clerk)
    setup = Actor.system(tenant.company_id, "setup")
    assert [(m.email, m.role) for m in list_members(session, setup)] == [(email, Role.clerk)]
    with pytest.raises(Duplicate):
        add_member(
            session,
            Actor.system(tenant.company_id, "x"),
            member=NewMember(email=email.upper(), role="viewer"),
        )


@pytest.mark.parametrize("long", [False, True])
def test_audit_rows_name_the_person_who_acted(session: Session, tenant: Tenant, long: bool) -> None:
    # an email longer than the 100 characters that audit rows keep of who acted
    domain = f"{'x' * 60}.{'y' * 50}.example.com" if long else "example.com"
    admin_id, admin_email = _person(session, tenant.company_id, "admin", domain)
    admin = person_actor(
        session.get_one(UserAccount, admin_id),
        session.get_one(Membership, (tenant.company_id, admin_id)),
    )
    added = add_member(
        session, admin, member=NewMember(email=f"{unique('n')}@example.com", role="viewer")
    )
    session.flush()
    row = session.scalars(
        select(AuditEvent).where(
            AuditEvent.company_id == tenant.company_id,
            AuditEvent.entity_id == added.member.account_id,
        )
    ).one()
    assert (row.action, row.actor_account_id, row.actor_name, row.actor_key_id) == (
        "member.added",
        admin_id,
        admin_email[:100],
        None,
    )


def test_a_person_of_two_companies_switches_between_them(session: Session, tenant: Tenant) -> None:
    account_id, email = _person(session, tenant.company_id)
    other = provision_company(session, name=unique("Other"), currency="MYR")
    add_member(
        session, Actor.system(other.id, "setup"), member=NewMember(email=email, role="viewer")
    )
    signed = sign_in(session, email=email, password=PASSWORD, address=_address())
    assert isinstance(signed, SignedIn)
    visit = find_visit(session, token=signed.token, idle=IDLE)
    assert visit is not None and {c.id for c in visit.companies} == {tenant.company_id, other.id}
    switch_company(session, visit, company_id=other.id)
    moved = find_visit(session, token=signed.token, idle=IDLE)
    assert moved is not None and (moved.actor.company_id, moved.actor.role) == (
        other.id,
        Role.viewer,
    )
    with pytest.raises(NotAMember):
        switch_company(session, moved, company_id="comp_nobody")
    remove_member(session, Actor.system(other.id, "setup"), account_id=account_id)
    back = find_visit(session, token=signed.token, idle=IDLE)
    assert back is not None and back.actor.company_id == tenant.company_id  # taken out: back home


def test_a_disabled_account_neither_signs_in_nor_keeps_its_sessions(
    session: Session, tenant: Tenant
) -> None:
    account_id, email = _person(session, tenant.company_id)
    signed = sign_in(session, email=email, password=PASSWORD, address=_address())
    assert isinstance(signed, SignedIn)
    session.get_one(UserAccount, account_id).disabled_at = utcnow()
    session.flush()
    assert find_visit(session, token=signed.token, idle=IDLE) is None
    refused = sign_in(session, email=email, password=PASSWORD, address=_address())
    assert isinstance(refused, Refused) and refused.error.code == "wrong_email_or_password"
