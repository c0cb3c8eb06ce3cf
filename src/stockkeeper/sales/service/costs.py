"""The cost each returned line comes back at."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from stockkeeper.core.errors import UnknownReference, field_error
from stockkeeper.sales.errors import MoreThanIssued
from stockkeeper.sales.models import SalesDocument, SalesDocumentLine
from stockkeeper.stock.models import Movement
from stockkeeper.tenancy.service import Actor


def return_costs(
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
        raise UnknownReference.at("issue_id", "issue", issue_id)
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
    _refuse_more_than_issued(issue, issued, _returned_before(session, actor, issue.id), rows)
    return [
        (issued[(r.item_id, r.variant_id)][1] / issued[(r.item_id, r.variant_id)][0]).quantize(
            Decimal("0.000001")
        )
        for r in rows
    ]


def _refuse_more_than_issued(
    issue: SalesDocument,
    issued: dict[tuple[str, str | None], list[Decimal]],
    returned: dict[tuple[str, str | None], Decimal],
    rows: list[SalesDocumentLine],
) -> None:
    """Every line of an item the issue did not hold, or of more than can still come back."""
    asked: dict[tuple[str, str | None], Decimal] = defaultdict(Decimal)
    errors = []
    for row in rows:
        key = (row.item_id, row.variant_id)
        asked[key] += row.quantity
        if key not in issued:
            where = "item_id" if row.variant_id is None else "variant_id"
            errors.append(
                field_error(
                    f"items.{row.position}.{where}",
                    f"{issue.document_number} did not issue this item"
                    + ("" if row.variant_id is None else " in this variant"),
                    "not_on_issue",
                )
            )
            continue
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
        raise MoreThanIssued(errors[0].message, errors=errors)


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
