"""Snapshots of the costing replay: what each item's book held at the end of a settled day (a
month end, or the latest settled day), so that a report replays only what came after it
(costing/service/snapshots.py).

A snapshot is a cache, never a record: it is valid while its ``revision`` equals the item's
``cost_revision``, which the ledger raises whenever it posts a movement dated in the past.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Date, ForeignKeyConstraint, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from stockkeeper.core.db import Base, company_key
from stockkeeper.core.ids import ID_LENGTH


class CostSnapshot(Base):
    __tablename__ = "cost_snapshot"
    __table_args__ = (
        ForeignKeyConstraint(
            ["company_id", "item_id"], ["item.company_id", "item.id"], ondelete="CASCADE"
        ),
        Index("ix_cost_snapshot_company_id_item_id", "company_id", "item_id"),
    )

    # in this order: a report reads one method's snapshots at one day, of all items
    company_id: Mapped[str] = company_key(cascade=True)
    method: Mapped[str] = mapped_column(String(10), primary_key=True)
    as_of: Mapped[date] = mapped_column(Date, primary_key=True)
    item_id: Mapped[str] = mapped_column(String(ID_LENGTH), primary_key=True)
    rolling: Mapped[bool]  # taken at the latest settled day, replaced as days pass
    revision: Mapped[int]
    state: Mapped[str] = mapped_column(Text)  # JSON: each variant's book (engine.Book.state)
