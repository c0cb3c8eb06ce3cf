"""Editing a draft transfer through the service alone, on both engines: its content replaced
(ends, date, lines), checked as a new draft's is, recorded and announced; any other status
refuses it."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from stockkeeper.core import outbox
from stockkeeper.core.audit import AuditEvent
from stockkeeper.core.errors import IllegalTransition, UnknownReference
from stockkeeper.stock.errors import ItemCannotMove
from stockkeeper.tenancy.service import Actor
from stockkeeper.transfers import service
from stockkeeper.transfers.values import NewTransfer, StatusChange, TransferContent
from tests.factories import new_item, new_location
from tests.support import Tenant, as_json


@pytest.fixture
def actor(tenant: Tenant) -> Actor:
    return tenant.actor


def _content(source: str, to: str, *lines: tuple[str, int], **more: Any) -> dict[str, Any]:
    items = [{"item_id": item, "quantity": quantity} for item, quantity in lines]
    return {"from_location_id": source, "to_location_id": to, "items": items, **more}


def _draft(session: Session, actor: Actor, source: str, to: str, item: str) -> str:
    values = NewTransfer.model_validate(_content(source, to, (item, 1), status="draft"))
    return service.create_transfer(session, actor, transfer=values).transfer.id


def test_a_draft_s_content_is_replaced_recorded_and_announced(
    session: Session, actor: Actor
) -> None:
    first, second, third = (new_location(session, actor) for _ in range(3))
    item, other = new_item(session, actor), new_item(session, actor)
    ident = _draft(session, actor, first, second, item)
    content = TransferContent.model_validate(
        _content(third, first, (other, 5), (item, 2), date="2026-01-15", reference="R-2")
    )
    view = service.update_transfer(session, actor, transfer_id=ident, content=content)
    data = view.data
    assert (data["fromLocationId"], data["toLocationId"]) == (third, first)
    assert (data["date"], data["reference"], data["status"]) == (
        dt.date(2026, 1, 15),
        "R-2",
        "draft",
    )
    assert [(line["itemId"], line["quantityRequested"]) for line in data["items"]] == [
        (other, Decimal(5)),
        (item, Decimal(2)),
    ]
    assert service.get_transfer(session, actor, transfer_id=ident).data == data
    announced = [m["data"]["object"] for m in outbox.pending(session)]
    assert announced[-1] == as_json(data)
    actions = session.scalars(select(AuditEvent.action).where(AuditEvent.entity_id == ident))
    assert list(actions) == ["transfer.drafted", "transfer.edited"]


def test_only_a_draft_is_edited_and_a_refused_edit_changes_nothing(
    session: Session, actor: Actor
) -> None:
    source, to = new_location(session, actor), new_location(session, actor)
    item = new_item(session, actor)
    ident = _draft(session, actor, source, to, item)
    before = service.get_transfer(session, actor, transfer_id=ident).data
    unknown = TransferContent.model_validate(_content(source, "loc_nope", (item, 3)))
    with pytest.raises(UnknownReference), session.begin_nested():
        service.update_transfer(session, actor, transfer_id=ident, content=unknown)
    service_item = new_item(session, actor, type="service")
    content = TransferContent.model_validate(_content(source, to, (service_item, 1)))
    with pytest.raises(ItemCannotMove), session.begin_nested():
        service.update_transfer(session, actor, transfer_id=ident, content=content)
    assert service.get_transfer(session, actor, transfer_id=ident).data == before
    cancel = StatusChange(status="cancelled")
    service.change_transfer_status(session, actor, transfer_id=ident, change=cancel)
    content = TransferContent.model_validate(_content(source, to, (item, 3)))
    with pytest.raises(IllegalTransition) as refused:
        service.update_transfer(session, actor, transfer_id=ident, content=content)
    assert "a cancelled transfer cannot be edited" in refused.value.detail
