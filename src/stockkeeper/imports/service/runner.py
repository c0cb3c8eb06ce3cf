"""Running an import job to its end, each step in a transaction of its own: what the worker
and the command line do with a job (the service functions themselves only flush)."""

from __future__ import annotations

from collections.abc import Callable

from stockkeeper.core.db import Database
from stockkeeper.imports.models import PENDING
from stockkeeper.imports.service.jobs import (
    apply_chunk,
    check_job,
    get_import,
    uploader,
    validate_job,
)
from stockkeeper.imports.views import ImportView
from stockkeeper.tenancy.service import Actor


def run_import(
    database: Database,
    company_id: str,
    import_id: str,
    *,
    advance: Callable[[int], None] | None = None,
    until: Callable[[], bool] | None = None,
) -> ImportView:
    """Validates the job if it is not yet, then applies chunks until it is done or failed,
    or ``until`` says to stop (between chunks: the job goes on where it was left);
    ``advance`` is told the rows done after each chunk. The job's uploader is its actor."""
    with database.unit_of_work(write=False) as session:
        actor = uploader(
            get_import(session, Actor.system(company_id, "worker"), import_id=import_id)
        )
    with database.unit_of_work(write=False) as session:
        checked = check_job(session, actor, import_id=import_id)
    with database.unit_of_work() as session:
        job = validate_job(session, actor, import_id=import_id, checked=checked)
        view = ImportView.of(job)
    while view.state in PENDING and not (until is not None and until()):
        with database.unit_of_work() as session:
            view = ImportView.of(apply_chunk(session, actor, import_id=import_id))
        if advance is not None:
            advance(view.rows_done)
    return view
