"""external ids: the id a client gives a document (a shop's or point of sale's own), unique
per company and document type, so that a document sent twice is posted once (decision 28)

Revision ID: 0026
Revises: 0025
Create Date: 2026-12-07 02:30:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0026"
down_revision: str | None = "0025"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# table -> the columns its unique index spans; NULLs are distinct in a unique index on both
# engines, so documents without an external id never collide. Plain ADD COLUMN: no rebuild.
TABLES = {
    "stock_adjustment": ("company_id", "external_id"),
    "sales_document": ("company_id", "kind", "external_id"),
    "stock_transfer": ("company_id", "external_id"),
}


def _index(table: str) -> str:
    return f"ix_{table}_" + "_".join(TABLES[table])


def upgrade() -> None:
    for table, columns in TABLES.items():
        op.add_column(table, sa.Column("external_id", sa.String(length=255), nullable=True))
        op.create_index(_index(table), table, list(columns), unique=True)


def downgrade() -> None:
    for table in TABLES:
        op.drop_index(_index(table), table_name=table)
        # in place on both engines (SQLite 3.35+): no table rebuild
        op.execute(f"ALTER TABLE {table} DROP COLUMN external_id")
