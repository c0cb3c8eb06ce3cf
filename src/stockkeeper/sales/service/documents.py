"""Sales issues (goods out to a customer, posted at once) and customer returns (goods back,
at the cost they left with, to a chosen location such as a quarantine store). Each is
announced as ``inventory.issue`` or ``inventory.return`` once posted.

Lines of non-stock items and services are recorded with their quantities and costs but move
nothing: no stock check, movement or cost layer, on the way out or back (a service returned
has no stock to come back); a document of only such lines posts no movement at all."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from decimal import ROUND_HALF_EVEN, Decimal

from sqlalchemy.orm import Session

from stockkeeper.catalog.models import Item, Location
from stockkeeper.catalog.service.common import rows_by_id
from stockkeeper.catalog.service.locations import (
    check_bins,
    location_or_default,
    require_location,
)
from stockkeeper.core import outbox
from stockkeeper.core.db import insert_new, new_row
from stockkeeper.core.ids import new_id
from stockkeeper.core.pagination import Listed
from stockkeeper.sales.kind import ISSUES, RETURNS
from stockkeeper.sales.models import SalesDocument, SalesDocumentLine
from stockkeeper.sales.service.costs import return_costs
from stockkeeper.sales.values import NewIssue, NewReturn, SalesFilters, SalesLine
from stockkeeper.sales.views import DocumentView
from stockkeeper.stock.service import external_ids, ledger, lots
from stockkeeper.stock.service.documents import DocumentKind, locations_by_id
from stockkeeper.stock.service.locations import virtual_locations
from stockkeeper.tenancy.models import Company
from stockkeeper.tenancy.service import Actor, company_today, get_company

_MICRO = Decimal("0.000001")


def create_issue(session: Session, actor: Actor, *, issue: NewIssue) -> DocumentView:
    """Issues goods to a customer: every stock line's sale movement, at the average cost, or
    none; lines of non-stock items and services at their cost price, moving nothing."""
    return _create(session, actor, ISSUES, issue, "inventory.issue")


def create_return(session: Session, actor: Actor, *, customer_return: NewReturn) -> DocumentView:
    """Takes goods back from a customer at the cost they left with (non-stock items and
    services too, moving nothing)."""
    return _create(session, actor, RETURNS, customer_return, "inventory.return")


def get_issue(session: Session, actor: Actor, *, issue_id: str) -> DocumentView:
    return _views(session, actor, [ISSUES.get(session, actor, issue_id)])[0]


def get_return(session: Session, actor: Actor, *, return_id: str) -> DocumentView:
    return _views(session, actor, [RETURNS.get(session, actor, return_id)])[0]


def list_issues(
    session: Session, actor: Actor, *, filters: SalesFilters, limit: int, cursor: str | None
) -> Listed[DocumentView]:
    return _list(session, actor, ISSUES, filters, limit, cursor)


def list_returns(
    session: Session, actor: Actor, *, filters: SalesFilters, limit: int, cursor: str | None
) -> Listed[DocumentView]:
    return _list(session, actor, RETURNS, filters, limit, cursor)


def _list(
    session: Session,
    actor: Actor,
    kind: DocumentKind[SalesDocument],
    filters: SalesFilters,
    limit: int,
    cursor: str | None,
) -> Listed[DocumentView]:
    """Newest first (by date, then creation)."""
    page = kind.page(session, actor, filters, limit=limit, cursor=cursor)
    return Listed(_views(session, actor, page.rows), page.next_cursor, page.total)


def _create(
    session: Session,
    actor: Actor,
    kind: DocumentKind[SalesDocument],
    given: NewIssue,
    event: outbox.EventName,
) -> DocumentView:
    """The document posted; or, when its external id names one of its kind, that one (its
    view's ``existing`` set), nothing posted."""
    return external_ids.create_once(
        session,
        kind,
        actor.company_id,
        given.external_id,
        lambda: _post_new(session, actor, kind, given, event),
        lambda document: replace(_views(session, actor, [document])[0], existing=True),
    )


def _post_new(
    session: Session,
    actor: Actor,
    kind: DocumentKind[SalesDocument],
    given: NewIssue,
    event: outbox.EventName,
) -> DocumentView:
    company = get_company(session, actor.company_id)
    header = location_or_default(session, actor, given.location_id, "location_id")
    document = SalesDocument(
        id=new_id("iss" if kind is ISSUES else "ret"),
        company_id=actor.company_id,
        kind=kind.name,
        document_date=given.date or company_today(company),
        location_id=header.id,
        reference=given.reference,
        external_id=given.external_id,
        customer=given.customer,
        notes=given.notes,
        created_by=actor.name,
    )
    lines = _lines(session, actor, document, header, given.items)
    costs: list[Decimal | None] = [None] * len(lines)
    if isinstance(given, NewReturn):
        costs = return_costs(session, actor, document, given.issue_id, lines)
    document.document_number = kind.next_number(session, company, document.document_date)
    _post(session, actor, company, kind, document, lines, costs)
    insert_new(session, document, *lines)
    kind.record(
        session,
        actor,
        "posted",
        document,
        number=document.document_number,
        lines=len(lines),
        total_value=document.total_value,
    )
    view = _view(session, actor, document, lines)
    outbox.emit(session, actor.company_id, event, view.data)
    return view


def _lines(
    session: Session,
    actor: Actor,
    document: SalesDocument,
    header: Location,
    given: Sequence[SalesLine],
) -> list[SalesDocumentLine]:
    """The document's line rows, each at its own location (else the document's), after
    checking that each bin is a bin of it."""
    where = [
        require_location(session, actor, line.location_id, f"items.{n}.location_id")
        if line.location_id
        else header
        for n, line in enumerate(given)
    ]
    bins = [
        (f"items.{n}.bin_id", line.bin_id, location)
        for n, (line, location) in enumerate(zip(given, where, strict=True))
        if line.bin_id
    ]
    check_bins(session, actor.company_id, bins)
    return [
        _line_row(actor, document, n, line, location)
        for n, (line, location) in enumerate(zip(given, where, strict=True))
    ]


def _line_row(
    actor: Actor, document: SalesDocument, n: int, line: SalesLine, location: Location
) -> SalesDocumentLine:
    given = lots.Lots.given(line)
    return new_row(
        SalesDocumentLine,
        id=new_id(f"{document.id[:3]}item"),
        company_id=actor.company_id,
        document_id=document.id,
        position=n,
        item_id=line.item_id,
        variant_id=line.variant_id,
        location_id=location.id,
        bin_id=line.bin_id,
        quantity=line.quantity,
        notes=line.notes,
        batches=given.batches,
        serial_numbers=given.serial_numbers,
    )


def _post(
    session: Session,
    actor: Actor,
    company: Company,
    kind: DocumentKind[SalesDocument],
    document: SalesDocument,
    lines: list[SalesDocumentLine],
    costs: list[Decimal | None],
) -> None:
    """Posts the lines of tracked stock; lines of other items (non-stock items, services)
    move nothing and go at the cost they left with (a return) or their item's cost price."""
    customer = virtual_locations(session, actor.company_id)["customer"]
    moves = [
        (
            _movement(line, customer, kind is ISSUES, cost),
            lots.Lots(line.batches, line.serial_numbers),
        )
        for line, cost in zip(lines, costs, strict=True)
    ]
    posted, resolved = kind.post_goods(
        session, actor, document, moves, company=company, effective_date=document.document_date
    )
    items = rows_by_id(session, Item, actor.company_id, {line.item_id for line in lines})
    for line, result, lot, cost in zip(lines, posted, resolved, costs, strict=True):
        if result is None:
            line.unit_cost = items[line.item_id].cost_price if cost is None else cost
            line.total_cost = (line.quantity * line.unit_cost).quantize(_MICRO, ROUND_HALF_EVEN)
        else:
            line.unit_cost, line.total_cost = result.unit_cost, result.value
            line.batches = lot.batches
    document.total_value = sum((line.total_cost for line in lines), Decimal(0))


def _movement(
    line: SalesDocumentLine, customer: str, issuing: bool, cost: Decimal | None
) -> ledger.Line:
    """A sale from the line's location to the customer, or a return the other way."""
    return ledger.Line(
        item_id=line.item_id,
        variant_id=line.variant_id,
        quantity=line.quantity,
        from_location_id=line.location_id if issuing else customer,
        to_location_id=customer if issuing else line.location_id,
        from_bin_id=line.bin_id if issuing else None,
        to_bin_id=None if issuing else line.bin_id,
        unit_cost=cost,
        movement_type="sale" if issuing else "return",
        line_id=line.id,
        field=f"items.{line.position}",
    )


def _views(session: Session, actor: Actor, documents: list[SalesDocument]) -> list[DocumentView]:
    if not documents:
        return []
    lines = ISSUES.lines(session, actor.company_id, [d.id for d in documents])
    locations = locations_by_id(session, actor.company_id, (d.location_id for d in documents))
    return [DocumentView(d, locations[d.location_id], lines[d.id]) for d in documents]


def _view(
    session: Session, actor: Actor, document: SalesDocument, lines: list[SalesDocumentLine]
) -> DocumentView:
    """The view of a document whose lines are at hand, from rows the session holds."""
    items = rows_by_id(session, Item, actor.company_id, {line.item_id for line in lines})
    location = locations_by_id(session, actor.company_id, [document.location_id])
    pairs = [(line, items[line.item_id]) for line in lines]
    return DocumentView(document, location[document.location_id], pairs)
