"""Sales issues (goods out to a customer, posted at once) and customer returns (goods back,
at the cost they left with, to a chosen location such as a quarantine store)."""

from __future__ import annotations

import operator
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from stockkeeper.catalog.models import Item, Location
from stockkeeper.catalog.service.documents import lines_with_items, locations_by_id
from stockkeeper.catalog.service.locations import (
    check_bins,
    default_warehouse,
    require_location,
)
from stockkeeper.core.audit import record
from stockkeeper.core.errors import Invalid, NotFound, field_error
from stockkeeper.core.filters import given
from stockkeeper.core.ids import new_id
from stockkeeper.core.pagination import Keyset, keyset_page
from stockkeeper.core.sequences import next_number
from stockkeeper.sales.models import SalesDocument, SalesDocumentLine
from stockkeeper.stock import ledger, lots
from stockkeeper.stock.locations import virtual_locations
from stockkeeper.stock.models import Movement
from stockkeeper.tenancy.models import Company
from stockkeeper.tenancy.service import Actor, company_today, get_company, numbering_template

KINDS = ("issue", "return")


@dataclass(frozen=True)
class DocumentView:
    document: SalesDocument
    location: Location
    lines: list[tuple[SalesDocumentLine, Item]]


def _header_location(session: Session, actor: Actor, location_id: str | None) -> Location:
    if location_id is not None:
        return require_location(session, actor, location_id, "locationId")
    warehouse = default_warehouse(session, actor.company_id)
    if warehouse is None:
        raise Invalid(
            "no locationId, and the company has no default warehouse",
            errors=[field_error("locationId", "required: no default warehouse")],
        )
    return warehouse


def _line_locations(
    session: Session, actor: Actor, header: Location, lines: list[dict[str, Any]]
) -> list[Location]:
    """Each line's location (its own, else the document's), after checking its bin is there."""
    chosen = [
        require_location(session, actor, line["location_id"], f"items.{n}.locationId")
        if line.get("location_id")
        else header
        for n, line in enumerate(lines)
    ]
    check_bins(
        session,
        actor.company_id,
        [
            (f"items.{n}.binId", line["bin_id"], where)
            for n, (line, where) in enumerate(zip(lines, chosen, strict=True))
            if line.get("bin_id")
        ],
    )
    return chosen


def create_document(
    session: Session, actor: Actor, kind: str, *, values: dict[str, Any]
) -> SalesDocument:
    """Creates an issue or a return and posts it: every line's movement, or none of them."""
    company = get_company(session, actor.company_id)
    header = _header_location(session, actor, values.get("location_id"))
    lines = values["items"]
    where = _line_locations(session, actor, header, lines)
    effective = values.get("date") or company_today(company)
    document = SalesDocument(
        id=new_id("iss" if kind == "issue" else "ret"),
        company_id=actor.company_id,
        kind=kind,
        document_date=effective,
        location_id=header.id,
        reference=values.get("reference"),
        customer=values.get("customer"),
        notes=values.get("notes"),
        created_by=actor.name,
    )
    rows = [
        SalesDocumentLine(
            id=new_id(f"{document.id[:3]}item"),
            company_id=actor.company_id,
            document_id=document.id,
            position=n,
            item_id=line["item_id"],
            variant_id=line.get("variant_id"),
            location_id=location.id,
            bin_id=line.get("bin_id"),
            quantity=line["quantity"],
            notes=line.get("notes"),
            batches=lots.storable(line.get("batches")),
            serial_numbers=line.get("serial_numbers"),
        )
        for n, (line, location) in enumerate(zip(lines, where, strict=True))
    ]
    costs: list[Decimal | None] = [None] * len(rows)
    if kind == "return":
        costs = _return_costs(session, actor, document, values.get("issue_id"), rows)
    document.document_number = next_number(
        session,
        actor.company_id,
        name=f"sales_{kind}",
        template=numbering_template(company, f"sales_{kind}"),
        today=effective,
    )
    _post(session, actor, company, document, rows, costs)
    session.add(document)
    session.add_all(rows)
    record(
        session,
        actor,
        f"{kind}.posted",
        kind,
        document.id,
        number=document.document_number,
        lines=len(rows),
        totalValue=str(document.total_value),
    )
    session.flush()
    return document


def _post(
    session: Session,
    actor: Actor,
    company: Company,
    document: SalesDocument,
    rows: list[SalesDocumentLine],
    costs: list[Decimal | None],
) -> None:
    customer = virtual_locations(session, actor.company_id)["customer"]
    issuing = document.kind == "issue"
    posted, resolved = lots.post(
        session,
        actor,
        document=ledger.Document(
            type=document.kind,
            id=document.id,
            effective_date=document.document_date,
            number=document.document_number,
            reference=document.reference,
        ),
        lines=[
            (
                ledger.Line(
                    item_id=row.item_id,
                    variant_id=row.variant_id,
                    quantity=row.quantity,
                    from_location_id=row.location_id if issuing else customer,
                    to_location_id=customer if issuing else row.location_id,
                    from_bin_id=row.bin_id if issuing else None,
                    to_bin_id=None if issuing else row.bin_id,
                    unit_cost=cost,
                    movement_type="sale" if issuing else "return",
                    line_id=row.id,
                    field=f"items.{row.position}",
                ),
                lots.Lots(batches=row.batches, serial_numbers=row.serial_numbers),
            )
            for row, cost in zip(rows, costs, strict=True)
        ],
        allow_negative=company.allow_negative_stock,
    )
    for row, result, lot in zip(rows, posted, resolved, strict=True):
        row.unit_cost, row.total_cost = result.unit_cost, result.value
        row.batches = lot.batches
    document.total_value = sum((p.value for p in posted), Decimal(0))


