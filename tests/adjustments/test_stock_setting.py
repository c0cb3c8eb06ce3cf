"""Stock set to what is there (``set_stock``): the differences from the ledger posted as one
adjustment, per bin, batch and serial; the same targets again post nothing; a refusal names
the targets at fault and changes nothing."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from stockkeeper.adjustments.service.stock_setting import set_stock
from stockkeeper.adjustments.values import StockTargets
from stockkeeper.catalog.service.locations import create_bin
from stockkeeper.catalog.values import NewBin
from stockkeeper.core.db import Database
from stockkeeper.core.errors import DomainError, Invalid
from stockkeeper.stock.models import Batch, Movement, SerialNumber, StockLevel
from stockkeeper.tenancy.service import Actor
from tests.factories import new_item, new_location
from tests.invariants import assert_ledger_consistent
from tests.support import Tenant


def _set(session: Session, actor: Actor, *targets: dict[str, Any]) -> Any:
    stock = StockTargets.model_validate({"targets": list(targets)})
    return set_stock(session, actor, stock=stock)


def _held(session: Session, company_id: str) -> dict[tuple[Any, ...], Decimal]:
    """On hand by location, item, bin, batch number and serial number (non-zero only)."""
    level = StockLevel
    rows = session.execute(
        select(
            level.location_id,
            level.item_id,
            level.bin_id,
            Batch.batch_number,
            SerialNumber.serial_number,
            level.on_hand,
        )
        .outerjoin(Batch, Batch.id == level.batch_id)
        .outerjoin(SerialNumber, SerialNumber.id == level.serial_id)
        .where(level.company_id == company_id, level.physical.is_(True), level.on_hand != 0)
    )
    return {tuple(row[:5]): row.on_hand for row in rows}


def _movements(session: Session, company_id: str) -> int:
    return len(session.scalars(select(Movement.id).where(Movement.company_id == company_id)).all())


def test_targets_set_bins_batches_and_serials_and_again_change_nothing(
    database: Database, tenant: Tenant
) -> None:
    actor = tenant.actor
    with database.unit_of_work() as session:
        shop = new_location(session, actor)
        shelf = create_bin(session, actor, location_id=shop, bin=NewBin(code="A1")).id
        bolts = new_item(session, actor)
        milk = new_item(session, actor, inventory={"tracking": "batch"})
        phone = new_item(session, actor, inventory={"tracking": "serial"})
    targets = [
        {"item_id": bolts, "location_id": shop, "quantity": 12, "unit_cost": "0.5"},
        {"item_id": bolts, "location_id": shop, "bin_id": shelf, "quantity": 3},
        {
            "item_id": milk,
            "location_id": shop,
            "batch_number": "L1",
            "expiry_date": "2027-01-31",
            "quantity": 8,
            "unit_cost": 2,
        },
        {"item_id": phone, "location_id": shop, "serial_number": "SN-1", "quantity": 1},
        {"item_id": phone, "location_id": shop, "serial_number": "SN-2", "quantity": 1},
    ]
    with database.unit_of_work() as session:
        view = _set(session, actor, *targets)
        assert view is not None and view.adjustment.reason == "initial_stock"
        assert [line.adjustment_quantity for line, _ in view.lines] == [12, 3, 8, 1, 1]
        assert view.lines[0][0].unit_cost == Decimal("0.5")
    with database.unit_of_work() as session:
        held = _held(session, actor.company_id)
        moved = _movements(session, actor.company_id)
        expiry = session.scalar(
            select(Batch.expiry_date).where(
                Batch.company_id == actor.company_id, Batch.batch_number == "L1"
            )
        )
    assert held == {
        (shop, bolts, None, None, None): 12,
        (shop, bolts, shelf, None, None): 3,
        (shop, milk, None, "L1", None): 8,
        (shop, phone, None, None, "SN-1"): 1,
        (shop, phone, None, None, "SN-2"): 1,
    }
    assert str(expiry) == "2027-01-31"

    with database.unit_of_work() as session:
        assert _set(session, actor, *targets) is None  # the same file twice: nothing posts
        assert _movements(session, actor.company_id) == moved

    # what a place holds now: fewer bolts, one serial gone, the batch unchanged
    changed = [
        {**targets[0], "quantity": 10},
        {**targets[2]},
        {**targets[4], "quantity": 0},
    ]
    with database.unit_of_work() as session:
        view = _set(session, actor, *changed)
        assert [line.adjustment_quantity for line, _ in view.lines] == [-2, -1]
        held = _held(session, actor.company_id)
    assert held[(shop, bolts, None, None, None)] == 10
    assert (shop, phone, None, None, "SN-2") not in held
    assert held[(shop, milk, None, "L1", None)] == 8
    assert_ledger_consistent(database, actor.company_id)


def test_a_place_named_twice_is_refused_at_once(database: Database, tenant: Tenant) -> None:
    actor = tenant.actor
    with database.unit_of_work() as session:
        shop = new_location(session, actor)
        bolts = new_item(session, actor)
    target = {"item_id": bolts, "location_id": shop, "quantity": 1}
    with pytest.raises(Invalid) as refused, database.unit_of_work() as session:
        _set(session, actor, target, {**target, "quantity": 2}, {**target, "quantity": 3})
    assert [(e.field, e.code) for e in refused.value.errors] == [
        ("targets.1", "duplicate"),
        ("targets.2", "duplicate"),
    ]


def test_a_refusal_names_its_targets_and_posts_nothing(database: Database, tenant: Tenant) -> None:
    actor = tenant.actor
    with database.unit_of_work() as session:
        shop = new_location(session, actor)
        bolts = new_item(session, actor)
        milk = new_item(session, actor, inventory={"tracking": "batch"})
    with database.unit_of_work() as session:
        _set(session, actor, {"item_id": bolts, "location_id": shop, "quantity": 5})
    with pytest.raises(DomainError) as refused, database.unit_of_work() as session:
        _set(
            session,
            actor,
            {"item_id": bolts, "location_id": shop, "quantity": 5},  # unchanged: no line
            {"item_id": bolts, "location_id": shop, "quantity": 7},  # a place named again
        )
    assert refused.value.errors[0].field == "targets.1"
    with pytest.raises(DomainError) as refused, database.unit_of_work() as session:
        _set(
            session,
            actor,
            {"item_id": bolts, "location_id": shop, "quantity": 5},  # unchanged: no line
            {"item_id": milk, "location_id": shop, "quantity": 4},  # its batch is missing
        )
    assert [e.field.split(".")[:2] for e in refused.value.errors] == [["targets", "1"]]
    with database.unit_of_work() as session:
        assert _held(session, actor.company_id) == {(shop, bolts, None, None, None): 5}
        assert _movements(session, actor.company_id) == 1


def test_a_serial_holds_one_or_none() -> None:
    with pytest.raises(ValueError, match="there"):
        StockTargets.model_validate(
            {"targets": [{"item_id": "i", "location_id": "l", "serial_number": "S", "quantity": 2}]}
        )
