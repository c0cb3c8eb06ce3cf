"""purchase order lines say whether they count as on order (their item's stock was tracked
when they were written); every existing line does, as only such items could be ordered

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-06 22:00:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0022"
down_revision: str | None = "0021"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("purchase_order_line") as batch:
        batch.add_column(sa.Column("stocked", sa.Boolean(), nullable=True))
    # what the existing lines put on order is on the levels already, whatever their items
    # have become since: they keep counting, so that what is on order stays as it was
    lines = sa.table("purchase_order_line", sa.column("stocked", sa.Boolean()))
    op.execute(lines.update().values(stocked=True))
    with op.batch_alter_table("purchase_order_line") as batch:
        batch.alter_column("stocked", existing_type=sa.Boolean(), nullable=False)


def downgrade() -> None:
    with op.batch_alter_table("purchase_order_line") as batch:
        batch.drop_column("stocked")