def _return_costs(
    session: Session,
    actor: Actor,
    document: SalesDocument,
    issue_id: str | None,
    rows: list[SalesDocumentLine],
) -> list[Decimal | None]:
    """The unit cost each returned line comes back at: what that item left with on the
    named issue (of which no more can come back than went out), else on its latest sale,
    else (never sold) the average at the location."""
    if issue_id is None:
        return [_last_sale_cost(session, actor, row) for row in rows]
    issue = session.get(SalesDocument, (actor.company_id, issue_id))
    if issue is None or issue.kind != "issue":
        raise Invalid(
            f"no issue {issue_id!r}",
            code="unknown_issue",
            errors=[field_error("issueId", "no such issue", "unknown_reference")],
        )
    document.issue_id = issue.id
    issued: dict[tuple[str, str | None], list[Decimal]] = defaultdict(lambda: [Decimal(0)] * 2)
    for line in session.scalars(
        select(SalesDocumentLine).where(
            SalesDocumentLine.company_id == actor.company_id,
            SalesDocumentLine.document_id == issue.id,
        )
    ):
        issued[(line.item_id, line.variant_id)][0] += line.quantity
        issued[(line.item_id, line.variant_id)][1] += line.total_cost
    returned = _returned_before(session, actor, issue.id)
    asked: dict[tuple[str, str | None], Decimal] = defaultdict(Decimal)
    errors = []
    for row in rows:
        key = (row.item_id, row.variant_id)
        asked[key] += row.quantity
        left = issued[key][0] - returned.get(key, Decimal(0))
        if asked[key] > left:
            errors.append(
                field_error(
                    f"items.{row.position}.quantity",
                    f"only {left} of this item from {issue.document_number} can come back",
                    "too_large",
                )
            )
    if errors:
        raise Invalid(errors[0].message, code="more_than_issued", errors=errors)
    return [
        (issued[(r.item_id, r.variant_id)][1] / issued[(r.item_id, r.variant_id)][0]).quantize(
            Decimal("0.000001")
        )
        for r in rows
    ]


def _returned_before(
    session: Session, actor: Actor, issue_id: str
) -> dict[tuple[str, str | None], Decimal]:
    d, line = SalesDocument, SalesDocumentLine
    rows = session.execute(
        select(line.item_id, line.variant_id, func.sum(line.quantity))
        .join(d, and_(d.company_id == line.company_id, d.id == line.document_id))
        .where(d.company_id == actor.company_id, d.issue_id == issue_id)
        .group_by(line.item_id, line.variant_id)
    )
    return {(item, variant): quantity for item, variant, quantity in rows}


def _last_sale_cost(session: Session, actor: Actor, row: SalesDocumentLine) -> Decimal | None:
    m = Movement
    return session.scalar(
        select(m.unit_cost)
        .where(
            m.company_id == actor.company_id,
            m.item_id == row.item_id,
            m.movement_type == "sale",
            m.variant_id.is_(None) if row.variant_id is None else m.variant_id == row.variant_id,
        )
        .order_by(m.effective_date.desc(), m.id.desc())
        .limit(1)
    )


def get_document(session: Session, actor: Actor, kind: str, *, document_id: str) -> DocumentView:
    document = session.get(SalesDocument, (actor.company_id, document_id))
    if document is None or document.kind != kind:
        raise NotFound(kind, document_id)
    return _views(session, actor, [document])[0]


def _views(session: Session, actor: Actor, documents: list[SalesDocument]) -> list[DocumentView]:
    lines = lines_with_items(
        session,
        actor.company_id,
        SalesDocumentLine,
        SalesDocumentLine.document_id,
        [d.id for d in documents],
    )
    locations = locations_by_id(session, actor.company_id, (d.location_id for d in documents))
    return [DocumentView(d, locations[d.location_id], lines[d.id]) for d in documents]


@dataclass(frozen=True)
class DocumentFilters:
    date_from: date | None = None
    date_to: date | None = None
    reference: str | None = None
    location_id: str | None = None
    item_id: str | None = None
    issue_id: str | None = None


def list_documents(
    session: Session,
    actor: Actor,
    kind: str,
    *,
    filters: DocumentFilters,
    limit: int,
    cursor: str | None,
) -> tuple[list[DocumentView], str | None, int]:
    """Newest first (by date, then creation); returns the page, next cursor and total."""
    d = SalesDocument
    where: list[Any] = [d.company_id == actor.company_id, d.kind == kind]
    where += given(
        (filters.date_from, d.document_date, operator.ge),
        (filters.date_to, d.document_date, operator.le),
        (filters.reference, d.reference, operator.eq),
        (filters.location_id, d.location_id, operator.eq),
        (filters.issue_id, d.issue_id, operator.eq),
    )
    if filters.item_id:
        where.append(
            d.id.in_(
                select(SalesDocumentLine.document_id).where(
                    SalesDocumentLine.company_id == actor.company_id,
                    SalesDocumentLine.item_id == filters.item_id,
                )
            )
        )
    found, next_cursor, total = keyset_page(
        session,
        d,
        where,
        Keyset(key=d.document_date, ident=d.id, descending=True),
        kind=kind,
        limit=limit,
        cursor=cursor,
        parse=date.fromisoformat,
    )
    return _views(session, actor, found) if found else [], next_cursor, total
