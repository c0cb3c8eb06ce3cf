"""The document kernel: what every stock document does the same way, written once.

A kind of document (adjustments, transfers, purchase orders, sales issues and returns;
reservations use what applies to them) is a ``DocumentKind`` declaration plus its own rules.
The kernel numbers it from the company's template, reads and locks it (another company's id
is the same 404 as a missing one), refuses the moves its status does not allow, lists it
newest first with filters and opaque cursors, reads its lines with their items, writes its
audit rows and posts its lines through the ledger.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any, Generic, TypeVar

from sqlalchemy import ColumnElement, and_, select
from sqlalchemy.orm import Session

from stockkeeper.catalog.models import Item, Location
from stockkeeper.catalog.service.common import rows_by_id
from stockkeeper.core import audit
from stockkeeper.core.errors import NotFound
from stockkeeper.core.locks import lock_one
from stockkeeper.core.pagination import Keyset, Listed, day, keyset_page, resume
from stockkeeper.core.sequences import next_number
from stockkeeper.core.values import Values
from stockkeeper.core.workflow import Workflow
from stockkeeper.stock.service import ledger, levels, lots
from stockkeeper.tenancy.models import Company
from stockkeeper.tenancy.service import Actor, numbering_template

D = TypeVar("D")
T = TypeVar("T")

# a filter: the condition for a value given in a listing's filters
Condition = Callable[[Any], ColumnElement[bool]]


def equals(column: Any) -> Condition:
    return lambda value: column == value


def since(column: Any) -> Condition:
    return lambda value: operator.ge(column, value)


def until(column: Any) -> Condition:
    return lambda value: operator.le(column, value)


@dataclass(frozen=True)
class DocumentKind(Generic[D]):
    """A kind of document. ``name`` is what the ledger, the audit rows and the errors call
    it; ``line`` its line rows, whose ``parent`` column names the document; ``sequence`` its
    numbering template in the company settings; ``dated_by`` the column it is listed by, newest
    first; ``filters`` the listing's conditions by the name of the filter (an ``item_id``
    filter, documents with a line of that item, comes with every kind)."""

    name: str
    model: type[D]
    line: type[Any]
    parent: str
    sequence: str
    dated_by: str
    number: str
    workflow: Workflow | None = None
    filters: Mapping[str, Condition] = field(default_factory=dict)
    live: Callable[[], ColumnElement[bool]] | None = None  # what is not deleted
    # (column, value): kinds that share a table, each its rows (sales issues and returns)
    scope: tuple[str, str] | None = None
    reference: Callable[[Any], str | None] = lambda row: row.reference

    # --- numbers, reads, locks, moves ----------------------------------------------------

    def next_number(self, session: Session, company: Company, day: date) -> str:
        template = numbering_template(company, self.sequence)
        return next_number(session, company.id, name=self.sequence, template=template, today=day)

    def _exists(self, row: D | None) -> bool:
        if row is None or (self.live is not None and getattr(row, "deleted_at", None)):
            return False
        return self.scope is None or getattr(row, self.scope[0]) == self.scope[1]

    def get(self, session: Session, actor: Actor, ident: str) -> D:
        row = session.get(self.model, (actor.company_id, ident))
        if row is None or not self._exists(row):
            raise NotFound(self.name.replace("_", " "), ident)
        return row

    def locked(self, session: Session, actor: Actor, ident: str, move: str | None = None) -> D:
        """The document, read afresh and locked for the rest of the transaction (two clients
        moving it at once queue here), if its status allows ``move``."""
        row = lock_one(session, self.model, (actor.company_id, ident))
        if row is None or not self._exists(row):
            raise NotFound(self.name.replace("_", " "), ident)
        if move is not None:
            self.require(row, move)
        return row

    def require(self, row: D, move: str) -> None:
        assert self.workflow is not None, f"a {self.name} has no workflow"
        self.workflow.require(getattr(row, "status"), move)  # noqa: B009 (any document model)

    def allowed(self, status: str) -> list[str]:
        return self.workflow.allowed(status) if self.workflow else []

    def record(self, session: Session, actor: Actor, action: str, row: D, **details: Any) -> None:
        """The audit row of a change: ``<kind>.<action>`` (past tense), who, and details."""
        ident = getattr(row, "id")  # noqa: B009
        audit.record(session, actor, f"{self.name}.{action}", self.name, ident, **details)

    # --- lines ----------------------------------------------------------------------------

    def line_rows(self, session: Session, company_id: str, ident: str) -> list[Any]:
        """The document's line rows, in their order."""
        line = self.line
        return list(
            session.scalars(
                select(line)
                .where(line.company_id == company_id, getattr(line, self.parent) == ident)
                .order_by(line.position)
            )
        )

    def lines(
        self, session: Session, company_id: str, idents: list[str]
    ) -> dict[str, list[tuple[Any, Item]]]:
        """Each document's line rows (in order), each with its item: one query for all."""
        line = self.line
        parent = getattr(line, self.parent)
        rows = session.execute(
            select(line, Item)
            .join(Item, and_(Item.company_id == line.company_id, Item.id == line.item_id))
            .where(line.company_id == company_id, parent.in_(idents))
            .order_by(parent, line.position)
        ).all()
        found: dict[str, list[tuple[Any, Item]]] = {ident: [] for ident in idents}
        for row, item in rows:
            found[getattr(row, self.parent)].append((row, item))
        return found

    # --- listing --------------------------------------------------------------------------

    def page(
        self,
        session: Session,
        actor: Actor,
        filters: Values,
        *,
        limit: int,
        cursor: str | None,
        where: Iterable[ColumnElement[bool]] = (),
    ) -> Listed[D]:
        """A page of the company's documents matching ``filters`` (a field per filter, None
        where not given), newest first; a cursor sent alone brings its own filters."""
        listing = resume(self.name, filters, cursor)
        filters = listing.filters
        model: Any = self.model
        conditions = [model.company_id == actor.company_id, *where]
        if self.live is not None:
            conditions.append(self.live())
        if self.scope is not None:
            conditions.append(getattr(model, self.scope[0]) == self.scope[1])
        for name, condition in self.filters.items():
            value = getattr(filters, name, None)
            if value is not None:
                conditions.append(condition(value))
        item_id = getattr(filters, "item_id", None)
        if item_id is not None:
            line = self.line
            with_item = select(getattr(line, self.parent)).where(
                line.company_id == actor.company_id, line.item_id == item_id
            )
            conditions.append(model.id.in_(with_item))
        rows, next_cursor, total = keyset_page(
            session,
            model,
            conditions,
            Keyset(key=getattr(model, self.dated_by), ident=model.id, descending=True),
            listing,
            limit=limit,
            key=day,
        )
        return Listed(rows, next_cursor, total)

    # --- posting --------------------------------------------------------------------------

    def ledger_document(self, row: D, effective_date: date) -> ledger.Document:
        return ledger.Document(
            type=self.name,
            id=getattr(row, "id"),  # noqa: B009
            effective_date=effective_date,
            number=getattr(row, self.number),
            reference=self.reference(row),
        )

    def post(
        self,
        session: Session,
        actor: Actor,
        row: D,
        lines: list[tuple[ledger.Line, lots.Lots]],
        *,
        company: Company,
        effective_date: date,
        allow_negative: bool | None = None,
        on_order: dict[levels.GroupKey, Decimal] | None = None,
    ) -> tuple[list[ledger.Posted], list[lots.Lots]]:
        """Posts the lines through the ledger as movements of this document, all or none;
        shortages are refused unless the company allows negative stock."""
        return lots.post(
            session,
            actor,
            document=self.ledger_document(row, effective_date),
            lines=lines,
            allow_negative=company.allow_negative_stock
            if allow_negative is None
            else allow_negative,
            on_order=on_order,
        )


def locations_by_id(session: Session, company_id: str, ids: Iterable[str]) -> dict[str, Location]:
    """The locations documents name, in one query (those the session holds are not read)."""
    return rows_by_id(session, Location, company_id, set(ids))
