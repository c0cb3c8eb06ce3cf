"""journal months: each item's journal lines of a settled month summed per day, a cache
voided by the item's cost revision as the cost snapshots are (decision 26)

Revision ID: 0028
Revises: 0027
Create Date: 2026-12-07 03:15:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import stockkeeper.core.types

revision: str = "0028"
down_revision: str | None = "0027"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_ID = sa.String(length=40)


def upgrade() -> None:
    op.create_table(
        "journal_month",
        sa.Column("company_id", _ID, nullable=False),
        sa.Column("method", sa.String(length=10), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("item_id", _ID, nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column(
            "standard_cost", stockkeeper.core.types.Amount(precision=24, scale=6), nullable=False
        ),
        sa.Column("totals", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["company_id", "item_id"],
            ["item.company_id", "item.id"],
            name=op.f("fk_journal_month_company_id_item_id_item"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["company_id"],
            ["company.id"],
            name=op.f("fk_journal_month_company_id_company"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "company_id", "method", "month", "item_id", name=op.f("pk_journal_month")
        ),
    )
    op.create_index(
        "ix_journal_month_company_id_item_id", "journal_month", ["company_id", "item_id"]
    )


def downgrade() -> None:
    op.drop_index("ix_journal_month_company_id_item_id", table_name="journal_month")
    op.drop_table("journal_month")
