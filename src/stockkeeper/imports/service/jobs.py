"""The import use cases. A job is created with its file (read once, so that an unreadable
one is refused at once), then checked whole (``validate_job``) and applied a chunk at a time
(``apply_chunk``), each step in a transaction of its own that the job's row lock orders:
the rows done are written with the chunk, so a job resumed after a crash starts after the
last chunk committed and never applies a row twice."""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import accumulate
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from stockkeeper.core import audit
from stockkeeper.core.errors import NotFound
from stockkeeper.core.ids import new_id
from stockkeeper.core.locks import lock_one
from stockkeeper.core.types import utcnow
from stockkeeper.imports.models import PENDING, ImportJob
from stockkeeper.imports.service.files import file_format, read_table
from stockkeeper.imports.service.kinds import KINDS, Fault
from stockkeeper.imports.values import NewImport
from stockkeeper.tenancy.service import Actor, Role, get_company

# a chunk: whole items, up to this many rows or until this long (docs/decisions/0029)
CHUNK_ROWS = 500
CHUNK_SECONDS = 0.5
_PARSED: dict[str, list[Any]] = {}  # a job's rows, parsed once per process (its file is fixed)
_GROUPED: dict[str, tuple[list[Any], list[int]]] = {}


def create_import(session: Session, actor: Actor, *, upload: NewImport) -> ImportJob:
    get_company(session, actor.company_id)
    table = read_table(upload.content)
    job = ImportJob(
        id=new_id("imp"),
        company_id=actor.company_id,
        kind=upload.kind,
        state="validating",
        dry_run=upload.dry_run,
        skip_invalid=upload.skip_invalid,
        file_name=upload.file_name,
        file_format=file_format(upload.content),
        content=upload.content,
        rows=len(table.rows),
        errors=[],
        created_by=actor.name,
        created_by_key_id=actor.key_id,
    )
    session.add(job)
    session.flush()
    details = {"kind": job.kind, "file_name": job.file_name, "rows": job.rows}
    audit.record(session, actor, "import.created", "import", job.id, **details)
    return job


def get_import(session: Session, actor: Actor, *, import_id: str) -> ImportJob:
    job = session.get(ImportJob, (actor.company_id, import_id))
    if job is None:
        raise NotFound("import", import_id)
    return job


def list_imports(session: Session, actor: Actor, *, limit: int) -> Sequence[ImportJob]:
    """The company's latest imports, newest first."""
    statement = select(ImportJob).where(ImportJob.company_id == actor.company_id)
    order = (ImportJob.created_at.desc(), ImportJob.id.desc())
    return session.scalars(statement.order_by(*order).limit(limit)).all()


def uploader(job: ImportJob) -> Actor:
    """Who the job's steps act as: who uploaded it (an admin, as importing needs)."""
    return Actor(job.company_id, job.created_by_key_id, job.created_by, Role.admin)


def pending_imports(session: Session) -> list[tuple[str, str]]:
    """(company, job) of every job not finished, over all companies, oldest first."""
    statement = select(ImportJob.company_id, ImportJob.id).where(ImportJob.state.in_(PENDING))
    rows = session.execute(statement.order_by(ImportJob.created_at, ImportJob.id))
    return [(company_id, job_id) for company_id, job_id in rows]


@dataclass(frozen=True)
class Checked:
    """What the checks of a job's rows found, and for a dry run the counts applying gives."""

    faults: list[Fault]
    counts: Counter[str] | None = None


def check_job(session: Session, actor: Actor, *, import_id: str) -> Checked | None:
    """Checks every row, reading only: a large file's checks take seconds, and a write
    transaction would keep the other writers waiting that long. None for a job past them."""
    job = get_import(session, actor, import_id=import_id)
    if job.state != "validating":
        return None
    kind = KINDS[job.kind]
    _PARSED.pop(job.id, None)  # the checks mark the rows: a check tried again starts afresh
    _GROUPED.pop(job.id, None)
    rows, faults = _rows(job)
    faults += kind.check(session, actor.company_id, rows)
    bad = {row for row, _, _ in faults}
    if not job.dry_run or _fails(job, bad):
        return Checked(faults)
    applied = kind.apply(session, actor, _groups(job)[0], skip=bad, write=False)
    return Checked(faults, applied.counts)


