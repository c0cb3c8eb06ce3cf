"""The count's moves after counting: submitting it for review, approving it (admins), posting
it as one ``stock_count`` adjustment of the variances (admins), cancelling it before then.
Each takes the count's row lock first, so each happens once."""

from __future__ import annotations

from sqlalchemy.orm import Session

from stockkeeper.core.types import utcnow
from stockkeeper.counts.kind import COUNTS
from stockkeeper.counts.service import events, posting
from stockkeeper.counts.views import CountView
from stockkeeper.tenancy.service import Actor


def submit_count(session: Session, actor: Actor, *, count_id: str) -> CountView:
    """Counting is done: the count waits for review."""
    count = COUNTS.locked(session, actor, count_id, "submit")
    count.status = "submitted"
    count.submitted_by, count.submitted_at = actor.name, utcnow()
    COUNTS.record(session, actor, "submitted", count)
    return events.announce(session, actor, count, "submitted")


def approve_count(session: Session, actor: Actor, *, count_id: str) -> CountView:
    count = COUNTS.locked(session, actor, count_id, "approve")
    count.status = "approved"
    count.approved_by, count.approved_at = actor.name, utcnow()
    COUNTS.record(session, actor, "approved", count)
    return events.announce(session, actor, count, "approved")


def post_count(session: Session, actor: Actor, *, count_id: str) -> CountView:
    """Posts the variances of the counted lines as one adjustment (none when every count
    matches); lines not counted change nothing."""
    count = COUNTS.locked(session, actor, count_id, "post")
    adjustment = posting.post_variances(session, actor, count)
    count.adjustment_id = adjustment
    count.status = "posted"
    count.posted_by, count.posted_at = actor.name, utcnow()
    COUNTS.record(session, actor, "posted", count, adjustment_id=adjustment)
    return events.announce(session, actor, count, "posted")


def cancel_count(session: Session, actor: Actor, *, count_id: str) -> CountView:
    count = COUNTS.locked(session, actor, count_id, "cancel")
    count.status = "cancelled"
    count.cancelled_by, count.cancelled_at = actor.name, utcnow()
    COUNTS.record(session, actor, "cancelled", count)
    return events.announce(session, actor, count, "cancelled")
