"""An import interrupted mid-way (a crash while a chunk is applied) resumes after the last
chunk committed: every row applied once, none twice."""

from __future__ import annotations

import dataclasses
import threading
from typing import Any

import pytest
from sqlalchemy import func, select

from stockkeeper.catalog.models import Item
from stockkeeper.catalog.service.categories import create_category
from stockkeeper.catalog.values import NewCategory
from stockkeeper.core.audit import AuditEvent
from stockkeeper.core.db import Database
from stockkeeper.imports.models import ImportJob
from stockkeeper.imports.service import jobs, kinds
from stockkeeper.imports.service.runner import run_import
from tests.imports.support import csv_file, start
from tests.support import Tenant


class Crash(Exception):
    pass


def test_a_job_interrupted_after_two_chunks_resumes_and_applies_each_row_once(
    database: Database, tenant: Tenant, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(jobs, "CHUNK_ROWS", 2)
    monkeypatch.setattr(jobs, "CHUNK_SECONDS", 60)
    rows = [[f"R-{n}", f"Item {n}", "inventory"] for n in range(7)]
    rows.insert(3, ["R-1", "R-1-V", "Variant of R-1", ""])  # applied with its item
    job_id = start(
        database,
        tenant,
        csv_file(
            ["itemCode", "variantCode", "name", "type"],
            *[[r[0], "", *r[1:]] if len(r) == 3 else r for r in rows],
        ),
    )
    real = kinds.KINDS["items"]
    calls = []

    def crashing(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        applied = real.apply(*args, **kwargs)  # written, then lost with its transaction
        if len(calls) == 3:
            raise Crash()
        return applied

    monkeypatch.setitem(kinds.KINDS, "items", dataclasses.replace(real, apply=crashing))
    with pytest.raises(Crash):
        run_import(database, tenant.company_id, job_id)
    with database.unit_of_work(write=False) as session:
        job = session.get(ImportJob, (tenant.company_id, job_id))
        assert job is not None
        # chunks: R-0 R-1 (+ its variant: whole items), then R-2 R-3; the third was lost
        assert (job.state, job.rows_done, job.created) == ("applying", 5, 5)
        assert _items(session, tenant) == 4
    monkeypatch.setitem(kinds.KINDS, "items", real)
    done = run_import(database, tenant.company_id, job_id)
    assert (done.state, done.rows_done, done.counts["created"]) == ("done", 8, 8)
    with database.unit_of_work(write=False) as session:
        assert _items(session, tenant) == 7
        created = session.scalars(
            select(AuditEvent.entity_id).where(
                AuditEvent.company_id == tenant.company_id, AuditEvent.action == "item.created"
            )
        ).all()
        assert len(created) == len(set(created)) == 7


def _items(session: Any, tenant: Tenant) -> int:
    statement = select(func.count()).select_from(Item).where(Item.company_id == tenant.company_id)
    return int(session.scalar(statement) or 0)


def test_a_chunk_ends_with_the_item_that_reaches_its_time(
    database: Database, tenant: Tenant, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(jobs, "CHUNK_SECONDS", 0)  # each chunk: its first item, whole
    rows = [["T-1", "", "One", "inventory"], ["T-1", "T-1-V", "Its variant", ""]]
    rows += [["T-2", "", "Two", "inventory"], ["T-3", "", "Three", "inventory"]]
    job_id = start(database, tenant, csv_file(["itemCode", "variantCode", "name", "type"], *rows))
    progress: list[int] = []
    done = run_import(database, tenant.company_id, job_id, advance=progress.append)
    assert progress == [2, 3, 4] and done.counts["created"] == 4


def test_the_checks_of_a_file_keep_no_writer_waiting(
    database: Database, tenant: Tenant, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A large file's checks take seconds: another writer commits while they run."""
    job_id = start(
        database, tenant, csv_file(["itemCode", "name", "type"], ["W-1", "W", "inventory"])
    )
    real = kinds.KINDS["items"]
    wrote: list[str] = []

    def write() -> None:
        with database.unit_of_work() as session:
            made = create_category(session, tenant.actor, category=NewCategory(name="Meanwhile"))
            wrote.append(made.category.id)

    def checking(*args: Any) -> Any:
        writer = threading.Thread(target=write)
        writer.start()
        writer.join(timeout=20)
        return real.check(*args)

    monkeypatch.setitem(kinds.KINDS, "items", dataclasses.replace(real, check=checking))
    view = run_import(database, tenant.company_id, job_id)
    assert view.state == "done" and len(wrote) == 1
