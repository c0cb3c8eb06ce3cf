"""import jobs: an uploaded file of items (later stock and prices), kept in the database with
its state, counts, row errors and the rows applied so far, so that a worker resumes it
(decision 29)

Revision ID: 0029
Revises: 0028
Create Date: 2026-12-07 05:30:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import stockkeeper.core.types

revision: str = "0029"
down_revision: str | None = "0028"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_ID = sa.String(length=40)
_AT = stockkeeper.core.types.UTCDateTime(timezone=True)


def _counts() -> list[sa.Column[int]]:
    names = ("rows", "valid", "invalid", "created", "updated", "unchanged", "rows_done")
    return [sa.Column(name, sa.Integer(), nullable=False) for name in names]


def upgrade() -> None:
    op.create_table(
        "import_job",
        sa.Column("company_id", _ID, nullable=False),
        sa.Column("id", _ID, nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("dry_run", sa.Boolean(), nullable=False),
        sa.Column("skip_invalid", sa.Boolean(), nullable=False),
        sa.Column("file_name", sa.String(length=255), nullable=False),
        sa.Column("file_format", sa.String(length=4), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        *_counts(),
        sa.Column("errors", sa.JSON(), nullable=False),
        sa.Column("failure", sa.Text(), nullable=True),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        sa.Column("created_by_key_id", _ID, nullable=True),
        sa.Column("created_at", _AT, nullable=False),
        sa.Column("updated_at", _AT, nullable=False),
        sa.Column("finished_at", _AT, nullable=True),
        sa.CheckConstraint(
            "state IN ('validating', 'ready', 'applying', 'done', 'failed')",
            name=op.f("ck_import_job_state"),
        ),
        sa.CheckConstraint("kind IN ('items')", name=op.f("ck_import_job_kind")),
        sa.ForeignKeyConstraint(
            ["company_id"],
            ["company.id"],
            name=op.f("fk_import_job_company_id_company"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("company_id", "id", name=op.f("pk_import_job")),
    )
    op.create_index(
        "ix_import_job_company_id_created_at", "import_job", ["company_id", "created_at", "id"]
    )
    op.create_index("ix_import_job_state", "import_job", ["state"])


def downgrade() -> None:
    op.drop_index("ix_import_job_state", table_name="import_job")
    op.drop_index("ix_import_job_company_id_created_at", table_name="import_job")
    op.drop_table("import_job")
