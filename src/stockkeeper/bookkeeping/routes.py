"""``/api/v1/accounting``: the stock journals and their tie-out with the valuation."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from stockkeeper.api.deps import ApiRoute, DbSession, Viewer
from stockkeeper.api.problems import problems
from stockkeeper.api.responses import ok, ok_data
from stockkeeper.bookkeeping import views
from stockkeeper.bookkeeping.schemas import (
    JournalParams,
    JournalReport,
    Reconciliation,
    ReconciliationParams,
)
from stockkeeper.bookkeeping.service import journal_report, reconciliation
from stockkeeper.core.api_model import Envelope
from stockkeeper.core.errors import UnknownReference
from stockkeeper.reports.service import export

router = APIRouter(prefix="/api/v1/accounting", tags=["Journals"], route_class=ApiRoute)
_UNKNOWN = [UnknownReference.code_for(what) for what in ("account", "item", "location")]


@router.get(
    "/journals",
    response_model=Envelope[JournalReport],
    responses={**export.FILE_RESPONSES, **problems(*_UNKNOWN)},
    description="The stock journals of a period: each movement's entry, valued by the "
    "company's costing method (debits equal credits), or with `view=daily` the debits and "
    "credits per account and day. Up to the day the books were closed (`keptUntil`) the "
    "entries are the ones kept then; what changed that past since is booked the day after "
    "as a correcting entry. `format=csv|xlsx` downloads the lines.",
)
def journals(
    request: Request, session: DbSession, actor: Viewer, query: Annotated[JournalParams, Query()]
) -> Response:
    report = journal_report.journal_report(session, actor, filters=query)
    kind = export.wanted(request, query.format)
    if kind == "json":
        return ok_data(views.journal_read(report))
    columns, rows = views.journal_rows(report)
    return export.file_response(kind, "stock-journals", report.date_to, columns, rows)


@router.get(
    "/reconciliation",
    response_model=Envelope[Reconciliation],
    responses=problems(),
    description="The valuation at the end of `asOfDate` beside the balances of the inventory "
    "accounts in the journals, per location and in total, with the difference and, when it "
    "is not zero, the entries that make it.",
)
def tie_out(
    session: DbSession, actor: Viewer, query: Annotated[ReconciliationParams, Query()]
) -> Response:
    found = reconciliation.reconcile(session, actor, as_of=query.as_of_date)
    return ok(views.reconciliation_read(found))
