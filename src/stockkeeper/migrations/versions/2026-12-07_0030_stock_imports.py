"""import jobs of opening stock and price lists: the kinds ``stock`` and ``prices`` beside
``items`` (decision 29)

Revision ID: 0030
Revises: 0029
Create Date: 2026-12-07 06:00:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0030"
down_revision: str | None = "0029"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _kinds(condition: str) -> None:
    with op.batch_alter_table("import_job") as batch:
        batch.drop_constraint(op.f("ck_import_job_kind"), type_="check")
        batch.create_check_constraint(op.f("ck_import_job_kind"), condition)


def upgrade() -> None:
    _kinds("kind IN ('items', 'stock', 'prices')")


def downgrade() -> None:
    op.execute("DELETE FROM import_job WHERE kind IN ('stock', 'prices')")
    _kinds("kind IN ('items')")
