"""A transfer's status changes after creation: submitting it for approval, approving or
rejecting it (admins only), shipping, receiving (which completes it) and cancelling. Each
takes the transfer's row lock first, so each happens once; each is signed in its approvals
and announced as ``inventory.transfer``."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from stockkeeper.catalog.models import Item
from stockkeeper.core.ids import new_id
from stockkeeper.core.types import utcnow
from stockkeeper.stock.service.documents import locations_by_id
from stockkeeper.tenancy.service import Actor, Role
from stockkeeper.transfers import views
from stockkeeper.transfers.errors import AdminOnly, ApprovalRequired, ItemsNotExpected
from stockkeeper.transfers.kind import ADMIN_ONLY, RECORDED_AS, TRANSFERS
from stockkeeper.transfers.models import StockTransfer, StockTransferLine, TransferApproval
from stockkeeper.transfers.service import moves
from stockkeeper.transfers.service.documents import announce, approvals_of, shipping_json
from stockkeeper.transfers.values import StatusChange

# the shipping time a change stands for, unless it gives one
_TIMED = {"shipped": "shipped_at", "received": "actual_delivery"}


def change_transfer_status(
    session: Session, actor: Actor, *, transfer_id: str, change: StatusChange
) -> views.TransferView:
    """Moves the transfer to ``change.status``, doing what that status means: shipping moves
    stock into transit, receiving moves it on to the destination and completes the transfer."""
    target = change.status
    if target in ADMIN_ONLY and actor.role < Role.admin:
        raise AdminOnly(target, actor.role.name)
    row = TRANSFERS.locked(session, actor, transfer_id, target)
    if change.items is not None and target not in ("shipped", "received"):
        raise ItemsNotExpected(target)
    if target == "shipped" and row.status == "pending_approval":
        _approve_by_shipping(session, actor, row)
    lines = TRANSFERS.lines(session, actor.company_id, [row.id])[row.id]
    rows = [line for line, _ in lines]
    if target == "shipped":
        moves.ship(session, actor, row, rows, change.items or ())
    elif target == "received":
        moves.receive(session, actor, row, rows, change.items or (), change.reason or "lost")
    now = utcnow()
    timed = {_TIMED[target]: now} if target in _TIMED else {}
    row.shipping = shipping_json(row.shipping, change.shipping, **timed)
    row.status = "completed" if target == "received" else target
    row.updated_at = now
    _sign(session, actor, row, change, now)
    TRANSFERS.record(session, actor, RECORDED_AS[target], row)
    return announce(session, actor, _current(session, actor, row, lines))


def _approve_by_shipping(session: Session, actor: Actor, row: StockTransfer) -> None:
    """The documented sequence: a transfer created with ``requestApproval``, then shipped. An
    admin's shipping signs the approval first, as its own step; anyone else is refused."""
    if actor.role < Role.admin:
        raise ApprovalRequired(actor.role.name)
    row.status = "approved"
    approval = StatusChange(status="approved", notes="approved by shipping it")
    _sign(session, actor, row, approval, utcnow())
    TRANSFERS.record(session, actor, RECORDED_AS["approved"], row)


def _sign(
    session: Session, actor: Actor, row: StockTransfer, change: StatusChange, now: datetime
) -> None:
    """The change's sign-off in the transfer's approvals: who, when, which step, what notes."""
    session.add(
        TransferApproval(
            id=new_id("xferappr"),
            company_id=actor.company_id,
            transfer_id=row.id,
            step=change.step or change.status,
            status=row.status,
            approved_by=actor.name,
            approved_at=now,
            notes=change.notes,
        )
    )


def _current(
    session: Session, actor: Actor, row: StockTransfer, lines: list[tuple[StockTransferLine, Item]]
) -> views.TransferView:
    """The transfer as it stands in this transaction, its lines as at hand."""
    session.flush()
    ends = locations_by_id(session, actor.company_id, [row.from_location_id, row.to_location_id])
    approvals = approvals_of(session, actor, [row.id])[row.id]
    return views.TransferView(
        row, ends[row.from_location_id], ends[row.to_location_id], lines, approvals
    )
