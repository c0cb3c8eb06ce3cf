"""What the purchase order screens' tests stand on: a supplier, and an order of an item of
a place made (and, when asked, sent) through the services."""

from __future__ import annotations

from stockkeeper.catalog.service.suppliers import create_supplier
from stockkeeper.catalog.values import NewSupplier
from stockkeeper.core.db import Database
from stockkeeper.purchasing import service
from stockkeeper.purchasing.values import NewOrder, OrderChanges
from tests.support import Tenant, unique
from tests.web.places import Place


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
