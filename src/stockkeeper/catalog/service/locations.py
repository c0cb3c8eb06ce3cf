"""Physical locations (warehouses and stores), their bins, and the default warehouse."""

from __future__ import annotations

from sqlalchemy import Select, select
from sqlalchemy.orm import Session, selectinload

from stockkeeper.accounting.service.common import SHOWN_USERS, account_users
from stockkeeper.accounting.service.references import check_account
from stockkeeper.catalog.models import Bin, Location
from stockkeeper.catalog.service.common import (
    apply,
    exists,
    get_owned,
    rows_by_id,
    sent,
    try_delete,
)
from stockkeeper.catalog.values import BinChanges, LocationChanges, NewBin, NewLocation
from stockkeeper.core import audit
from stockkeeper.core.errors import (
    Duplicate,
    InUse,
    Invalid,
    NotFound,
    UnknownReference,
    field_error,
)
from stockkeeper.core.ids import new_id
from stockkeeper.tenancy.service import Actor

PHYSICAL_TYPES = ("warehouse", "store")
_ACCOUNT = "inventory_account_id"  # overrides the company's default inventory account


def _physical(company_id: str) -> Select[Location]:
    return select(Location).where(
        Location.company_id == company_id, Location.type.in_(PHYSICAL_TYPES)
    )


def list_locations(
    session: Session, actor: Actor, *, type: str | None = None, active: bool | None = None
) -> list[Location]:
    statement = _physical(actor.company_id)
    if type:
        statement = statement.where(Location.type == type)
    if active is not None:
        statement = statement.where(Location.is_active == active)
    named = selectinload(Location.inventory_account)
    return list(session.scalars(statement.order_by(Location.id).options(named)))


def location_names(session: Session, company_id: str) -> dict[str, str]:
    """Every location's name by its id, the ledger's own included (reports name them)."""
    rows = session.execute(
        select(Location.id, Location.name).where(Location.company_id == company_id)
    )
    return {ident: name for ident, name in rows}


def require_location(session: Session, actor: Actor, location_id: str, field: str) -> Location:
    """A warehouse or store named in a request body: unknown ids are a 422 on ``field``."""
    try:
        return get_location(session, actor, location_id=location_id)
    except NotFound:
        raise UnknownReference(
            "location", [field_error(field, "no such warehouse or store", "unknown_reference")]
        ) from None


def get_location(session: Session, actor: Actor, *, location_id: str) -> Location:
    found = rows_by_id(session, Location, actor.company_id, {location_id})
    location: Location | None = found.get(location_id)
    if location is None or location.type not in PHYSICAL_TYPES:
        raise NotFound("location", location_id)
    return location


def check_bins(session: Session, company_id: str, named: list[tuple[str, str, Location]]) -> None:
    """Refuses (422 ``unknown_bin``, one error per field) every bin that is not a bin of the
    location it is named for; ``named`` holds (request field, bin id, location)."""
    if not named:
        return
    owners = dict(
        session.execute(
            select(Bin.id, Bin.location_id).where(
                Bin.company_id == company_id, Bin.id.in_({bin_id for _, bin_id, _ in named})
            )
        ).all()
    )
    errors = [
        field_error(field, f"no bin {bin_id!r} in {location.name}", "unknown_reference")
        for field, bin_id, location in named
        if owners.get(bin_id) != location.id
    ]
    if errors:
        raise UnknownReference("bin", errors, errors[0].message)


def default_warehouse(session: Session, company_id: str) -> Location | None:
    return session.scalar(_physical(company_id).where(Location.is_default.is_(True)))


def location_or_default(
    session: Session,
    actor: Actor,
    location_id: str | None,
    field: str,
    *,
    missing: str = "required: no default warehouse",
    detail: str | None = None,
) -> Location:
    """The warehouse or store named at ``field`` (an unknown one is a 422 on it), else the
    company's default warehouse. With neither, a 422 ``validation_failed`` whose error on
    ``field`` says ``missing``; its detail is ``detail``, else that error."""
    if location_id is not None:
        return require_location(session, actor, location_id, field)
    warehouse = default_warehouse(session, actor.company_id)
    if warehouse is not None:
        return warehouse
    errors = [field_error(field, missing)]
    raise Invalid(detail, errors=errors) if detail else Invalid.fields(errors)


def create_location(session: Session, actor: Actor, *, location: NewLocation) -> Location:
    """The company's first warehouse becomes its default warehouse."""
    _check_code(session, actor, location.code)
    check_account(session, actor.company_id, _ACCOUNT, location.inventory_account_id)
    first_warehouse = (
        location.type == "warehouse" and default_warehouse(session, actor.company_id) is None
    )
    row = Location(
        id=new_id("loc"),
        company_id=actor.company_id,
        name=location.name,
        type=location.type,
        code=location.code,
        address=location.address.model_dump() if location.address else None,
        is_active=location.is_active,
        is_default=first_warehouse,
        inventory_account_id=location.inventory_account_id,
    )
    session.add(row)
    session.flush()
    audit.record(session, actor, "location.created", "location", row.id, name=row.name)
    return row


