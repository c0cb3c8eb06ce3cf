"""Request dependencies: the request's unit of work and the authenticated actor."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.orm import Session

from stockkeeper.core.db import Database
from stockkeeper.tenancy.service import Actor, Role, authenticate

_bearer = HTTPBearer(auto_error=False, description="An API key: `Authorization: Bearer sk_...`")
_company = APIKeyHeader(
    name="X-Company-Id", auto_error=False, description="The company the request acts for"
)

_READ_METHODS = {"GET", "HEAD", "OPTIONS"}


def db_session(request: Request) -> Iterator[Session]:
    """One transaction per request, committed before the response is sent.

    Reads use a deferred transaction; everything else takes the write lock at BEGIN.
    """
    database: Database = request.app.state.db
    with database.unit_of_work(write=request.method not in _READ_METHODS) as session:
        yield session


DbSession = Annotated[Session, Depends(db_session, scope="function")]


def _require(needs: Role):  # type: ignore[no-untyped-def]
    def dependency(
        session: DbSession,
        credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
        company_id: Annotated[str | None, Depends(_company)],
    ) -> Actor:
        token = credentials.credentials if credentials else None
        return authenticate(session, token=token, company_id=company_id, needs=needs)

    return dependency


Viewer = Annotated[Actor, Depends(_require(Role.viewer))]
Clerk = Annotated[Actor, Depends(_require(Role.clerk))]
Admin = Annotated[Actor, Depends(_require(Role.admin))]
