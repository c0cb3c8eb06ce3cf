"""Transfers as a kind of document: draft -> (pending_approval -> approved | rejected) ->
shipped -> completed, or cancelled before shipping; or carried out at once, straight to
completed. Its workflow's moves are the statuses a transfer may become (``received``
completes it), listed as ``allowed_statuses``."""

from __future__ import annotations

from sqlalchemy import ColumnElement, or_

from stockkeeper.core.workflow import Workflow
from stockkeeper.stock.service.documents import DocumentKind, equals, since, until
from stockkeeper.tenancy.service import Role
from stockkeeper.transfers.models import StockTransfer, StockTransferLine

_T = StockTransfer


def _either_end(location_id: str) -> ColumnElement[bool]:
    return or_(_T.from_location_id == location_id, _T.to_location_id == location_id)


TRANSFERS = DocumentKind(
    name="transfer",
    model=StockTransfer,
    line=StockTransferLine,
    parent="transfer_id",
    sequence="transfer",
    dated_by="transfer_date",
    number="transfer_number",
    workflow=Workflow(
        "transfer",
        {
            "draft": ("pending_approval", "approved", "shipped", "cancelled"),
            # an admin's shipping approves it on the way (a clerk's is refused)
            "pending_approval": ("approved", "rejected", "shipped", "cancelled"),
            "approved": ("shipped", "cancelled"),
            "shipped": ("received",),
            "rejected": (),
            "completed": (),
            "cancelled": (),
        },
        listed_as="allowed_statuses",
        past={
            "pending_approval": "pending approval",
            "approved": "approved",
            "rejected": "rejected",
            "shipped": "shipped",
            "received": "received",
            "cancelled": "cancelled",
        },
    ),
    filters={
        "status": equals(_T.status),
        "from_location_id": equals(_T.from_location_id),
        "to_location_id": equals(_T.to_location_id),
        "location_id": _either_end,
        "date_from": since(_T.transfer_date),
        "date_to": until(_T.transfer_date),
        "external_id": equals(_T.external_id),
    },
    # approving and rejecting are an admin's; so is shipping a transfer that waits for
    # approval, which approves it on the way
    needs={"approved": Role.admin, "rejected": Role.admin},
    needs_from={("pending_approval", "shipped"): Role.admin},
)

# the statuses in which a transfer's content may be replaced (``update_transfer``)
EDITABLE = ("draft",)

# the statuses only an admin may give
ADMIN_ONLY = ("approved", "rejected")

# the audit action of each status a transfer is created in or moved to
RECORDED_AS = {
    "draft": "drafted",
    "pending_approval": "submitted",
    "approved": "approved",
    "rejected": "rejected",
    "shipped": "shipped",
    "received": "received",
    "completed": "completed",
    "cancelled": "cancelled",
}
