"""a count line's expiry date: what a clerk gives for a batch the count finds first, which the
count's adjustment creates with it.

Revision ID: 0034
Revises: 0033
Create Date: 2026-12-07 16:30:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0034"
down_revision: str | None = "0033"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("stock_count_line", schema=None) as batch_op:
        batch_op.add_column(sa.Column("expiry_date", sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("stock_count_line", schema=None) as batch_op:
        batch_op.drop_column("expiry_date")
