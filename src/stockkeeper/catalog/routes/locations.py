"""``/api/v1/locations``: warehouses and stores, and their bins."""

from __future__ import annotations

from fastapi import APIRouter

from stockkeeper.api.deps import Admin, ApiRoute, DbSession, Viewer
from stockkeeper.api.problems import problems
from stockkeeper.api.responses import ExactJSONResponse, ok, ok_all
from stockkeeper.catalog.schemas.entities import (
    BinCreate,
    BinRead,
    BinUpdate,
    Deleted,
    LocationCreate,
    LocationRead,
    LocationUpdate,
)
from stockkeeper.catalog.service import locations as service
from stockkeeper.catalog.values import LocationType
from stockkeeper.core.api_model import Envelope
from stockkeeper.core.errors import Duplicate, InUse, NotFound, UnknownReference

router = APIRouter(prefix="/api/v1/locations", tags=["Locations"], route_class=ApiRoute)

_NOT_FOUND = NotFound.code_for("location")
_UNKNOWN_ACCOUNT = UnknownReference.code_for("account")
_BIN_NOT_FOUND = NotFound.code_for("bin")
_DUPLICATE = Duplicate.code_for("code")


@router.get(
    "",
    response_model=Envelope[list[LocationRead]],
    responses=problems(),
    description="Warehouses and stores (the ledger's virtual locations are never listed).",
)
def list_locations(
    session: DbSession, actor: Viewer, type: LocationType | None = None, active: bool | None = None
) -> ExactJSONResponse:
    locations = service.list_locations(session, actor, type=type, active=active)
    return ok_all([LocationRead.model_validate(loc) for loc in locations])


@router.get("/{location_id}", response_model=Envelope[LocationRead], responses=problems(_NOT_FOUND))
def get_location(session: DbSession, actor: Viewer, location_id: str) -> ExactJSONResponse:
    location = service.get_location(session, actor, location_id=location_id)
    return ok(LocationRead.model_validate(location))


@router.post(
    "",
    status_code=201,
    response_model=Envelope[LocationRead],
    responses=problems(_DUPLICATE, _UNKNOWN_ACCOUNT),
    description="The company's first warehouse becomes its default warehouse.",
)
def create_location(session: DbSession, actor: Admin, body: LocationCreate) -> ExactJSONResponse:
    location = service.create_location(session, actor, location=body)
    return ok(LocationRead.model_validate(location), 201)


@router.put(
    "/{location_id}",
    response_model=Envelope[LocationRead],
    responses=problems(_NOT_FOUND, _DUPLICATE, _UNKNOWN_ACCOUNT),
    description="A default warehouse that becomes a store hands the default to another warehouse.",
)
def update_location(
    session: DbSession, actor: Admin, location_id: str, body: LocationUpdate
) -> ExactJSONResponse:
    location = service.update_location(session, actor, location_id=location_id, changes=body)
    return ok(LocationRead.model_validate(location))


@router.delete(
    "/{location_id}",
    response_model=Envelope[Deleted],
    responses=problems(_NOT_FOUND, InUse.code_for("location")),
    description="A location with stock history cannot be deleted (409); deactivate it.",
)
def delete_location(session: DbSession, actor: Admin, location_id: str) -> ExactJSONResponse:
    service.delete_location(session, actor, location_id=location_id)
    return ok(Deleted(id=location_id, deleted=True))


@router.get(
    "/{location_id}/bins", response_model=Envelope[list[BinRead]], responses=problems(_NOT_FOUND)
)
def list_bins(session: DbSession, actor: Viewer, location_id: str) -> ExactJSONResponse:
    bins = service.list_bins(session, actor, location_id=location_id)
    return ok_all([BinRead.model_validate(b) for b in bins])


@router.get(
    "/{location_id}/bins/{bin_id}",
    response_model=Envelope[BinRead],
    responses=problems(_BIN_NOT_FOUND),
)
def get_bin(session: DbSession, actor: Viewer, location_id: str, bin_id: str) -> ExactJSONResponse:
    found = service.get_bin(session, actor, location_id=location_id, bin_id=bin_id)
    return ok(BinRead.model_validate(found))


@router.post(
    "/{location_id}/bins",
    status_code=201,
    response_model=Envelope[BinRead],
    responses=problems(_NOT_FOUND, _DUPLICATE),
    description="A bin's code is unique in its location.",
)
def create_bin(
    session: DbSession, actor: Admin, location_id: str, body: BinCreate
) -> ExactJSONResponse:
    created = service.create_bin(session, actor, location_id=location_id, bin=body)
    return ok(BinRead.model_validate(created), 201)


@router.put(
    "/{location_id}/bins/{bin_id}",
    response_model=Envelope[BinRead],
    responses=problems(_BIN_NOT_FOUND, _DUPLICATE),
)
def update_bin(
    session: DbSession, actor: Admin, location_id: str, bin_id: str, body: BinUpdate
) -> ExactJSONResponse:
    updated = service.update_bin(
        session, actor, location_id=location_id, bin_id=bin_id, changes=body
    )
    return ok(BinRead.model_validate(updated))


@router.delete(
    "/{location_id}/bins/{bin_id}",
    response_model=Envelope[Deleted],
    responses=problems(_BIN_NOT_FOUND, InUse.code_for("bin")),
    description="A bin with stock history cannot be deleted (409); deactivate it.",
)
def delete_bin(
    session: DbSession, actor: Admin, location_id: str, bin_id: str
) -> ExactJSONResponse:
    service.delete_bin(session, actor, location_id=location_id, bin_id=bin_id)
    return ok(Deleted(id=bin_id, deleted=True))
