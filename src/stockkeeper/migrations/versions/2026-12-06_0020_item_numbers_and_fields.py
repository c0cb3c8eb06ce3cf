"""items' article numbers (ART_PRODUCT001, ... in creation order), the Sage and Codat fields
(notes, purchase description, source GUID, purchasable, sellable), prices that say whether
they include tax, the price groups that hold the items' selling price, and the reason
internal_consumption for every existing company

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-06 20:00:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

from stockkeeper.core.ids import new_id
from stockkeeper.core.types import UTCDateTime

revision: str = "0020"
down_revision: str | None = "0019"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# as a new company's seeds are (tenancy/service.py, catalog/service/*), frozen here
ARTICLE_PREFIX, ARTICLE_DIGITS = "ART_PRODUCT", 3  # ART_PRODUCT{SEQ:3}
SELLING_GROUPS = (("sales_price", "Sales Price"), ("service_rate", "Rate"))
REASON = ("internal_consumption", "Internal consumption")

# added without rebuilding the item table on SQLite (a rebuild would drop its search
# triggers): plain ADD COLUMN, NOT NULL ones with a server default
ITEM_COLUMNS = (
    ("article_number", sa.String(length=40), False, sa.text("''")),
    ("purchase_description", sa.Text(), True, None),
    ("notes", sa.Text(), True, None),
    ("source_guid", sa.String(length=100), True, None),
    ("purchasable", sa.Boolean(), False, sa.true()),
    ("sellable", sa.Boolean(), False, sa.true()),
    ("selling_price_includes_tax", sa.Boolean(), True, None),
)
INDEX = "ix_item_company_id_article_number"
_NOW = sa.bindparam("now", type_=UTCDateTime())


def upgrade() -> None:
    for name, type_, nullable, default in ITEM_COLUMNS:
        op.add_column("item", sa.Column(name, type_, nullable=nullable, server_default=default))
    op.add_column(
        "price_group",
        sa.Column("holds_selling_price", sa.Boolean(), nullable=False, server_default=sa.false()),
    )
    op.add_column("item_price", sa.Column("includes_tax", sa.Boolean(), nullable=True))
    bind = op.get_bind()
    companies = [row[0] for row in bind.execute(sa.text("SELECT id FROM company ORDER BY id"))]
    for company_id in companies:
        _number_items(bind, company_id)
        _selling_groups(bind, company_id)
        _reason(bind, company_id)
    op.create_index(INDEX, "item", ["company_id", "article_number"], unique=True)


def _number_items(bind: sa.Connection, company_id: str) -> None:
    """The company's items numbered in the order they were made; its counter where they end."""
    items = bind.execute(
        sa.text("SELECT id FROM item WHERE company_id = :c ORDER BY created_at, id"),
        {"c": company_id},
    ).all()
    if not items:
        return
    bind.execute(
        sa.text("UPDATE item SET article_number = :number WHERE company_id = :c AND id = :id"),
        [
            {"c": company_id, "id": ident, "number": f"{ARTICLE_PREFIX}{n:0{ARTICLE_DIGITS}d}"}
            for n, (ident,) in enumerate(items, start=1)
        ],
    )
    bind.execute(
        sa.text(
            "INSERT INTO sequence_counter (company_id, name, period, value) "
            "VALUES (:c, 'item', '', :value)"
        ),
        {"c": company_id, "value": len(items)},
    )


def _selling_groups(bind: sa.Connection, company_id: str) -> None:
    """Sales Price (goods) and Rate (services) hold the items' selling price, made where a
    company has none of that name; an item's price in one becomes its selling price where it
    had none (zero), and leaves the group's own prices."""
    now = datetime.now(UTC)
    for kind, name in SELLING_GROUPS:
        found = bind.execute(
            sa.text("SELECT id FROM price_group WHERE company_id = :c AND kind = :k AND name = :n"),
            {"c": company_id, "k": kind, "n": name},
        ).scalar()
        if found is None:
            found = new_id("pg")
            bind.execute(
                sa.text(
                    "INSERT INTO price_group (company_id, id, kind, name, prices_include_tax, "
                    "is_active, holds_selling_price, created_at, updated_at) VALUES "
                    "(:c, :id, :k, :n, :false, :true, :true, :now, :now)"
                ).bindparams(_NOW),
                {"c": company_id, "id": found, "k": kind, "n": name, "now": now}
                | {"false": False, "true": True},
            )
        else:
            bind.execute(
                sa.text(
                    "UPDATE price_group SET holds_selling_price = :true "
                    "WHERE company_id = :c AND id = :id"
                ),
                {"c": company_id, "id": found, "true": True},
            )
        prices = {"c": company_id, "g": found}
        bind.execute(
            sa.text(
                "UPDATE item SET selling_price = (SELECT p.price FROM item_price p "
                "WHERE p.company_id = item.company_id AND p.item_id = item.id "
                "AND p.price_group_id = :g) "
                "WHERE company_id = :c AND selling_price = 0 AND id IN (SELECT item_id "
                "FROM item_price WHERE company_id = :c AND price_group_id = :g)"
            ),
            prices,
        )
        bind.execute(
            sa.text("DELETE FROM item_price WHERE company_id = :c AND price_group_id = :g"), prices
        )


def _reason(bind: sa.Connection, company_id: str) -> None:
    code, name = REASON
    taken = bind.execute(
        sa.text("SELECT 1 FROM adjustment_reason WHERE company_id = :c AND code = :code"),
        {"c": company_id, "code": code},
    ).scalar()
    if taken:
        return
    bind.execute(
        sa.text(
            "INSERT INTO adjustment_reason (company_id, code, name, is_system, is_active, "
            "created_at) VALUES (:c, :code, :name, :true, :true, :now)"
        ).bindparams(_NOW),
        {"c": company_id, "code": code, "name": name, "true": True, "now": datetime.now(UTC)},
    )


def downgrade() -> None:
    # the reasons and prices the upgrade wrote stay, as data: only the schema goes back
    op.drop_index(INDEX, table_name="item")
    op.drop_column("item_price", "includes_tax")
    op.drop_column("price_group", "holds_selling_price")
    for name, *_ in reversed(ITEM_COLUMNS):
        op.drop_column("item", name)
