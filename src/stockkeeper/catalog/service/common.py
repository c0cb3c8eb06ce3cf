"""Small helpers shared by the catalogue services."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import cache
from typing import Any, TypeVar

from sqlalchemy import Select, bindparam, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from stockkeeper.core.db import Base, hold
from stockkeeper.core.errors import Invalid, NotFound, field_error
from stockkeeper.core.lists import is_listed, listed
from stockkeeper.core.values import Values

M = TypeVar("M", bound=Base)


def get_owned(session: Session, model: type[M], company_id: str, ident: str, what: str) -> M:
    """The row with this id in this company; another company's id is the same 404."""
    row = session.get(model, (company_id, ident))
    if row is None:
        raise NotFound(what, ident)
    return row


def rows_by_id(session: Session, model: Any, company_id: str, ids: set[str]) -> dict[str, Any]:
    """The company's rows of ``model`` with these ids, by id: those the session holds already
    (a service of this unit of work read them moments ago), the rest in one query, held for
    the rest of the unit of work."""
    found = {}
    # the mapper's own method: ``identity_key`` inspects the model first, each time
    key = model.__mapper__.identity_key_from_primary_key
    held = session.identity_map
    for ident in ids:
        row = held.get(key((company_id, ident)))
        if row is not None:
            found[ident] = row
    missing = ids - found.keys()
    if missing:
        dialect = session.get_bind().dialect.name
        wanted = {"company": company_id, "ids": listed(dialect, missing)}
        rows = list(session.scalars(_by_ids(model, dialect), wanted))
        hold(session, *rows)
        found |= {row.id: row for row in rows}
    return found


@cache
def _by_ids(model: Any, dialect: str) -> Select[Any]:
    """Built once per model: postings read their items and locations with it."""
    return select(model).where(
        model.company_id == bindparam("company"), is_listed(model.id, "ids", dialect)
    )


def exists(session: Session, model: type[Base], company_id: str, **where: Any) -> bool:
    conditions = [getattr(model, k) == v for k, v in where.items()]
    statement = select(model).where(model.company_id == company_id, *conditions).limit(1)  # type: ignore[attr-defined]
    return session.scalar(statement) is not None


def apply(
    row: Base, changes: dict[str, Any], required: Iterable[str] | Mapping[str, str] = ()
) -> None:
    """Sets the sent columns; a required one sent as null is refused (``required`` may map
    each column to where the values hold it)."""
    paths = required if isinstance(required, Mapping) else {name: name for name in required}
    nulls = [
        path for column, path in paths.items() if column in changes and changes[column] is None
    ]
    if nulls:
        raise Invalid.fields([field_error(path, "cannot be null", "null") for path in nulls])
    for key, value in changes.items():
        setattr(row, key, value)


def sent(values: Values) -> dict[str, Any]:
    """What the values send, as plain data: for the columns, or an audit row's details."""
    return values.model_dump(exclude_unset=True)


def try_delete(session: Session, row: Base) -> bool:
    """Deletes the row unless something still refers to it; says whether it was deleted."""
    try:
        with session.begin_nested():
            session.delete(row)
            session.flush()
    except IntegrityError:
        return False
    return True
