"""An import job: the uploaded file (kept, so that any worker can resume it), its state, its
counts and the errors of its rows."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, CheckConstraint, Index, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from stockkeeper.core.db import Base, company_key
from stockkeeper.core.ids import ID_LENGTH
from stockkeeper.core.types import UTCDateTime, utcnow

STATES = ("validating", "ready", "applying", "done", "failed")
KINDS = ("items", "stock", "prices")
PENDING = ("validating", "ready", "applying")  # what the worker still has to do


class ImportJob(Base):
    """``rows_done`` counts the data rows applied, in the order they are applied (an item's
    rows together); it is written in the transaction of each chunk, so a resumed job starts
    exactly after the last chunk committed."""

    __tablename__ = "import_job"
    __table_args__ = (
        CheckConstraint(
            "state IN ('validating', 'ready', 'applying', 'done', 'failed')", name="state"
        ),
        CheckConstraint("kind IN ('items', 'stock', 'prices')", name="kind"),
        Index("ix_import_job_company_id_created_at", "company_id", "created_at", "id"),
        # the worker's look-up of unfinished jobs, over all companies like the outbox's
        Index("ix_import_job_state", "state"),
    )

    company_id: Mapped[str] = company_key(cascade=True)
    id: Mapped[str] = mapped_column(String(ID_LENGTH), primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    state: Mapped[str] = mapped_column(String(16))
    dry_run: Mapped[bool] = mapped_column(Boolean)
    skip_invalid: Mapped[bool] = mapped_column(Boolean)
    file_name: Mapped[str] = mapped_column(String(255))
    file_format: Mapped[str] = mapped_column(String(4))  # csv | xlsx
    content: Mapped[bytes] = mapped_column(LargeBinary)
    rows: Mapped[int] = mapped_column(Integer, default=0)
    valid: Mapped[int] = mapped_column(Integer, default=0)
    invalid: Mapped[int] = mapped_column(Integer, default=0)
    created: Mapped[int] = mapped_column(Integer, default=0)
    updated: Mapped[int] = mapped_column(Integer, default=0)
    unchanged: Mapped[int] = mapped_column(Integer, default=0)
    rows_done: Mapped[int] = mapped_column(Integer, default=0)
    errors: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    failure: Mapped[str | None] = mapped_column(Text)  # why a job failed beyond its rows
    created_by: Mapped[str] = mapped_column(String(100))
    # the uploader's API key (none from the command line): the jobs' steps act as them
    created_by_key_id: Mapped[str | None] = mapped_column(String(ID_LENGTH))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
