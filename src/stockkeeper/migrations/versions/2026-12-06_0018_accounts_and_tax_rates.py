"""accounts and tax rates, with every existing company's standard ones

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-06 18:00:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

import stockkeeper.core.types
from stockkeeper.core.ids import new_id

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# as the seeding of a new company writes them (accounting/service), frozen at this revision
ACCOUNTS = (
    ("acc_inventory", "Inventory", "asset"),
    ("acc_cogs", "Cost of goods sold", "cost_of_sales"),
    ("acc_sales_revenue", "Sales", "income"),
    ("acc_grni", "Goods received not invoiced", "liability"),
    ("acc_inventory_adjustments", "Inventory adjustments", "expense"),
    ("acc_ppv", "Purchase price variance", "expense"),
    ("acc_inventory_transit", "Inventory in transit", "asset"),
)
TAX_RATES: tuple[tuple[str, str, list[dict[str, object]]], ...] = (
    ("SST", "Sales and service tax", [{"name": "Sales and service tax", "rate": 10}]),
    ("ZERO", "Zero-rated", [{"name": "Zero-rated", "rate": 0}]),
    ("EXEMPT", "Exempt", []),
)


def _timestamps() -> list[sa.Column[datetime]]:
    return [
        sa.Column("created_at", stockkeeper.core.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", stockkeeper.core.types.UTCDateTime(timezone=True), nullable=False),
    ]


def upgrade() -> None:
    account = op.create_table(
        "account",
        sa.Column("company_id", sa.String(length=40), nullable=False),
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("type", sa.String(length=16), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        *_timestamps(),
        sa.CheckConstraint(
            "type IN ('asset', 'liability', 'equity', 'income', 'expense', 'cost_of_sales')",
            name=op.f("ck_account_type"),
        ),
        sa.ForeignKeyConstraint(
            ["company_id"],
            ["company.id"],
            name=op.f("fk_account_company_id_company"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("company_id", "id", name=op.f("pk_account")),
        sa.UniqueConstraint("company_id", "code", name=op.f("uq_account_company_id_code")),
    )
    tax_rate = op.create_table(
        "tax_rate",
        sa.Column("company_id", sa.String(length=40), nullable=False),
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("components", sa.JSON(), nullable=False),
        sa.Column("applies_to", sa.String(length=16), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        *_timestamps(),
        sa.CheckConstraint(
            "applies_to IN ('sales', 'purchases', 'both')", name=op.f("ck_tax_rate_applies_to")
        ),
        sa.ForeignKeyConstraint(
            ["company_id"],
            ["company.id"],
            name=op.f("fk_tax_rate_company_id_company"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("company_id", "id", name=op.f("pk_tax_rate")),
        sa.UniqueConstraint("company_id", "code", name=op.f("uq_tax_rate_company_id_code")),
    )
    _seed(account, tax_rate)


def _seed(account: sa.Table | None, tax_rate: sa.Table | None) -> None:
    """Every existing company gets the standard accounts and rates a new one starts with."""
    assert account is not None
    assert tax_rate is not None
    bind = op.get_bind()
    now = datetime.now(UTC)
    stamps = {"active": True, "created_at": now, "updated_at": now}
    for (company_id,) in bind.execute(sa.text("SELECT id FROM company")).all():
        for code, name, kind in ACCOUNTS:
            bind.execute(
                account.insert().values(
                    company_id=company_id,
                    id=new_id("acct"),
                    code=code,
                    name=name,
                    type=kind,
                    **stamps,
                )
            )
        for code, name, components in TAX_RATES:
            bind.execute(
                tax_rate.insert().values(
                    company_id=company_id,
                    id=new_id("tax"),
                    code=code,
                    name=name,
                    components=components,
                    applies_to="both",
                    **stamps,
                )
            )


def downgrade() -> None:
    op.drop_table("tax_rate")
    op.drop_table("account")
