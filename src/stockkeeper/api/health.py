"""``/health`` (the process answers) and ``/ready`` (it can serve: the database answers and
is at the migrations' head), for load balancers and orchestrators; no credentials."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from stockkeeper import __version__
from stockkeeper.core import readiness

router = APIRouter(tags=["Health"])


class Health(BaseModel):
    status: str = Field(examples=["ok"])
    version: str = Field(examples=[__version__])
    database: str = Field(examples=["postgresql"], description="The database engine")


class Ready(BaseModel):
    status: str = Field(examples=["ready"], description="ready, or unavailable (503)")
    database: str = Field(
        examples=["ok"], description="ok, or what is wrong: unreachable, not migrated..."
    )
    revision: str | None = Field(description="The database's migration revision")
    head: str = Field(description="The revision this version of the code needs")
    worker_heartbeat_age_seconds: float | None = Field(
        alias="workerHeartbeatAgeSeconds",
        description="Seconds since a worker last reported; null when none has. It does not "
        "decide readiness: requests are served without a worker (webhooks and emails wait)",
    )

    @classmethod
    def of(cls, state: readiness.Readiness) -> Ready:
        return cls(
            status="ready" if state.ready else "unavailable",
            database=state.database,
            revision=state.revision,
            head=state.head,
            workerHeartbeatAgeSeconds=state.worker_heartbeat_age_seconds,
        )


@router.get("/health", response_model=Health)
def health(request: Request) -> Health:
    """The process answers (nothing else is asked)."""
    return Health(status="ok", version=__version__, database=request.app.state.db.dialect)


@router.get(
    "/ready",
    response_model=Ready,
    response_model_by_alias=True,
    responses={503: {"model": Ready, "description": "Not ready: the body says why"}},
)
def ready(request: Request) -> JSONResponse:
    """Ready to serve: the database answers and its schema is at the code's revision."""
    state = readiness.check(request.app.state.db)
    body = Ready.of(state).model_dump(by_alias=True)
    return JSONResponse(body, status_code=200 if state.ready else 503)
