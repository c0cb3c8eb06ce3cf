from __future__ import annotations

from dataclasses import asdict

from fastapi import APIRouter

from stockkeeper.api.deps import Admin, ApiRoute, DbSession, Viewer
from stockkeeper.api.problems import problem_responses
from stockkeeper.api.responses import ExactJSONResponse, ok
from stockkeeper.catalog.schemas.entities import SettingsRead, SettingsUpdate
from stockkeeper.catalog.service import settings as service
from stockkeeper.core.api_model import Envelope

router = APIRouter(prefix="/api/v1/settings", tags=["Settings"], route_class=ApiRoute)


@router.get("", response_model=Envelope[SettingsRead], responses=problem_responses())
def get_settings(session: DbSession, actor: Viewer) -> ExactJSONResponse:
    return ok(SettingsRead.model_validate(asdict(service.get_settings(session, actor))))


@router.put(
    "",
    response_model=Envelope[SettingsRead],
    responses=problem_responses(),
    description="Changes only the settings sent.",
)
def update_settings(session: DbSession, actor: Admin, body: SettingsUpdate) -> ExactJSONResponse:
    settings = service.update_settings(session, actor, changes=body.model_dump(exclude_unset=True))
    return ok(SettingsRead.model_validate(asdict(settings)))
