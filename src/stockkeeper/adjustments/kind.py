"""Adjustments as a kind of document: draft -> (pending_approval -> approved | rejected) ->
posted -> reversed, or posted at once."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, exists, or_

from stockkeeper.adjustments.models import StockAdjustment, StockAdjustmentLine
from stockkeeper.core.workflow import Workflow
from stockkeeper.stock.service.documents import DocumentKind, equals, since, until
from stockkeeper.tenancy.service import Role

_A = StockAdjustment
_L = StockAdjustmentLine


def _at(location_id: Any) -> ColumnElement[bool]:
    """Adjustments at the location, or with a line there."""
    line_there = exists().where(
        _L.company_id == _A.company_id, _L.adjustment_id == _A.id, _L.location_id == location_id
    )
    return or_(_A.location_id == location_id, line_there)


ADJUSTMENTS = DocumentKind(
    name="adjustment",
    model=StockAdjustment,
    line=StockAdjustmentLine,
    parent="adjustment_id",
    sequence="adjustment",
    dated_by="adjustment_date",
    number="adjustment_number",
    workflow=Workflow(
        "adjustment",
        {
            "draft": ("edit", "delete", "submit", "post"),
            "pending_approval": ("approve", "reject"),
            "approved": ("post",),
            "rejected": (),
            "posted": ("reverse",),
            "reversed": (),
        },
        listed_as="allowed_actions",
        past={
            "edit": "edited",
            "delete": "deleted",
            "submit": "submitted",
            "approve": "approved",
            "reject": "rejected",
            "post": "posted",
            "reverse": "reversed",
        },
    ),
    filters={
        "date_from": since(_A.adjustment_date),
        "date_to": until(_A.adjustment_date),
        "type": equals(_A.type),
        "reason": equals(_A.reason),
        "status": equals(_A.status),
        "adjustment_type": equals(_A.adjustment_type),
        "location_id": _at,
        "external_id": equals(_A.external_id),
    },
    # as the API's routes allow them: approving and rejecting are an admin's
    needs={"approve": Role.admin, "reject": Role.admin},
)
