"""stock counts: a count of a location and its lines, each with the quantity expected when
it was opened and the quantity counted (decision 27)

Revision ID: 0027
Revises: 0026
Create Date: 2026-12-07 03:00:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import stockkeeper.core.types

revision: str = "0027"
down_revision: str | None = "0026"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "stock_count",
        sa.Column("company_id", sa.String(length=40), nullable=False),
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("count_number", sa.String(length=40), nullable=False),
        sa.Column("count_date", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("location_id", sa.String(length=40), nullable=False),
        sa.Column("scope", sa.JSON(), nullable=False),
        sa.Column("blind", sa.Boolean(), nullable=False),
        sa.Column("reference", sa.String(length=100), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("adjustment_id", sa.String(length=40), nullable=True),
        sa.Column("opened_by", sa.String(length=100), nullable=False),
        sa.Column("opened_at", stockkeeper.core.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("submitted_by", sa.String(length=100), nullable=True),
        sa.Column("submitted_at", stockkeeper.core.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("approved_by", sa.String(length=100), nullable=True),
        sa.Column("approved_at", stockkeeper.core.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("posted_by", sa.String(length=100), nullable=True),
        sa.Column("posted_at", stockkeeper.core.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("cancelled_by", sa.String(length=100), nullable=True),
        sa.Column("cancelled_at", stockkeeper.core.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("updated_at", stockkeeper.core.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["company_id", "location_id"],
            ["location.company_id", "location.id"],
            name=op.f("fk_stock_count_company_id_location_id_location"),
        ),
        sa.ForeignKeyConstraint(
            ["company_id"], ["company.id"], name=op.f("fk_stock_count_company_id_company")
        ),
        sa.PrimaryKeyConstraint("company_id", "id", name=op.f("pk_stock_count")),
        sa.UniqueConstraint(
            "company_id", "count_number", name=op.f("uq_stock_count_company_id_count_number")
        ),
    )
    with op.batch_alter_table("stock_count", schema=None) as batch_op:
        batch_op.create_index(
            "ix_stock_count_company_id_date", ["company_id", "count_date", "id"], unique=False
        )

    op.create_table(
        "stock_count_line",
        sa.Column("company_id", sa.String(length=40), nullable=False),
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("count_id", sa.String(length=40), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("line_key", sa.String(length=400), nullable=False),
        sa.Column("item_id", sa.String(length=40), nullable=False),
        sa.Column("variant_id", sa.String(length=40), nullable=True),
        sa.Column("bin_id", sa.String(length=40), nullable=True),
        sa.Column("batch_id", sa.String(length=40), nullable=True),
        sa.Column("batch_number", sa.String(length=100), nullable=True),
        sa.Column("serial_number", sa.String(length=100), nullable=True),
        sa.Column("expected", stockkeeper.core.types.Amount(precision=24, scale=6), nullable=False),
        sa.Column("in_snapshot", sa.Boolean(), nullable=False),
        sa.Column("counted", stockkeeper.core.types.Amount(precision=24, scale=6), nullable=True),
        sa.Column("counted_by", sa.String(length=100), nullable=True),
        sa.Column("counted_at", stockkeeper.core.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("recount", sa.Boolean(), nullable=False),
        sa.Column("variance", stockkeeper.core.types.Amount(precision=24, scale=6), nullable=True),
        sa.Column("unit_cost", stockkeeper.core.types.Amount(precision=24, scale=6), nullable=True),
        sa.ForeignKeyConstraint(
            ["company_id", "bin_id"],
            ["bin.company_id", "bin.id"],
            name=op.f("fk_stock_count_line_company_id_bin_id_bin"),
        ),
        sa.ForeignKeyConstraint(
            ["company_id", "count_id"],
            ["stock_count.company_id", "stock_count.id"],
            name=op.f("fk_stock_count_line_company_id_count_id_stock_count"),
        ),
        sa.ForeignKeyConstraint(
            ["company_id", "item_id"],
            ["item.company_id", "item.id"],
            name=op.f("fk_stock_count_line_company_id_item_id_item"),
        ),
        sa.ForeignKeyConstraint(
            ["company_id", "variant_id"],
            ["item_variant.company_id", "item_variant.id"],
            name=op.f("fk_stock_count_line_company_id_variant_id_item_variant"),
        ),
        sa.ForeignKeyConstraint(
            ["company_id"], ["company.id"], name=op.f("fk_stock_count_line_company_id_company")
        ),
        sa.PrimaryKeyConstraint("company_id", "id", name=op.f("pk_stock_count_line")),
        sa.UniqueConstraint(
            "company_id",
            "count_id",
            "line_key",
            name=op.f("uq_stock_count_line_company_id_count_id_line_key"),
        ),
    )
    with op.batch_alter_table("stock_count_line", schema=None) as batch_op:
        batch_op.create_index(
            "ix_stock_count_line_company_id_count_id",
            ["company_id", "count_id", "position"],
            unique=False,
        )


def downgrade() -> None:
    with op.batch_alter_table("stock_count_line", schema=None) as batch_op:
        batch_op.drop_index("ix_stock_count_line_company_id_count_id")

    op.drop_table("stock_count_line")
    with op.batch_alter_table("stock_count", schema=None) as batch_op:
        batch_op.drop_index("ix_stock_count_company_id_date")

    op.drop_table("stock_count")
