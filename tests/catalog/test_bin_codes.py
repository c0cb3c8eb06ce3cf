"""Bins by the codes people type (``catalog/service/bin_codes.py``), on both engines: a code
or an id names a bin of the line's location (the default warehouse's when none is named);
every other name is refused at its own field."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from stockkeeper.catalog.service.bin_codes import NamedBin, bin_ids_of
from stockkeeper.catalog.service.locations import create_bin, default_warehouse
from stockkeeper.catalog.values import NewBin
from stockkeeper.core.errors import UnknownReference
from stockkeeper.tenancy.service import Actor
from tests.factories import new_location
from tests.support import Tenant


@pytest.fixture
def actor(tenant: Tenant) -> Actor:
    return tenant.actor


def _bin(session: Session, actor: Actor, location_id: str, code: str) -> str:
    return create_bin(session, actor, location_id=location_id, bin=NewBin(code=code)).id


def test_a_code_or_an_id_names_a_bin_of_its_location(session: Session, actor: Actor) -> None:
    here, there = new_location(session, actor), new_location(session, actor)
    warehouse = default_warehouse(session, actor.company_id)
    assert warehouse is not None
    a1_here, a1_there = _bin(session, actor, here, "A1"), _bin(session, actor, there, "A1")
    main = _bin(session, actor, warehouse.id, "M1")
    named = [
        NamedBin("items.0.bin_id", here, "A1"),
        NamedBin("items.1.bin_id", there, "A1"),
        NamedBin("items.2.bin_id", there, a1_there),
        NamedBin("items.3.bin_id", None, "M1"),
    ]
    assert bin_ids_of(session, actor, named=named) == [a1_here, a1_there, a1_there, main]
    assert bin_ids_of(session, actor, named=[]) == []


def test_every_name_of_no_bin_there_is_refused_at_its_field(session: Session, actor: Actor) -> None:
    here, there = new_location(session, actor), new_location(session, actor)
    elsewhere = _bin(session, actor, there, "B2")
    _bin(session, actor, here, "A1")
    named = [
        NamedBin("items.0.bin_id", here, "A1"),
        NamedBin("items.1.from_bin_id", here, "B2"),
        NamedBin("items.2.to_bin_id", here, elsewhere),
        NamedBin("items.3.bin_id", None, "Z9"),
    ]
    with pytest.raises(UnknownReference) as refused:
        bin_ids_of(session, actor, named=named)
    assert refused.value.code == "unknown_bin"
    fields = [error.field for error in refused.value.errors]
    assert fields == ["items.1.from_bin_id", "items.2.to_bin_id", "items.3.bin_id"]
