"""Purchase order lines say what is bought as the supplier reads it: as given, else the
item's purchase description, else its name."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from alembic import command
from sqlalchemy import select, update

from stockkeeper.catalog.models import Item
from stockkeeper.catalog.service import suppliers
from stockkeeper.catalog.values import NewSupplier
from stockkeeper.core.db import Database
from stockkeeper.core.migrate import alembic_config, upgrade
from stockkeeper.core.settings import Settings
from stockkeeper.purchasing import service
from stockkeeper.purchasing.models import PurchaseOrderLine
from stockkeeper.purchasing.values import NewOrder, OrderLine
from tests.factories import new_item, new_location
from tests.support import Api, make_tenant, unique

ORDERS = "/api/v1/purchase-orders"


def test_a_line_describes_what_is_bought(api: Api) -> None:
    supplier, warehouse = api.supplier()["id"], api.location()["id"]
    described = api.item(name="Widget", purchaseDescription="Widget, carton of 12")["id"]
    plain = api.item(name="Gadget")["id"]
    order = api.create(
        ORDERS,
        {
            "supplierId": supplier,
            "locationId": warehouse,
            "items": [
                {"itemId": described, "quantity": 1},
                {"itemId": plain, "quantity": 1},
                {"itemId": plain, "quantity": 1, "description": "Gadget, blue"},
            ],
        },
    )
    assert [line["description"] for line in order["items"]] == [
        "Widget, carton of 12",
        "Gadget",
        "Gadget, blue",
    ]
    shown = api.data(api.get(f"{ORDERS}/{order['id']}"))
    assert [line["description"] for line in shown["items"]] == [
        line["description"] for line in order["items"]
    ]


def test_lines_written_before_the_migration_are_described(tmp_path: Path) -> None:
    settings = Settings(environment="test", database_url=f"sqlite:///{tmp_path / 'd.db'}")
    upgrade(settings)
    database = Database(settings)
    try:
        tenant = make_tenant(database)
        actor = tenant.actor
        with database.unit_of_work() as session:
            warehouse = new_location(session, actor)
            named = NewSupplier.model_validate({"name": unique("Supplier")})
            supplier = suppliers.create_supplier(session, actor, supplier=named).id
            described, plain = new_item(session, actor), new_item(session, actor)
            session.execute(
                update(Item)
                .where(Item.company_id == tenant.company_id, Item.id == described)
                .values(purchase_description="Bought by the carton")
            )
            lines = [
                OrderLine(
                    item_id=ident, quantity=Decimal(1), description="dropped by the downgrade"
                )
                for ident in (described, plain)
            ]
            service.create_order(
                session,
                actor,
                order=NewOrder(supplier_id=supplier, location_id=warehouse, items=lines),
            )
        command.downgrade(alembic_config(settings), "0022")
        upgrade(settings)
        with database.unit_of_work(write=False) as session:
            plain_name = session.scalar(select(Item.name).where(Item.id == plain))
            shown = session.scalars(
                select(PurchaseOrderLine.description).order_by(PurchaseOrderLine.position)
            ).all()
        assert shown == ["Bought by the carton", plain_name]
    finally:
        database.dispose()
