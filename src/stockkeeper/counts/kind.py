"""Counts as a kind of document: counting -> submitted -> approved -> posted, cancelled at
any step before it is posted. A recount asked for sends a submitted count back to counting."""

from __future__ import annotations

from stockkeeper.core.workflow import Workflow
from stockkeeper.counts.models import StockCount, StockCountLine
from stockkeeper.stock.service.documents import DocumentKind, equals
from stockkeeper.tenancy.service import Role

_C = StockCount

COUNTS = DocumentKind(
    name="count",
    model=StockCount,
    line=StockCountLine,
    parent="count_id",
    sequence="count",
    dated_by="count_date",
    number="count_number",
    workflow=Workflow(
        "count",
        {
            "counting": ("count", "recount", "submit", "cancel"),
            "submitted": ("recount", "approve", "cancel"),
            "approved": ("post", "cancel"),
            "posted": (),
            "cancelled": (),
        },
        listed_as="allowed_actions",
        past={
            "count": "counted",
            "recount": "recounted",
            "submit": "submitted",
            "approve": "approved",
            "post": "posted",
            "cancel": "cancelled",
        },
    ),
    filters={"status": equals(_C.status), "location_id": equals(_C.location_id)},
    needs={"approve": Role.admin, "post": Role.admin},
)

NUMBERING = "CNT-{YYYY}-{SEQ:4}"  # unless the company's numbering formats name "count"
