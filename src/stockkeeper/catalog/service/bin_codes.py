"""Bins as people name them: by their code at a location (a bin's code is unique there), or by
their id. A form that takes a line's bin by code (the web UI's documents) turns it into the
bin's id here, an unknown one refused beside its own line."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from stockkeeper.catalog.models import Bin
from stockkeeper.catalog.service.locations import default_warehouse
from stockkeeper.core.errors import UnknownReference, field_error
from stockkeeper.tenancy.service import Actor


@dataclass(frozen=True)
class NamedBin:
    """A bin as a line names it: the line's field, the location it must be a bin of (None:
    the default warehouse), and its code or id."""

    field: str
    location_id: str | None
    name: str


def bin_ids_of(session: Session, actor: Actor, *, named: Sequence[NamedBin]) -> list[str]:
    """The ids of the bins named, in their order; every name that is no bin's code or id at
    its location refused at once, each at its own field: 422 ``unknown_bin``."""
    if not named:
        return []
    warehouse = default_warehouse(session, actor.company_id)
    default = warehouse.id if warehouse is not None else None
    names = {each.name for each in named}
    rows = session.execute(
        select(Bin.id, Bin.code, Bin.location_id).where(
            Bin.company_id == actor.company_id, or_(Bin.code.in_(names), Bin.id.in_(names))
        )
    ).all()
    found = {(row.location_id, name): row.id for row in rows for name in (row.id, row.code)}
    ids, errors = [], []
    for each in named:
        ident = found.get((each.location_id or default, each.name))
        if ident is None:
            message = f"no bin {each.name!r} at the line's location"
            errors.append(field_error(each.field, message, "unknown_reference"))
        ids.append(ident or "")
    if errors:
        raise UnknownReference("bin", errors)
    return ids
