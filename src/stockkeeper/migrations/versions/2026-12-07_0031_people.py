"""people: their accounts (``user_account``, shared by companies), memberships, web sessions, one-time links, sign-in
attempts; audit rows name the person who acted (decision 30)

Revision ID: 0031
Revises: 0030
Create Date: 2026-12-07 10:30:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import stockkeeper.core.types

revision: str = "0031"
down_revision: str | None = "0030"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ID = sa.String(length=40)


def _at(name: str, nullable: bool = False) -> sa.Column[object]:
    return sa.Column(name, stockkeeper.core.types.UTCDateTime(), nullable=nullable)


def _account_key() -> sa.Column[object]:
    return sa.Column("account_id", ID, nullable=False)


def _account_foreign_key(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["account_id"],
        ["user_account.id"],
        name=op.f(f"fk_{table}_account_id_user_account"),
        ondelete="CASCADE",
    )


def upgrade() -> None:
    op.create_table(
        "user_account",
        sa.Column("id", ID, nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("password_hash", sa.String(length=200), nullable=True),
        _at("created_at"),
        _at("disabled_at", nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_user_account")),
        sa.UniqueConstraint("email", name=op.f("uq_user_account_email")),
    )
    op.create_table(
        "membership",
        sa.Column("company_id", ID, nullable=False),
        _account_key(),
        sa.Column("role", sa.String(length=16), nullable=False),
        _at("created_at"),
        _account_foreign_key("membership"),
        sa.ForeignKeyConstraint(
            ["company_id"],
            ["company.id"],
            name=op.f("fk_membership_company_id_company"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("company_id", "account_id", name=op.f("pk_membership")),
    )
    op.create_index(op.f("ix_membership_account_id"), "membership", ["account_id"])
    op.create_table(
        "web_session",
        sa.Column("id", ID, nullable=False),
        sa.Column("token_digest", sa.String(length=64), nullable=False),
        _account_key(),
        sa.Column("company_id", ID, nullable=False),
        sa.Column("csrf_token", sa.String(length=64), nullable=False),
        _at("created_at"),
        _at("last_seen_at"),
        _at("ended_at", nullable=True),
        _account_foreign_key("web_session"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_web_session")),
        sa.UniqueConstraint("token_digest", name=op.f("uq_web_session_token_digest")),
    )
    op.create_index(op.f("ix_web_session_account_id"), "web_session", ["account_id"])
    op.create_table(
        "one_time_link",
        sa.Column("id", ID, nullable=False),
        sa.Column("token_digest", sa.String(length=64), nullable=False),
        _account_key(),
        sa.Column("purpose", sa.String(length=16), nullable=False),
        _at("created_at"),
        _at("expires_at"),
        _at("used_at", nullable=True),
        _account_foreign_key("one_time_link"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_one_time_link")),
        sa.UniqueConstraint("token_digest", name=op.f("uq_one_time_link_token_digest")),
    )
    op.create_index(op.f("ix_one_time_link_account_id"), "one_time_link", ["account_id"])
    op.create_table(
        "sign_in_attempt",
        sa.Column("id", ID, nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("address", sa.String(length=64), nullable=False),
        _at("attempted_at"),
        sa.Column("succeeded", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sign_in_attempt")),
    )
    for column in ("email", "address"):
        op.create_index(
            op.f(f"ix_sign_in_attempt_{column}_attempted_at"),
            "sign_in_attempt",
            [column, "attempted_at"],
        )
    with op.batch_alter_table("audit_event") as batch:
        batch.add_column(sa.Column("actor_account_id", ID, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("audit_event") as batch:
        batch.drop_column("actor_account_id")
    for table in ("sign_in_attempt", "one_time_link", "web_session", "membership", "user_account"):
        op.drop_table(table)
