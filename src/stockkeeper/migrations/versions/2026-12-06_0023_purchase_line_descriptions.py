"""purchase order lines carry a description: the item's purchase description, else its name,
for the lines written before

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-06 23:00:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0023"
down_revision: str | None = "0022"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("purchase_order_line") as batch:
        batch.add_column(sa.Column("description", sa.Text(), nullable=True))
    op.execute(
        "UPDATE purchase_order_line SET description = ("
        "SELECT COALESCE(item.purchase_description, item.name) FROM item "
        "WHERE item.company_id = purchase_order_line.company_id "
        "AND item.id = purchase_order_line.item_id)"
    )
    with op.batch_alter_table("purchase_order_line") as batch:
        batch.alter_column("description", existing_type=sa.Text(), nullable=False)


def downgrade() -> None:
    with op.batch_alter_table("purchase_order_line") as batch:
        batch.drop_column("description")