def update_location(
    session: Session, actor: Actor, *, location_id: str, changes: LocationChanges
) -> Location:
    """A default warehouse that becomes a store hands the default to the next warehouse."""
    location = get_location(session, actor, location_id=location_id)
    if changes.code is not None and changes.code != location.code:
        _check_code(session, actor, changes.code)
    if changes.given(_ACCOUNT):
        check_account(session, actor.company_id, _ACCOUNT, changes.inventory_account_id)
        session.expire(location, ["inventory_account"])
    apply(location, sent(changes), required=("name", "type", "is_active"))
    if location.is_default and location.type != "warehouse":
        location.is_default = False
        _promote_next_warehouse(session, actor.company_id, exclude=location.id)
    session.flush()
    audit.record(session, actor, "location.updated", "location", location.id, **sent(changes))
    return location


def delete_location(session: Session, actor: Actor, *, location_id: str) -> None:
    """Only a location without stock history; a default warehouse hands the default on."""
    location = get_location(session, actor, location_id=location_id)
    was_default = location.is_default
    if not try_delete(session, location):
        raise InUse("location", location_id, "it has stock history; deactivate it instead")
    if was_default:
        _promote_next_warehouse(session, actor.company_id, exclude=location_id)
        session.flush()
    audit.record(session, actor, "location.deleted", "location", location_id, name=location.name)


def set_default_warehouse(session: Session, actor: Actor, *, location_id: str) -> Location:
    """Makes a warehouse the default (for the settings, which record the change)."""
    location = get_location(session, actor, location_id=location_id)
    if location.type != "warehouse":
        raise Invalid(
            "the default warehouse must be a warehouse",
            errors=[field_error("default_warehouse_id", "not a warehouse")],
        )
    current = default_warehouse(session, actor.company_id)
    if current is not None and current.id != location.id:
        current.is_default = False
        session.flush()
    location.is_default = True
    session.flush()
    return location


def _check_code(session: Session, actor: Actor, code: str | None) -> None:
    if code is not None and exists(session, Location, actor.company_id, code=code):
        raise Duplicate("code", code, "a location")


def _promote_next_warehouse(session: Session, company_id: str, *, exclude: str) -> None:
    successor = session.scalar(
        _physical(company_id)
        .where(Location.type == "warehouse", Location.id != exclude)
        .order_by(Location.id)
        .limit(1)
    )
    if successor is not None:
        successor.is_default = True


# --- bins ---------------------------------------------------------------------------------


def list_bins(session: Session, actor: Actor, *, location_id: str) -> list[Bin]:
    get_location(session, actor, location_id=location_id)
    statement = select(Bin).where(
        Bin.company_id == actor.company_id, Bin.location_id == location_id
    )
    return list(session.scalars(statement.order_by(Bin.code)))


def get_bin(session: Session, actor: Actor, *, location_id: str, bin_id: str) -> Bin:
    found = get_owned(session, Bin, actor.company_id, bin_id, "bin")
    if found.location_id != location_id:
        raise NotFound("bin", bin_id)
    return found


def create_bin(session: Session, actor: Actor, *, location_id: str, bin: NewBin) -> Bin:
    """A bin's code is unique in its location."""
    get_location(session, actor, location_id=location_id)
    _check_bin_code(session, actor, location_id, bin.code)
    row = Bin(
        id=new_id("bin"),
        company_id=actor.company_id,
        location_id=location_id,
        code=bin.code,
        name=bin.name,
        is_active=bin.is_active,
    )
    session.add(row)
    session.flush()
    audit.record(
        session, actor, "bin.created", "bin", row.id, location_id=location_id, code=row.code
    )
    return row


def update_bin(
    session: Session, actor: Actor, *, location_id: str, bin_id: str, changes: BinChanges
) -> Bin:
    found = get_bin(session, actor, location_id=location_id, bin_id=bin_id)
    if changes.code is not None and changes.code != found.code:
        _check_bin_code(session, actor, location_id, changes.code)
    apply(found, sent(changes), required=("code", "is_active"))
    session.flush()
    audit.record(session, actor, "bin.updated", "bin", bin_id, **sent(changes))
    return found


def delete_bin(session: Session, actor: Actor, *, location_id: str, bin_id: str) -> None:
    """Only a bin without stock history."""
    found = get_bin(session, actor, location_id=location_id, bin_id=bin_id)
    if not try_delete(session, found):
        raise InUse("bin", bin_id, "it has stock history; deactivate it instead")
    audit.record(session, actor, "bin.deleted", "bin", bin_id, code=found.code)


def _check_bin_code(session: Session, actor: Actor, location_id: str, code: str) -> None:
    if exists(session, Bin, actor.company_id, location_id=location_id, code=code):
        raise Duplicate("code", code, "a bin in this location")


def _locations_naming(session: Session, company_id: str, refs: tuple[str, str]) -> list[str]:
    statement = select(Location.name).where(
        Location.company_id == company_id, Location.inventory_account_id.in_(refs)
    )
    names = session.scalars(statement.order_by(Location.name).limit(SHOWN_USERS + 1))
    return [f"location {name}" for name in names]


account_users.append(_locations_naming)