def validate_job(
    session: Session, actor: Actor, *, import_id: str, checked: Checked | None = None
) -> ImportJob:
    """Keeps what the checks found (``check_job``'s, else checked here): a file at fault
    fails unless it asked to skip the rows at fault. A dry run ends here, with the counts
    applying would give."""
    job = _locked(session, actor, import_id)
    if job.state != "validating":
        return job
    found = checked or check_job(session, actor, import_id=import_id)
    assert found is not None  # the job is still to be checked
    bad = {row for row, _, _ in found.faults}
    job.errors = _errors(found.faults)
    job.invalid, job.valid = len(bad), job.rows - len(bad)
    if _fails(job, bad):
        return _finish(session, actor, job, "failed")
    if found.counts is not None:
        _count(job, found.counts)
        job.rows_done = job.rows
        return _finish(session, actor, job, "done")
    job.state = "ready"
    return job


def _fails(job: ImportJob, bad: set[int]) -> bool:
    """Rows at fault fail the file, unless it skips them; a fault of the headings always."""
    return bool(bad) and (not job.skip_invalid or 1 in bad)


def apply_chunk(session: Session, actor: Actor, *, import_id: str) -> ImportJob:
    """Applies the next chunk of rows after those done: whole items, about ``CHUNK_ROWS``
    rows at most, fewer when they take ``CHUNK_SECONDS``. The job is done when none is
    left."""
    job = _locked(session, actor, import_id)
    if job.state not in ("ready", "applying"):
        return job
    kind = KINDS[job.kind]
    groups, starts = _groups(job)
    chunk: list[Any] = []
    taken = 0
    for group in groups[bisect_left(starts, job.rows_done) :]:
        if taken >= CHUNK_ROWS:
            break
        chunk.append(group)
        taken += len(group.rows)
    skip = {error["row"] for error in job.errors}
    applied = kind.apply(session, actor, chunk, skip=skip, write=True, seconds=CHUNK_SECONDS)
    _count(job, applied.counts)
    job.invalid += applied.counts["refused"]
    job.valid -= applied.counts["refused"]
    job.errors = job.errors + _errors(applied.faults)
    job.rows_done += applied.rows
    if job.rows_done >= job.rows:
        return _finish(session, actor, job, "done")
    job.state = "applying"
    return job


def _locked(session: Session, actor: Actor, import_id: str) -> ImportJob:
    job = lock_one(session, ImportJob, (actor.company_id, import_id))
    if job is None:
        raise NotFound("import", import_id)
    return job


def _rows(job: ImportJob) -> tuple[list[Any], list[Fault]]:
    kind = KINDS[job.kind]
    if job.id not in _PARSED:
        _PARSED.clear()  # one job at a time is run by a process
        _PARSED[job.id] = list(kind.rows(read_table(job.content)))
    rows, faults = _PARSED[job.id]
    return rows, list(faults)


def _groups(job: ImportJob) -> tuple[list[Any], list[int]]:
    """The job's rows in the groups it applies, grouped once per process like its rows, and
    the number of rows before each group: a chunk finds its first group by rows done."""
    rows, _ = _rows(job)
    if job.id not in _GROUPED:
        _GROUPED.clear()
        groups = KINDS[job.kind].groups(rows)
        _GROUPED[job.id] = (groups, list(accumulate((len(g.rows) for g in groups), initial=0)))
    return _GROUPED[job.id]


def _errors(faults: list[Fault]) -> list[dict[str, Any]]:
    return [{"row": row, "column": column, "reason": reason} for row, column, reason in faults]


def _count(job: ImportJob, counts: dict[str, int]) -> None:
    job.created += counts.get("created", 0)
    job.updated += counts.get("updated", 0)
    job.unchanged += counts.get("unchanged", 0)


def _finish(session: Session, actor: Actor, job: ImportJob, state: str) -> ImportJob:
    job.state = state
    job.finished_at = utcnow()
    session.flush()
    counts = {n: getattr(job, n) for n in ("valid", "invalid", "created", "updated", "unchanged")}
    audit.record(session, actor, f"import.{state}", "import", job.id, **counts)
    return job
