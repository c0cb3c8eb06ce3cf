"""The document kernel: what every stock document does the same way, written once.

A kind of document (adjustments, transfers, purchase orders, sales issues and returns;
reservations use what applies to them) is a ``DocumentKind`` declaration plus its own rules.
The kernel numbers it from the company's template, reads and locks it (another company's id
is the same 404 as a missing one), refuses the moves its status does not allow, lists it
newest first with filters and opaque cursors, reads its lines with their items, writes its
audit rows and posts its lines through the ledger.

Purchase orders and sales documents also carry lines of items whose stock is not tracked
(non-stock items, services, untracked stock items): the kernel checks them as the ledger
checks items and keeps them off the ledger, so they have no movement, on-order figure,
reservation or cost layer, while the ledger's own rule (only tracked stock items move) stays
whole for every line that reaches it.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any, Generic, TypeVar

from sqlalchemy import ColumnElement, and_, select
from sqlalchemy.orm import Session

from stockkeeper.catalog.models import Item, Location
from stockkeeper.catalog.service.common import rows_by_id
from stockkeeper.core import audit
from stockkeeper.core.errors import FieldError, NotFound, field_error
from stockkeeper.core.locks import lock_one
from stockkeeper.core.pagination import Keyset, Listed, day, keyset_page, resume
from stockkeeper.core.sequences import next_number
from stockkeeper.core.values import Values
from stockkeeper.core.workflow import Workflow
from stockkeeper.stock.errors import InvalidLots, ItemCannotMove
from stockkeeper.stock.service import ledger, levels, lots
from stockkeeper.tenancy.models import Company
from stockkeeper.tenancy.service import Actor, Role, authorize, numbering_template

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
    # the least role of each move (and of the actions beside the workflow: editing, deleting),
    # clerk unless listed; ``needs_from`` a move's from one status (transfers: shipping a
    # transfer that waits for approval approves it, an admin's)
    needs: Mapping[str, Role] = field(default_factory=dict)
    needs_from: Mapping[tuple[str, str], Role] = field(default_factory=dict)

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

    def allowed(self, status: str, role: Role | None = None) -> list[str]:
        """The moves the status allows; with ``role``, those of them that role may make (what
        a view lists for the person or key that reads it)."""
        moves = self.workflow.allowed(status) if self.workflow else []
        if role is None:
            return moves
        return [move for move in moves if role >= self.least_role(move, status)]

    def least_role(self, move: str, status: str | None = None) -> Role:
        found = self.needs_from.get((status, move)) if status is not None else None
        return found or self.needs.get(move, Role.clerk)

    def authorize(self, actor: Actor, move: str) -> None:
        """Refuses (403) a move that needs a stronger role than the actor's, whatever the
        status (the use case checks what the status allows)."""
        authorize(actor, self.least_role(move))

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
        offset: int = 0,
    ) -> Listed[D]:
        """A page of the company's documents matching ``filters`` (a field per filter, None
        where not given), newest first; a cursor sent alone brings its own filters.
        ``offset`` skips that many first (numbered pages, see ``keyset_page``)."""
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
            offset=offset,
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

    def post_goods(
        self,
        session: Session,
        actor: Actor,
        row: D,
        lines: list[tuple[ledger.Line, lots.Lots]],
        *,
        company: Company,
        effective_date: date,
        on_order: dict[levels.GroupKey, Decimal] | None = None,
    ) -> tuple[list[ledger.Posted | None], list[lots.Lots]]:
        """Posts, as ``post`` does, the lines of items whose stock is tracked, as the items
        now stand. The others move nothing (None in their place, no lots); their items are
        checked here, the rest by the ledger as it posts them. Where no line moves, the date
        is held to the ledger's rules all the same, and ``on_order`` changes under its locks."""
        company_id = actor.company_id
        items = rows_by_id(session, Item, company_id, {line.item_id for line, _ in lines})
        moving = [_moves(items, line) for line, _ in lines]
        _refuse(session, company_id, lines, moving, eager=False)
        stock = [pair for pair, moves_it in zip(lines, moving, strict=True) if moves_it]
        if not stock:
            ledger.refuse_date(company, effective_date)
            if on_order:
                levels.lock_and_change_on_order(session, company_id, on_order)
        posted, resolved = self.post(
            session,
            actor,
            row,
            stock,
            company=company,
            effective_date=effective_date,
            on_order=on_order,
        )
        results, found = iter(posted), iter(resolved)
        return (
            [next(results) if moves_it else None for moves_it in moving],
            [next(found) if moves_it else lots.Lots() for moves_it in moving],
        )


