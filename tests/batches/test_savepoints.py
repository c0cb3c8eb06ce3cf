"""What a document of a batch announces is undone with its savepoint, and only that: a stock
level announced again (under its key) by a document that is then refused is announced as the
documents before it left it."""

from __future__ import annotations

import contextlib

from sqlalchemy.orm import Session

from stockkeeper.core import outbox
from tests.support import Tenant

KEY = ("level", "item", "", "loc")


def _levels(session: Session) -> list[object]:
    return [m["data"]["object"] for m in outbox.pending(session) if m["event"] == "inventory.level"]


def test_an_event_replaced_in_a_savepoint_that_rolls_back_stands_again(
    session: Session, tenant: Tenant
) -> None:
    company = tenant.company_id
    with session.begin_nested():  # a first document, kept
        outbox.emit(session, company, "inventory.level", {"onHand": 1}, key=KEY)
    with contextlib.suppress(RuntimeError), session.begin_nested():  # a second, refused
        outbox.emit(session, company, "inventory.level", {"onHand": 2}, key=KEY)
        outbox.emit(session, company, "inventory.issue", {"id": "iss_refused"})
        raise RuntimeError
    assert _levels(session) == [{"onHand": 1}]
    assert [m["event"] for m in outbox.pending(session)] == ["inventory.level"]
    with session.begin_nested():  # a third, kept: its figures replace the first's
        outbox.emit(session, company, "inventory.level", {"onHand": 3}, key=KEY)
    assert _levels(session) == [{"onHand": 3}]
    with contextlib.suppress(RuntimeError), session.begin_nested():
        with session.begin_nested():
            outbox.emit(session, company, "inventory.level", {"onHand": 4}, key=KEY)
        raise RuntimeError  # the outer savepoint rolls back, the inner one with it
    assert _levels(session) == [{"onHand": 3}]
