"""The HTTP face of imports and exports: upload, the worker's rounds, the job read back; the
export taken back by an import, CSV and XLSX, to the same catalogue."""

from __future__ import annotations

import csv
import dataclasses
import io
import threading
from typing import Any

import httpx
import openpyxl
import pytest
from sqlalchemy import select

from stockkeeper.core.audit import AuditEvent
from stockkeeper.core.db import Database
from stockkeeper.imports.service import files, jobs, kinds
from stockkeeper.worker import ImportJobs
from tests.imports.test_items_import import full_file
from tests.support import Api, problem


def upload(api: Api, content: bytes, name: str = "items.csv", **form: str) -> httpx.Response:
    return api.request("POST", "/api/v1/imports", files={"file": (name, content)}, data=form)


def worker_round(database: Database) -> int:
    return ImportJobs(database, threading.Event()).round()


def items(api: Api) -> dict[str, dict[str, Any]]:
    """Every item as ``GET /items/{id}`` shows it, by code, without its timestamps."""
    listed = api.data(api.get("/api/v1/items", params={"limit": 100}))
    found = {}
    for row in listed:
        item = api.data(api.get(f"/api/v1/items/{row['id']}"))
        item.pop("updatedAt")
        for variant in item.get("variants") or []:
            variant.pop("updatedAt")
        found[item["itemCode"]] = item
    return found


def test_an_upload_is_applied_by_the_worker_and_read_back(api: Api, database: Database) -> None:
    supplier = api.supplier()["creditorNumber"]
    job = api.data(upload(api, full_file(supplier), dryRun="false"), 202)
    assert (job["state"], job["kind"], job["counts"]["rows"]) == ("validating", "items", 3)
    assert worker_round(database) >= 1
    done = api.data(api.get(f"/api/v1/imports/{job['id']}"))
    assert done["state"] == "done" and done["finishedAt"] is not None
    assert done["counts"] == {
        "rows": 3,
        "valid": 3,
        "invalid": 0,
        "created": 3,
        "updated": 0,
        "unchanged": 0,
        "done": 3,
    }
    listed = api.data(api.get("/api/v1/imports"))
    assert [j["id"] for j in listed] == [job["id"]]
    assert set(items(api)) == {"HAM-1", "SRV-1"}
    with database.unit_of_work(write=False) as session:
        statement = select(AuditEvent.actor_key_id, AuditEvent.actor_name).where(
            AuditEvent.company_id == api.tenant.company_id, AuditEvent.action == "item.created"
        )
        # the worker acts as who uploaded: their key names the items' audit rows
        assert set(session.execute(statement).all()) == {(api.tenant.actor.key_id, "admin")}


def test_an_upload_sent_again_with_its_key_is_one_job(api: Api, database: Database) -> None:
    """A client's retry sends the same bytes (its multipart boundary too)."""
    body = (
        b"--sk\r\nContent-Disposition: form-data; name=file; filename=items.csv\r\n\r\n"
        b"itemCode,name,type\nK-1,One,inventory\n\r\n--sk--\r\n"
    )
    headers = {"Idempotency-Key": "upload-1", "Content-Type": "multipart/form-data; boundary=sk"}
    first = api.data(api.request("POST", "/api/v1/imports", content=body, headers=headers), 202)
    again = api.data(api.request("POST", "/api/v1/imports", content=body, headers=headers), 202)
    assert first["id"] == again["id"]
    assert len(api.data(api.get("/api/v1/imports"))) == 1
    worker_round(database)  # no job left for the tests after this one


