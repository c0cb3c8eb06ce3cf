"""Migration 0020 over the companies and items made before it, on both engines: article
numbers in the order the items were made (the counter where they end), the groups that hold
the selling prices (marked, or made where missing) with the prices in them moved onto the
items, and the reason internal_consumption."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Connection, make_url

from stockkeeper.catalog.values import NewItem
from stockkeeper.core.db import Database
from stockkeeper.core.migrate import upgrade
from stockkeeper.core.settings import Settings
from stockkeeper.core.types import Amount, UTCDateTime
from stockkeeper.stock.service import items
from stockkeeper.tenancy.service import Actor
from tests.conftest import POSTGRES_ADMIN_URL

T0 = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


@pytest.fixture
def settings_before(backend: str, tmp_path: Path) -> Iterator[Settings]:
    """Settings of an empty database of the test's own, on the backend."""
    if backend == "sqlite":
        yield Settings(environment="test", database_url=f"sqlite:///{tmp_path / 'm.db'}")
        return
    name = f"sk_mig_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        url = make_url(POSTGRES_ADMIN_URL).set(database=name)
        yield Settings(environment="test", database_url=url.render_as_string(hide_password=False))
    finally:
        with admin.connect() as connection:
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _insert(connection: Connection, table: str, **values: Any) -> None:
    """A row as the schema of the time takes it: what is not given, a plain value of its type."""
    reflected = sa.Table(table, sa.MetaData(), autoload_with=connection)
    row = dict(values)
    for column in reflected.columns:
        if column.name in row or column.nullable or column.server_default is not None:
            continue
        row[column.name] = _plain(column.type)
    typed = sa.table(
        table, *(sa.column(name, _type_of(name, value)) for name, value in row.items())
    )
    connection.execute(sa.insert(typed).values(row))


def _plain(type_: Any) -> Any:
    if isinstance(type_, sa.Boolean):
        return False
    if isinstance(type_, sa.Integer | sa.Numeric):
        return 0
    if isinstance(type_, sa.DateTime):
        return T0
    if isinstance(type_, sa.JSON):
        return {}
    return "x"


def _type_of(name: str, value: Any) -> Any:
    if isinstance(value, datetime):
        return UTCDateTime()
    if isinstance(value, Decimal):
        return Amount()
    if isinstance(value, dict):
        return sa.JSON()
    return None


def _seed(connection: Connection) -> None:
    """comp_old: three items made in an order their ids do not follow, a Sales Price group with
    two items' prices in it, a Trade price, and no Rate group; comp_none: nothing at all."""
    for company in ("comp_old", "comp_none"):
        _insert(
            connection,
            "company",
            id=company,
            name=company,
            currency="MYR",
            timezone="UTC",
            costing_method="fifo",
            numbering_formats={},
        )
    for ident, name in (("pg_sales", "Sales Price"), ("pg_trade", "Trade")):
        _insert(
            connection,
            "price_group",
            company_id="comp_old",
            id=ident,
            kind="sales_price",
            name=name,
            prices_include_tax=False,
            is_active=True,
            created_at=T0,
            updated_at=T0,
        )
    made = (("item_c", 0, "0"), ("item_a", 2, "30"), ("item_b", 1, "0"))
    for ident, minutes, selling in made:
        at = T0 + timedelta(minutes=minutes)
        _insert(
            connection,
            "item",
            company_id="comp_old",
            id=ident,
            item_code=ident.upper(),
            name=ident,
            sort_name=ident,
            type="inventory",
            unit="pcs",
            currency="MYR",
            tracked=True,
            tracking="none",
            taxable=True,
            is_active=True,
            search_text=ident,
            cost_price=Decimal(1),
            selling_price=Decimal(selling),
            created_at=at,
            updated_at=at,
        )
    for item, group, price in (
        ("item_a", "pg_sales", "25"),  # a selling price of its own: it stays
        ("item_b", "pg_sales", "12"),  # none (zero): the group's price becomes it
        ("item_b", "pg_trade", "10"),
    ):
        _insert(
            connection,
            "item_price",
            company_id="comp_old",
            item_id=item,
            price_group_id=group,
            price=Decimal(price),
        )


def _rows(connection: Connection, sql: str) -> list[tuple[Any, ...]]:
    return [tuple(row) for row in connection.execute(sa.text(sql))]


def test_items_before_it_are_numbered_and_priced_as_now(settings_before: Settings) -> None:
    upgrade(settings_before, "0019")
    database = Database(settings_before)
    try:
        with database.engine.begin() as connection:
            _seed(connection)
        upgrade(settings_before, "0020")
        with database.engine.begin() as connection:
            numbers = _rows(connection, "SELECT id, article_number FROM item ORDER BY id")
            counters = _rows(
                connection, "SELECT company_id, name, period, value FROM sequence_counter"
            )
            selling = _rows(
                connection, "SELECT id, selling_price, purchasable, sellable FROM item ORDER BY id"
            )
            prices = _rows(connection, "SELECT item_id, price_group_id FROM item_price")
            groups = _rows(
                connection,
                "SELECT company_id, kind, name, holds_selling_price "
                "FROM price_group ORDER BY company_id, kind, name",
            )
            reasons = _rows(
                connection,
                "SELECT company_id, code, is_system FROM adjustment_reason "
                "WHERE code = 'internal_consumption' ORDER BY company_id",
            )
    finally:
        database.dispose()
    assert numbers == [
        ("item_a", "ART_PRODUCT003"),
        ("item_b", "ART_PRODUCT002"),
        ("item_c", "ART_PRODUCT001"),
    ]
    assert counters == [("comp_old", "item", "", 3)]
    scale = Decimal(10) ** 6 if settings_before.database_url.startswith("sqlite") else 1
    assert [(i, Decimal(p) / scale, bool(b), bool(s)) for i, p, b, s in selling] == [
        ("item_a", Decimal(30), True, True),
        ("item_b", Decimal(12), True, True),
        ("item_c", Decimal(0), True, True),
    ]
    assert prices == [("item_b", "pg_trade")]
    assert [(c, k, n, bool(h)) for c, k, n, h in groups] == [
        ("comp_none", "sales_price", "Sales Price", True),
        ("comp_none", "service_rate", "Rate", True),
        ("comp_old", "sales_price", "Sales Price", True),
        ("comp_old", "sales_price", "Trade", False),
        ("comp_old", "service_rate", "Rate", True),
    ]
    assert [(c, code, bool(s)) for c, code, s in reasons] == [
        ("comp_none", "internal_consumption", True),
        ("comp_old", "internal_consumption", True),
    ]


def test_the_next_item_carries_on_from_the_numbers_given(settings_before: Settings) -> None:
    upgrade(settings_before, "0019")
    database = Database(settings_before)
    try:
        with database.engine.begin() as connection:
            _seed(connection)
        upgrade(settings_before)
        with database.unit_of_work() as session:
            actor = Actor.system("comp_old", "test")
            values = {"item_code": "NEW", "name": "New", "type": "inventory"}
            view = items.create_item(session, actor, item=NewItem.model_validate(values))
            assert view.item.article_number == "ART_PRODUCT004"
            shown = [(p["name"], p["price"]) for p in view.data["pricing"]["priceGroups"]]
            assert shown == [("Sales Price", 0)]
    finally:
        database.dispose()
