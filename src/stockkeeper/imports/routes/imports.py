"""``/api/v1/imports``: files of items, stock or prices uploaded, checked and applied by the
worker."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Form, Query, UploadFile

from stockkeeper.api.deps import Admin, ApiRoute, DbSession
from stockkeeper.api.problems import problems
from stockkeeper.api.responses import ExactJSONResponse, ok, ok_all
from stockkeeper.core.api_model import Envelope
from stockkeeper.core.errors import NotFound
from stockkeeper.imports.errors import UnreadableFile
from stockkeeper.imports.schemas import ImportListQuery, ImportRead
from stockkeeper.imports.service import jobs
from stockkeeper.imports.values import ImportKind, NewImport
from stockkeeper.imports.views import ImportView, import_read

router = APIRouter(prefix="/api/v1/imports", tags=["Imports"], route_class=ApiRoute)
UPLOAD_LIMIT = 16 * 1024 * 1024 + 64 * 1024  # the file and its multipart framing

_POSTED = (
    "Uploads a file (CSV or XLSX, at most 16 MB; its columns in the README's `Imports and "
    "exports`) as a job, answered at once (202). `kind` says what it holds: `items` (items "
    "and variants, matched by their codes: a re-import updates), `stock` (opening stock: "
    "a row per place, location, item or variant, bin, batch with expiry, serial, saying "
    "what is there; the differences from the ledger are posted as initial_stock "
    "adjustments, so the same file twice changes nothing) or `prices` (a price list: a row "
    "per item and price group, or a variant's selling price; the other prices are kept). "
    "The worker checks every row "
    "first: with faults the job fails with all of them (row, column, reason) and nothing is "
    "applied, unless `skipInvalid` asks to apply the other rows. `dryRun` only checks and "
    "counts."
)


@router.post(
    "",
    status_code=202,
    response_model=Envelope[ImportRead],
    responses=problems(UnreadableFile),
    description=_POSTED,
)
def create_import(
    session: DbSession,
    actor: Admin,
    file: Annotated[UploadFile, File(description="The CSV or XLSX file")],
    kind: Annotated[ImportKind, Form(description="items, stock or prices")] = "items",
    dry_run: Annotated[bool, Form(alias="dryRun")] = False,
    skip_invalid: Annotated[bool, Form(alias="skipInvalid")] = False,
) -> ExactJSONResponse:
    name = file.filename or "upload"
    upload = NewImport(
        kind=kind,
        file_name=name[-255:],
        content=file.file.read(),
        dry_run=dry_run,
        skip_invalid=skip_invalid,
    )
    job = jobs.create_import(session, actor, upload=upload)
    return ok(import_read(ImportView.of(job)), 202)


@router.get("", response_model=Envelope[list[ImportRead]], responses=problems())
def list_imports(
    session: DbSession, actor: Admin, query: Annotated[ImportListQuery, Query()]
) -> ExactJSONResponse:
    found = jobs.list_imports(session, actor, limit=query.limit)
    return ok_all([import_read(ImportView.of(job)) for job in found])


@router.get(
    "/{import_id}",
    response_model=Envelope[ImportRead],
    responses=problems(NotFound.code_for("import")),
    description="The job's state, its counts (rows done so far) and every row at fault.",
)
def get_import(session: DbSession, actor: Admin, import_id: str) -> ExactJSONResponse:
    job = jobs.get_import(session, actor, import_id=import_id)
    return ok(import_read(ImportView.of(job)))