def test_the_worker_resumes_a_job_a_crash_interrupted(
    api: Api, database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    worker_round(database)  # the worker runs every company's jobs: none but this one
    monkeypatch.setattr(jobs, "CHUNK_ROWS", 1)
    monkeypatch.setattr(jobs, "CHUNK_SECONDS", 60)
    content = b"itemCode,name,type\n" + b"".join(
        b"W-%d,Item %d,inventory\n" % (n, n) for n in range(4)
    )
    job = api.data(upload(api, content), 202)
    real = kinds.KINDS["items"]
    calls: list[int] = []

    def crashing(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("the process died")
        return real.apply(*args, **kwargs)

    monkeypatch.setitem(kinds.KINDS, "items", dataclasses.replace(real, apply=crashing))
    worker_round(database)
    halfway = api.data(api.get(f"/api/v1/imports/{job['id']}"))
    assert (halfway["state"], halfway["counts"]["done"]) == ("applying", 1)
    worker_round(database)
    done = api.data(api.get(f"/api/v1/imports/{job['id']}"))
    assert (done["state"], done["counts"]["done"], done["counts"]["created"]) == ("done", 4, 4)
    assert sorted(items(api)) == ["W-0", "W-1", "W-2", "W-3"]


def test_what_an_upload_is_refused(api: Api, monkeypatch: pytest.MonkeyPatch) -> None:
    refused = upload(api, b"\xff\xfe\x00garbage")
    assert problem(refused, 422)["code"] == "unreadable_import_file"
    workbook = api.get("/api/v1/exports/items?format=xlsx").content
    monkeypatch.setattr(files, "MAX_UNZIPPED", 1000)  # as a small file that unzips to GBs
    bomb = problem(upload(api, workbook), 422)
    assert bomb["code"] == "unreadable_import_file" and "unzips to more than" in bomb["detail"]
    clerk = api.as_key(api.tenant.clerk_key)
    assert upload(clerk, b"itemCode,name\n").status_code == 403
    assert problem(api.get("/api/v1/imports/imp_nope"), 404)["code"] == "import_not_found"


def test_a_file_at_fault_fails_with_every_row_named(api: Api, database: Database) -> None:
    content = b"itemCode,name,type,colour\nA,,inventory,red\n"
    job = api.data(upload(api, content), 202)
    worker_round(database)
    failed = api.data(api.get(f"/api/v1/imports/{job['id']}"))
    assert failed["state"] == "failed"
    assert failed["errors"] == [
        {"row": 1, "column": "colour", "reason": "not a column of an item file"}
    ]


def _edited_csv(content: bytes) -> bytes:
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    name = rows[0].index("name")
    row = next(r for r in rows if r[0] == "HAM-1" and not r[1])
    row[name] = "=Hammer (edited)"  # formula-like: the export writes it behind a quote
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue().encode()


def _edited_xlsx(content: bytes) -> bytes:
    book = openpyxl.load_workbook(io.BytesIO(content))
    sheet = book.worksheets[0]
    headings = [c.value for c in sheet[1]]
    for cells in sheet.iter_rows(min_row=2):
        if cells[0].value == "HAM-1" and cells[1].value is None:
            cells[headings.index("name")].value = "=Hammer (edited)"
            cells[headings.index("name")].data_type = "s"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_an_export_edited_and_imported_gives_the_same_catalogue(
    api: Api, database: Database, kind: str
) -> None:
    api.data(upload(api, full_file(api.supplier()["creditorNumber"])), 202)
    worker_round(database)
    before = items(api)
    exported = api.get("/api/v1/exports/items", params={"format": kind})
    assert exported.status_code == 200, exported.text
    edit = _edited_csv if kind == "csv" else _edited_xlsx
    job = api.data(upload(api, edit(exported.content), f"items.{kind}"), 202)
    worker_round(database)
    done = api.data(api.get(f"/api/v1/imports/{job['id']}"))
    assert (done["state"], done["errors"]) == ("done", [])
    assert (done["counts"]["updated"], done["counts"]["unchanged"]) == (1, 2)
    after = items(api)
    assert after["HAM-1"]["name"] == "=Hammer (edited)"
    after["HAM-1"]["name"] = before["HAM-1"]["name"]
    assert after == before
    again = api.get("/api/v1/exports/items", params={"format": kind})
    job = api.data(upload(api, again.content, f"items.{kind}"), 202)
    worker_round(database)
    unchanged = api.data(api.get(f"/api/v1/imports/{job['id']}"))
    assert unchanged["counts"]["unchanged"] == 3
