"""sign-in attempts say what they tried: signing in, or asking for a password reset link
(throttled alike, counted apart)

Revision ID: 0032
Revises: 0031
Create Date: 2026-12-07 14:00:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0032"
down_revision: str | None = "0031"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("sign_in_attempt") as batch:
        batch.add_column(
            sa.Column("purpose", sa.String(length=16), server_default="sign_in", nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("sign_in_attempt") as batch:
        batch.drop_column("purpose")
