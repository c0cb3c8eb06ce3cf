"""Price groups read, changed and deleted as one kind (a face that shows each kind at its own
path): a group of the other kind is not found there, and nothing changes."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from stockkeeper.catalog.service import price_groups as service
from stockkeeper.catalog.values import NewPriceGroup, PriceGroupChanges
from stockkeeper.core.errors import NotFound
from stockkeeper.tenancy.service import Actor
from tests.support import Tenant


@pytest.fixture
def actor(tenant: Tenant) -> Actor:
    return tenant.actor


def test_a_group_of_another_kind_is_not_found(session: Session, actor: Actor) -> None:
    rate = service.create_price_group(
        session, actor, group=NewPriceGroup(name="Evening", kind="service_rate", is_active=False)
    )
    found = service.get_price_group(session, actor, group_id=rate.id, kind="service_rate")
    assert found is rate
    for attempt in (
        lambda: service.get_price_group(session, actor, group_id=rate.id, kind="sales_price"),
        lambda: service.update_price_group(
            session,
            actor,
            group_id=rate.id,
            changes=PriceGroupChanges(name="X"),
            kind="sales_price",
        ),
        lambda: service.delete_price_group(session, actor, group_id=rate.id, kind="sales_price"),
    ):
        with pytest.raises(NotFound) as refused:
            attempt()
        assert refused.value.code == "price_group_not_found"
    assert service.get_price_group(session, actor, group_id=rate.id).name == "Evening"
    service.delete_price_group(session, actor, group_id=rate.id, kind="service_rate")
    assert [g.name for g in service.list_price_groups(session, actor, kind="service_rate")] == [
        "Rate"
    ]
