"""What the purchase order screens' tests stand on: a supplier, and an order of an item of
a place made (and, when asked, sent) through the services."""

from __future__ import annotations

from dataclasses import dataclass

from stockkeeper.catalog.service.suppliers import create_supplier
from stockkeeper.catalog.values import NewSupplier
from stockkeeper.core.db import Database
from stockkeeper.purchasing import service
from stockkeeper.purchasing.values import NewOrder, OrderChanges
from tests.factories import new_item
from tests.support import Tenant, unique
from tests.web.places import Place, make_place


def make_supplier(database: Database, tenant: Tenant) -> str:
    with database.unit_of_work() as session:
        supplier = NewSupplier(name=unique("Supplier"))
        return create_supplier(session, tenant.actor, supplier=supplier).id


def make_order(
    database: Database, tenant: Tenant, place: Place, quantity: str, *, sent: bool
) -> str:
    """An order of ``quantity`` of the place's item into its location; ``sent``: ordered."""
    supplier_id = make_supplier(database, tenant)
    values = {
        "supplier_id": supplier_id,
        "location_id": place.location_id,
        "items": [{"item_id": place.item_id, "quantity": quantity, "unit_cost": "2.50"}],
    }
    with database.unit_of_work() as session:
        order = service.create_order(session, tenant.actor, order=NewOrder.model_validate(values))
        if sent:
            ordered = OrderChanges(status="ordered")
            service.update_order(session, tenant.actor, order_id=order.order.id, changes=ordered)
    return order.order.id


def order_status(database: Database, tenant: Tenant, order_id: str) -> str:
    with database.unit_of_work() as session:
        return service.get_order(session, tenant.actor, order_id=order_id).order.status


@dataclass(frozen=True)
class Delivery:
    order_id: str
    place: Place
    batch_code: str
    serial_code: str


def make_delivery(database: Database, tenant: Tenant) -> Delivery:
    """An order sent to a supplier: 10 of a plain item, 5 of a batch item, 2 of a serial one."""
    place = make_place(database, tenant)
    codes = [unique("LOT"), unique("SER")]
    with database.unit_of_work() as session:
        batch_id = new_item(
            session, tenant.actor, item_code=codes[0], inventory={"tracking": "batch"}
        )
        serial_id = new_item(
            session, tenant.actor, item_code=codes[1], inventory={"tracking": "serial"}
        )
    lines = [(place.item_id, "10"), (batch_id, "5"), (serial_id, "2")]
    values = {
        "supplier_id": make_supplier(database, tenant),
        "location_id": place.location_id,
        "items": [{"item_id": i, "quantity": q, "unit_cost": "3"} for i, q in lines],
    }
    with database.unit_of_work() as session:
        order = service.create_order(session, tenant.actor, order=NewOrder.model_validate(values))
        ordered = OrderChanges(status="ordered")
        service.update_order(session, tenant.actor, order_id=order.order.id, changes=ordered)
    return Delivery(order.order.id, place, *codes)
