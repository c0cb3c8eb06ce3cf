"""Documents a client names by its own id (``external_id``, unique per company and kind):
created once. A create that names an external id the company already has for that kind
answers with that document instead; of two creates racing with the same id, the unique index
lets one write and the other reads what the first wrote."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from sqlalchemy import Select, bindparam, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from stockkeeper.core.db import run
from stockkeeper.stock.service.documents import DocumentKind

D = TypeVar("D")
V = TypeVar("V")

_FIND: dict[str, Select[Any]] = {}


def _find_statement(kind: DocumentKind[Any]) -> Select[Any]:
    """Built once per kind: each create that names an external id runs it (a Core query of
    the id alone: mostly there is none, and the ORM's path costs more than the look-up)."""
    if kind.name not in _FIND:
        model: Any = kind.model
        conditions = [
            model.company_id == bindparam("company"),
            model.external_id == bindparam("external_id"),
        ]
        if kind.scope is not None:
            conditions.append(getattr(model, kind.scope[0]) == kind.scope[1])
        _FIND[kind.name] = select(model.id).where(*conditions)
    return _FIND[kind.name]


def find(session: Session, kind: DocumentKind[D], company_id: str, external_id: str) -> D | None:
    """The company's document of this kind with this external id, if any. Documents are
    written past the session (``insert_new``), so nothing pending needs a flush first."""
    parameters = {"company": company_id, "external_id": external_id}
    ident = run(session, _find_statement(kind), parameters, flush=False).scalar()
    if ident is None:
        return None
    found: D | None = session.get(kind.model, (company_id, ident))
    return found


def create_once(
    session: Session,
    kind: DocumentKind[D],
    company_id: str,
    external_id: str | None,
    create: Callable[[], V],
    existing: Callable[[D], V],
) -> V:
    """``create()``, unless a document of the kind has the external id: then ``existing`` of
    it. On PostgreSQL the create runs in a savepoint, so that losing a race to the unique
    index undoes only it, and the winner is read instead; SQLite's writers take turns from
    BEGIN, so there the look-up alone decides."""
    if external_id is None:
        return create()
    found = find(session, kind, company_id, external_id)
    if found is not None:
        return existing(found)
    if session.get_bind().dialect.name == "sqlite":
        return create()
    try:
        with session.begin_nested():
            return create()
    except IntegrityError:
        found = find(session, kind, company_id, external_id)  # committed meanwhile
        if found is None:
            raise
        return existing(found)
