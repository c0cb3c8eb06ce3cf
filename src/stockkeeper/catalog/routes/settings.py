"""``/api/v1/settings``: the company's settings."""

from __future__ import annotations

from fastapi import APIRouter

from stockkeeper.accounting.errors import WrongTaxKind
from stockkeeper.api.deps import Admin, ApiRoute, DbSession, Viewer
from stockkeeper.api.problems import problems
from stockkeeper.api.responses import ExactJSONResponse, ok
from stockkeeper.catalog.schemas.entities import SettingsRead, SettingsUpdate
from stockkeeper.catalog.service import settings as service
from stockkeeper.catalog.views import settings_read
from stockkeeper.core.api_model import Envelope
from stockkeeper.core.errors import UnknownReference
from stockkeeper.core.sequences import InvalidNumberingFormat
from stockkeeper.tenancy.errors import InvalidCurrency, InvalidTimezone

router = APIRouter(prefix="/api/v1/settings", tags=["Settings"], route_class=ApiRoute)


@router.get("", response_model=Envelope[SettingsRead], responses=problems())
def get_settings(session: DbSession, actor: Viewer) -> ExactJSONResponse:
    return ok(settings_read(service.get_settings(session, actor)))


@router.put(
    "",
    response_model=Envelope[SettingsRead],
    responses=problems(
        InvalidCurrency,
        InvalidTimezone,
        InvalidNumberingFormat,
        UnknownReference.code_for("location"),
        UnknownReference.code_for("account"),
        UnknownReference.code_for("tax rate"),
        WrongTaxKind,
    ),
    description="Changes only the settings sent. The default warehouse must be a warehouse; "
    "the lock date cannot lie in the future; the default accounts and tax rates (each by id "
    "or code) must be active ones of the company.",
)
def update_settings(session: DbSession, actor: Admin, body: SettingsUpdate) -> ExactJSONResponse:
    return ok(settings_read(service.update_settings(session, actor, changes=body)))
