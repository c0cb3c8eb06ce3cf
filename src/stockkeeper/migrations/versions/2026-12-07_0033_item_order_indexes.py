"""an item's stock levels and variants in order: indexes on stock_level (company_id, item_id,
level_key) and item_variant (company_id, item_id, id), so that they are read by the item and
already in order. Without them SQLite (which keeps no statistics) took the primary key for
the order and read every level, or every variant, of the company to find the item's few.

Revision ID: 0033
Revises: 0032
Create Date: 2026-12-07 13:10:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0033"
down_revision: str | None = "0032"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        "ix_stock_level_company_id_item_id_level_key",
        "stock_level",
        ["company_id", "item_id", "level_key"],
    )
    op.drop_index("ix_item_variant_company_id_item_id", table_name="item_variant")
    op.create_index(
        "ix_item_variant_company_id_item_id", "item_variant", ["company_id", "item_id", "id"]
    )


def downgrade() -> None:
    op.drop_index("ix_item_variant_company_id_item_id", table_name="item_variant")
    op.create_index("ix_item_variant_company_id_item_id", "item_variant", ["company_id", "item_id"])
    op.drop_index("ix_stock_level_company_id_item_id_level_key", table_name="stock_level")
