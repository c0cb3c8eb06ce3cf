"""kept journals: the journal lines kept when the lock date moves forward, and how far they
go (decision 26); like the ledger, kept lines are never changed

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-07 00:30:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import stockkeeper.core.types

revision: str = "0025"
down_revision: str | None = "0024"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_ID = sa.String(length=40)


def upgrade() -> None:
    op.create_table(
        "closed_books",
        sa.Column("company_id", _ID, nullable=False),
        sa.Column("kept_until", sa.Date(), nullable=False),
        sa.Column("closed_at", stockkeeper.core.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("closed_by", sa.String(length=100), nullable=False),
        sa.ForeignKeyConstraint(
            ["company_id"], ["company.id"], name=op.f("fk_closed_books_company_id_company")
        ),
        sa.PrimaryKeyConstraint("company_id", name=op.f("pk_closed_books")),
    )
    op.create_table(
        "kept_journal_line",
        sa.Column("company_id", _ID, nullable=False),
        sa.Column("line", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("entry_id", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("account_id", sa.String(length=64), nullable=False),
        sa.Column("amount", stockkeeper.core.types.Amount(precision=24, scale=6), nullable=False),
        sa.Column("item_id", _ID, nullable=False),
        sa.Column("variant_id", _ID, nullable=True),
        sa.Column("location_id", _ID, nullable=False),
        sa.Column("movement_type", sa.String(length=20), nullable=True),
        sa.Column("document_type", sa.String(length=30), nullable=True),
        sa.Column("document_id", _ID, nullable=True),
        sa.Column("document_number", sa.String(length=40), nullable=True),
        sa.Column("document_line_id", _ID, nullable=True),
        sa.ForeignKeyConstraint(
            ["company_id"], ["company.id"], name=op.f("fk_kept_journal_line_company_id_company")
        ),
        sa.PrimaryKeyConstraint("company_id", "line", name=op.f("pk_kept_journal_line")),
    )
    op.create_index(
        "ix_kept_journal_line_company_id_day",
        "kept_journal_line",
        ["company_id", "day", "line"],
        unique=False,
    )
    _make_kept_lines_immutable()


def _make_kept_lines_immutable() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for event in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER kept_journal_line_no_{event.lower()} BEFORE {event} "
                "ON kept_journal_line "
                "BEGIN SELECT RAISE(ABORT, 'kept journal lines are immutable'); END"
            )
    else:
        op.execute(
            "CREATE FUNCTION kept_journal_line_immutable() RETURNS trigger LANGUAGE plpgsql AS "
            "$$ BEGIN RAISE EXCEPTION 'kept journal lines are immutable'; END $$"
        )
        op.execute(
            "CREATE TRIGGER kept_journal_line_immutable BEFORE UPDATE OR DELETE "
            "ON kept_journal_line FOR EACH ROW EXECUTE FUNCTION kept_journal_line_immutable()"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        op.execute("DROP TRIGGER IF EXISTS kept_journal_line_immutable ON kept_journal_line")
        op.execute("DROP FUNCTION IF EXISTS kept_journal_line_immutable()")
    op.drop_index("ix_kept_journal_line_company_id_day", table_name="kept_journal_line")
    op.drop_table("kept_journal_line")
    op.drop_table("closed_books")
