"""Posting a batch: each document through its own type's create, as its own route calls it
(an adjustment or a transfer carried out at once unless it says otherwise, an issue or a
return posted), in the order sent, in the caller's transaction.

Atomic: the first refusal refuses the batch (``DocumentRefused``) and the caller rolls all of
it back. Otherwise each document runs in a savepoint of its own: a refused one is undone
(its movements, number, audit rows and events with it) and reported, the others stand.
A busy database refuses the batch either way, to be sent again."""

from __future__ import annotations

from sqlalchemy.orm import Session

from stockkeeper.adjustments.service import create_adjustment
from stockkeeper.adjustments.values import NewAdjustment
from stockkeeper.batches.errors import DocumentRefused
from stockkeeper.batches.values import BatchDocument, NewBatch
from stockkeeper.batches.views import BatchView, Result, View
from stockkeeper.core.db import hold
from stockkeeper.core.errors import DomainError, Kind
from stockkeeper.sales.service import create_issue, create_return
from stockkeeper.sales.values import NewIssue, NewReturn
from stockkeeper.tenancy.service import Actor, get_company
from stockkeeper.transfers.service import create_transfer
from stockkeeper.transfers.values import NewTransfer


def post_batch(session: Session, actor: Actor, *, batch: NewBatch) -> BatchView:
    """Posts the batch's documents; the view holds each one's result, in order."""
    # read once and held: each document's create asks for it, and would read it again
    hold(session, get_company(session, actor.company_id))
    results = []
    for index, entry in enumerate(batch.documents):
        try:
            if batch.atomic:
                view = create(session, actor, entry)
            else:
                with session.begin_nested():
                    view = create(session, actor, entry)
        except DomainError as refused:
            if refused.kind is Kind.BUSY:
                raise
            if batch.atomic:
                raise DocumentRefused(index, entry.type, refused) from refused
            results.append(Result(index, entry.type, refused=refused))
            continue
        results.append(Result(index, entry.type, view=view))
    return BatchView(batch.atomic, results)


def create(session: Session, actor: Actor, entry: BatchDocument) -> View:
    """The document created (or the one its external id names) by its type's own create."""
    document = entry.document
    if entry.refused is not None:
        raise entry.refused
    if entry.type == "adjustment":
        assert isinstance(document, NewAdjustment)
        return create_adjustment(session, actor, adjustment=document)
    if entry.type == "transfer":
        assert isinstance(document, NewTransfer)
        return create_transfer(session, actor, transfer=document)
    if entry.type == "return":
        assert isinstance(document, NewReturn)
        return create_return(session, actor, customer_return=document)
    assert isinstance(document, NewIssue)
    return create_issue(session, actor, issue=document)
