"""adjustment lines of their own location (the adjustment's for the lines before), over several
bins, with an account and a reason in words of their own; the reason other for every existing
company; the manufacturer's batch number and date on the batches posted lines recorded

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-06 21:00:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

from stockkeeper.core.types import UTCDateTime

revision: str = "0021"
down_revision: str | None = "0020"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# as a new company's reasons are seeded (catalog/service/reasons.py), frozen here
REASON = ("other", "Other")
# the lines that record the batches they posted, as lots.py stores them
BATCH_LINES = (
    "stock_adjustment_line",
    "stock_transfer_line",
    "sales_document_line",
    "purchase_receipt_line",
)
_NOW = sa.bindparam("now", type_=UTCDateTime())


def upgrade() -> None:
    op.add_column("stock_adjustment", sa.Column("reason_text", sa.String(255), nullable=True))
    with op.batch_alter_table("stock_adjustment_line") as batch:
        batch.add_column(sa.Column("location_id", sa.String(length=40), nullable=True))
        batch.add_column(sa.Column("bins", sa.JSON(), nullable=True))
        batch.add_column(sa.Column("reason_text", sa.String(length=255), nullable=True))
        batch.add_column(sa.Column("account_id", sa.String(length=64), nullable=True))
    op.execute(
        "UPDATE stock_adjustment_line SET location_id = (SELECT a.location_id "
        "FROM stock_adjustment a WHERE a.company_id = stock_adjustment_line.company_id "
        "AND a.id = stock_adjustment_line.adjustment_id)"
    )
    with op.batch_alter_table("stock_adjustment_line") as batch:
        batch.alter_column("location_id", existing_type=sa.String(length=40), nullable=False)
        batch.create_foreign_key(
            op.f("fk_stock_adjustment_line_company_id_location_id_location"),
            "location",
            ["company_id", "location_id"],
            ["company_id", "id"],
        )
    bind = op.get_bind()
    for (company_id,) in bind.execute(sa.text("SELECT id FROM company ORDER BY id")).all():
        _reason(bind, company_id)
    for table in BATCH_LINES:
        _batch_fields(bind, table)


def _reason(bind: sa.Connection, company_id: str) -> None:
    code, name = REASON
    taken = bind.execute(
        sa.text("SELECT 1 FROM adjustment_reason WHERE company_id = :c AND code = :code"),
        {"c": company_id, "code": code},
    ).scalar()
    if taken:  # a reason of the company's own: it files other words from now on
        return
    bind.execute(
        sa.text(
            "INSERT INTO adjustment_reason (company_id, code, name, is_system, is_active, "
            "created_at) VALUES (:c, :code, :name, :true, :true, :now)"
        ).bindparams(_NOW),
        {"c": company_id, "code": code, "name": name, "true": True, "now": datetime.now(UTC)},
    )


def _batch_fields(bind: sa.Connection, name: str) -> None:
    """The posted lines' batches (those with an id and an expiry, the shape lots.py stored
    them in) with the batch's external number and manufacturer date, as posting records them
    from now on; a draft's batches stay as they were given."""
    batch = sa.table(
        "batch",
        sa.column("company_id"),
        sa.column("id"),
        sa.column("external_batch_number"),
        sa.column("manufacturer_date", sa.Date()),
    )
    known = {
        (company_id, ident): (external, made.isoformat() if made else None)
        for company_id, ident, external, made in bind.execute(
            sa.select(batch).where(
                sa.or_(
                    batch.c.external_batch_number.is_not(None),
                    batch.c.manufacturer_date.is_not(None),
                )
            )
        )
    }
    if not known:
        return
    # the engine's JSON reads numbers as decimals and writes them back exact
    lines = sa.table(
        name, sa.column("company_id"), sa.column("id"), sa.column("batches", sa.JSON())
    )
    changed = []
    for company_id, ident, entries in bind.execute(
        sa.select(lines).where(lines.c.batches.is_not(None))
    ):
        posted = [
            e
            for e in entries or []
            if (company_id, e.get("batch_id")) in known and "expiry_date" in e
        ]
        for entry in posted:
            external, made = known[(company_id, entry["batch_id"])]
            entry.setdefault("external_batch_number", external)
            entry.setdefault("manufacturer_date", made)
        if posted:
            changed.append({"b_company": company_id, "b_id": ident, "b_batches": entries})
    if changed:
        update = (
            lines.update()
            .where(
                lines.c.company_id == sa.bindparam("b_company"), lines.c.id == sa.bindparam("b_id")
            )
            .values(batches=sa.bindparam("b_batches", type_=sa.JSON()))
        )
        bind.execute(update, changed)


def downgrade() -> None:
    # the reason other and the batches' fields stay, as data: only the schema goes back
    with op.batch_alter_table("stock_adjustment_line") as batch:
        batch.drop_constraint(
            op.f("fk_stock_adjustment_line_company_id_location_id_location"), type_="foreignkey"
        )
        for name in ("account_id", "reason_text", "bins", "location_id"):
            batch.drop_column(name)
    op.drop_column("stock_adjustment", "reason_text")