def locations_by_id(session: Session, company_id: str, ids: Iterable[str]) -> dict[str, Location]:
    """The locations documents name, in one query (those the session holds are not read)."""
    return rows_by_id(session, Location, company_id, set(ids))


# --- lines of items whose stock is not tracked ---------------------------------------------


def moves_stock(item: Item) -> bool:
    """Whether the ledger moves the item: a stock item whose stock is tracked."""
    return item.type == "inventory" and item.tracked


def _moves(items: Mapping[str, Item], line: ledger.Line) -> bool:
    """Whether the line goes to the ledger: an unknown item goes too, for the ledger to refuse."""
    item = items.get(line.item_id)
    return item is None or moves_stock(item)


def check_items(
    session: Session, company_id: str, lines: Sequence[ledger.Line]
) -> tuple[dict[str, Item], list[bool]]:
    """The lines' items by id and whether each line moves stock, after refusing what the
    ledger refuses (unknown, inactive, a variant of another item) but for items whose stock
    is not tracked: those a document records without moving them."""
    items = rows_by_id(session, Item, company_id, {line.item_id for line in lines})
    moving = [_moves(items, line) for line in lines]
    _refuse(session, company_id, [(line, lots.Lots()) for line in lines], moving, eager=True)
    return items, moving


def _refuse(
    session: Session,
    company_id: str,
    lines: Sequence[tuple[ledger.Line, lots.Lots]],
    moving: Sequence[bool],
    *,
    eager: bool,
) -> None:
    """Refuses the lines that move nothing whose item is inactive or not of their variant, or
    that name a bin, batches or serials; the others through the ledger's own check when
    ``eager`` (else the posting checks them), or when it adds to a refusal: every error at
    once."""
    still = [pair for pair, moves_it in zip(lines, moving, strict=True) if not moves_it]
    errors = _item_errors(session, company_id, [line for line, _ in still], unstocked=True)
    if errors or eager:
        moves = [line for (line, _), moves_it in zip(lines, moving, strict=True) if moves_it]
        errors += _item_errors(session, company_id, moves)
    if errors:
        raise ItemCannotMove(sorted(errors, key=_line_order))
    errors = [error for line, given in still for error in _lot_errors(line, given)]
    if errors:
        raise InvalidLots(errors)


def _item_errors(
    session: Session, company_id: str, lines: list[ledger.Line], *, unstocked: bool = False
) -> list[FieldError]:
    """What the ledger's check of the lines' items refuses, as a list."""
    if not lines:
        return []
    try:
        ledger.check_items(session, company_id, lines, unstocked=unstocked)
    except ItemCannotMove as refused:
        return list(refused.errors)
    return []


def _lot_errors(line: ledger.Line, given: lots.Lots) -> list[FieldError]:
    """A bin, batches and serials on a line that moves no stock contradict its item, as
    batches do on a line of an item tracked without them."""
    errors = []
    if line.from_bin_id or line.to_bin_id:
        message = "the item's stock is not tracked: it is in no bin"
        errors.append(field_error(line.at("bin_id"), message, "contradicts_item"))
    if given.batches:
        message = "the item is not batch-tracked"
        errors.append(field_error(line.at("batches"), message, "contradicts_item"))
    if given.serial_numbers:
        message = "the item is not serial-tracked"
        errors.append(field_error(line.at("serial_numbers"), message, "contradicts_item"))
    return errors


def _line_order(error: FieldError) -> list[tuple[int, str]]:
    """A field path's sort key: ``items.10`` after ``items.9``."""
    return [(int(part), "") if part.isdigit() else (-1, part) for part in error.field.split(".")]
