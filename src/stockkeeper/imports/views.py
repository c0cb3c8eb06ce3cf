"""An import job as the faces show it: taken from its row inside the transaction, so that it
can be rendered after it (the worker's and the command line's summaries)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from stockkeeper.imports.models import ImportJob
from stockkeeper.imports.schemas import ImportCounts, ImportFault, ImportRead

COUNTS = ("rows", "valid", "invalid", "created", "updated", "unchanged")


@dataclass(frozen=True)
class ImportView:
    id: str
    kind: str
    state: str
    dry_run: bool
    skip_invalid: bool
    file_name: str
    file_format: str
    counts: dict[str, int]
    rows_done: int
    errors: list[dict[str, Any]]
    created_by: str
    created_at: datetime
    updated_at: datetime
    finished_at: datetime | None

    @classmethod
    def of(cls, job: ImportJob) -> ImportView:
        return cls(
            id=job.id,
            kind=job.kind,
            state=job.state,
            dry_run=job.dry_run,
            skip_invalid=job.skip_invalid,
            file_name=job.file_name,
            file_format=job.file_format,
            counts={name: getattr(job, name) for name in COUNTS},
            rows_done=job.rows_done,
            errors=list(job.errors),
            created_by=job.created_by,
            created_at=job.created_at,
            updated_at=job.updated_at,
            finished_at=job.finished_at,
        )


def import_read(view: ImportView) -> ImportRead:
    return ImportRead(
        id=view.id,
        kind=view.kind,
        state=view.state,
        dry_run=view.dry_run,
        skip_invalid=view.skip_invalid,
        file_name=view.file_name,
        file_format=view.file_format,
        counts=ImportCounts(**view.counts, done=view.rows_done),
        errors=[ImportFault(**e) for e in view.errors],
        created_by=view.created_by,
        created_at=view.created_at,
        updated_at=view.updated_at,
        finished_at=view.finished_at,
    )
