"""adjustment lifecycle: approval, reversal, value adjustments, custom fields

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import stockkeeper.core.types

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_PEOPLE = ("submitted", "approved", "rejected", "reversed")
_FIGURES = ("unit_cost", "total_cost", "current_stock", "adjusted_stock")


def upgrade() -> None:
    # plain ADD COLUMN: rebuilding stock_adjustment on SQLite would trip its lines' foreign key
    op.add_column(
        "stock_adjustment",
        sa.Column(
            "adjustment_type", sa.String(length=10), nullable=False, server_default="quantity"
        ),
    )
    op.add_column(
        "stock_adjustment",
        sa.Column("custom_fields", sa.JSON(), nullable=False, server_default="[]"),
    )
    for who in _PEOPLE:
        op.add_column("stock_adjustment", sa.Column(f"{who}_by", sa.String(100), nullable=True))
        op.add_column(
            "stock_adjustment",
            sa.Column(
                f"{who}_at", stockkeeper.core.types.UTCDateTime(timezone=True), nullable=True
            ),
        )
    op.add_column("stock_adjustment", sa.Column("rejection_reason", sa.Text(), nullable=True))
    with op.batch_alter_table("stock_adjustment_line", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("value_adjusted", stockkeeper.core.types.Amount(), nullable=True)
        )
        for name in _FIGURES:
            batch_op.alter_column(
                name, existing_type=stockkeeper.core.types.Amount(), nullable=True
            )


def downgrade() -> None:
    with op.batch_alter_table("stock_adjustment_line", schema=None) as batch_op:
        for name in _FIGURES:
            batch_op.alter_column(
                name, existing_type=stockkeeper.core.types.Amount(), nullable=False
            )
        batch_op.drop_column("value_adjusted")
    with op.batch_alter_table("stock_adjustment", schema=None) as batch_op:
        batch_op.drop_column("rejection_reason")
        for who in reversed(_PEOPLE):
            batch_op.drop_column(f"{who}_at")
            batch_op.drop_column(f"{who}_by")
        batch_op.drop_column("custom_fields")
        batch_op.drop_column("adjustment_type")
