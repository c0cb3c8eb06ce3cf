"""The company's API keys, for admins: the keys with their roles, a new key (its token shown
this once), and revoking one (requests with it are refused from then on)."""

from __future__ import annotations

from fastapi import Request, Response
from sqlalchemy.orm import Session

from stockkeeper.people.service.visits import Visit
from stockkeeper.tenancy.service import (
    CreatedKey,
    NewApiKey,
    Role,
    create_api_key,
    list_api_keys,
    revoke_api_key,
)
from stockkeeper.tenancy.views import api_key_read
from stockkeeper.web import nav
from stockkeeper.web.auth import Admin, DbSession
from stockkeeper.web.forms import Form, Typed, attempt, parse
from stockkeeper.web.pages import page_router, redirect, render

router = page_router()
nav.register("API keys", "/api-keys", order=95, needs=Role.admin, group="/settings")

ROLES = [role.name for role in sorted(Role, reverse=True)]


@router.get("/api-keys")
def api_keys_page(request: Request, session: DbSession, visit: Admin) -> Response:
    return _page(request, session, visit, Form())


@router.post("/api-keys")
def create_api_key_action(
    request: Request, session: DbSession, visit: Admin, name: Typed = "", role: Typed = ""
) -> Response:
    values = {"name": name, "role": role}
    created = attempt(
        session, values, lambda: create_api_key(session, visit.actor, key=_new(values))
    )
    return _page(request, session, visit, created.form, created.result)


@router.post("/api-keys/{key_id}/revoke")
def revoke_api_key_action(
    request: Request, session: DbSession, visit: Admin, key_id: str
) -> Response:
    revoke_api_key(session, visit.actor, key_id=key_id)
    return redirect("/api-keys")


def _new(values: dict[str, str]) -> NewApiKey:
    """A new key's values; an empty name is the role's (as the service names it)."""
    return parse(NewApiKey, {k: v for k, v in values.items() if v.strip()})


def _page(
    request: Request, session: Session, visit: Visit, form: Form, created: CreatedKey | None = None
) -> Response:
    """The keys with the form for a new one, and a refusal (422) or a new key's token."""
    return render(
        request,
        "api_keys.html",
        422 if form.failed else 200,
        keys=[api_key_read(key) for key in list_api_keys(session, visit.actor)],
        form=Form() if created is not None else form,
        roles=ROLES,
        created=api_key_read(created.key) if created else None,
        token=created.token if created else None,
    )
