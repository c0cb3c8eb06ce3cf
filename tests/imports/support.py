"""Helpers for the import tests: files written from rows, jobs run as the worker runs them."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from typing import Any

from stockkeeper.core.db import Database
from stockkeeper.imports.service import jobs
from stockkeeper.imports.service.runner import run_import
from stockkeeper.imports.values import NewImport
from stockkeeper.imports.views import ImportView
from tests.support import Tenant

HEADINGS = ["itemCode", "variantCode", "name", "type", "costPrice", "category", "barcode"]


def csv_file(headings: Sequence[str], *rows: Sequence[Any]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(headings)
    writer.writerows([["" if v is None else v for v in row] for row in rows])
    return buffer.getvalue().encode()


def start(database: Database, tenant: Tenant, content: bytes, **options: Any) -> str:
    upload = NewImport(file_name="items.csv", content=content, **options)
    with database.unit_of_work() as session:
        return jobs.create_import(session, tenant.actor, upload=upload).id


def run(database: Database, tenant: Tenant, content: bytes, **options: Any) -> ImportView:
    """Creates the job and runs it to its end."""
    job_id = start(database, tenant, content, **options)
    return run_import(database, tenant.company_id, job_id)
