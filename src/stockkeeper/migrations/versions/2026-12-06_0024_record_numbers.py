"""record numbers: a stable integer per record and company, for the clients that know records
by integer ids (the smallbiz dialect); and the company setting purchase_orders_enabled

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-06 22:10:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0024"
down_revision: str | None = "0023"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "record_number",
        sa.Column("company_id", sa.String(length=40), nullable=False),
        sa.Column("kind", sa.String(length=24), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("record_id", sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(
            ["company_id"],
            ["company.id"],
            name=op.f("fk_record_number_company_id_company"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("company_id", "kind", "number", name=op.f("pk_record_number")),
        sa.UniqueConstraint(
            "company_id",
            "kind",
            "record_id",
            name=op.f("uq_record_number_company_id_kind_record_id"),
        ),
    )
    # a plain ADD COLUMN: a batch would rebuild the company table, which every other table's
    # rows refer to (SQLite refuses to drop it while foreign keys are on)
    op.add_column(
        "company",
        sa.Column(
            "purchase_orders_enabled", sa.Boolean(), nullable=False, server_default=sa.true()
        ),
    )


def downgrade() -> None:
    # in place on both engines: SQLite's batch mode would copy the company table, which
    # every other table's foreign keys name
    op.execute("ALTER TABLE company DROP COLUMN purchase_orders_enabled")
    op.drop_table("record_number")
