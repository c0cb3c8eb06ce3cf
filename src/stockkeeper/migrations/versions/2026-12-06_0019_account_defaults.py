"""the company's default accounts and tax rates, seeded for every existing company; the
accounts categories, locations and adjustment reasons may name instead

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-06 19:00:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

import stockkeeper.core.types

revision: str = "0019"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# as a new company's defaults are seeded (accounting/service/defaults.py), frozen here
ACCOUNTS = {
    "inventory_account_id": "acc_inventory",
    "cogs_account_id": "acc_cogs",
    "sales_account_id": "acc_sales_revenue",
    "grni_account_id": "acc_grni",
    "adjustments_account_id": "acc_inventory_adjustments",
    "price_variance_account_id": "acc_ppv",
    "transit_account_id": "acc_inventory_transit",
}
TAX_RATES = {"sales_tax_code": "SST", "purchase_tax_code": "SST"}
# each a nullable account id or code, overriding a default
OVERRIDES = (
    ("category", "inventory_account_id"),
    ("location", "inventory_account_id"),
    ("adjustment_reason", "account_id"),
)


def upgrade() -> None:
    defaults = op.create_table(
        "accounting_defaults",
        sa.Column("company_id", sa.String(length=40), nullable=False),
        *(sa.Column(name, sa.String(length=64), nullable=True) for name in ACCOUNTS),
        *(sa.Column(name, sa.String(length=32), nullable=True) for name in TAX_RATES),
        sa.Column("updated_at", stockkeeper.core.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["company_id"],
            ["company.id"],
            name=op.f("fk_accounting_defaults_company_id_company"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("company_id", name=op.f("pk_accounting_defaults")),
    )
    assert defaults is not None
    for table, column in OVERRIDES:
        op.add_column(table, sa.Column(column, sa.String(length=64), nullable=True))
    bind = op.get_bind()
    now = datetime.now(UTC)
    for (company_id,) in bind.execute(sa.text("SELECT id FROM company")).all():
        bind.execute(
            defaults.insert().values(company_id=company_id, updated_at=now, **ACCOUNTS, **TAX_RATES)
        )


def downgrade() -> None:
    for table, column in OVERRIDES:
        with op.batch_alter_table(table) as batch:
            batch.drop_column(column)
    op.drop_table("accounting_defaults")
