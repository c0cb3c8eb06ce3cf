"""The company's people, for admins: who may sign in with which role; add a person (a new
one gets a link to set their password, shown once), change a role, take someone out."""

from __future__ import annotations

from fastapi import Request, Response
from sqlalchemy.orm import Session

from stockkeeper.people.service.accounts import (
    AddedMember,
    NewMember,
    add_member,
    change_role,
    list_members,
    remove_member,
)
from stockkeeper.people.service.visits import Visit
from stockkeeper.tenancy.service import Role
from stockkeeper.web import nav
from stockkeeper.web.auth import Admin, DbSession
from stockkeeper.web.forms import Form, Typed, attempt, parse
from stockkeeper.web.pages import page_router, redirect, render

router = page_router()
nav.register("People", "/people", order=90, needs=Role.admin, group="/settings")

ROLES = [role.name for role in sorted(Role, reverse=True)]


@router.get("/people")
def members_page(request: Request, session: DbSession, visit: Admin) -> Response:
    return _page(request, session, visit, Form())


@router.post("/people")
def add_member_action(
    request: Request,
    session: DbSession,
    visit: Admin,
    email: Typed = "",
    name: Typed = "",
    role: Typed = "",
) -> Response:
    values = {"email": email, "name": name, "role": role}
    added = attempt(
        session, values, lambda: add_member(session, visit.actor, member=parse(NewMember, values))
    )
    return _page(request, session, visit, added.form, added.result)


@router.post("/people/{account_id}/role")
def change_role_action(
    request: Request, session: DbSession, visit: Admin, account_id: str, role: Typed = ""
) -> Response:
    changed = attempt(
        session, {}, lambda: change_role(session, visit.actor, account_id=account_id, role=role)
    )
    return _then_back(request, session, visit, changed.form)


@router.post("/people/{account_id}/remove")
def remove_member_action(
    request: Request, session: DbSession, visit: Admin, account_id: str
) -> Response:
    removed = attempt(
        session, {}, lambda: remove_member(session, visit.actor, account_id=account_id)
    )
    return _then_back(request, session, visit, removed.form)


def _then_back(request: Request, session: Session, visit: Visit, form: Form) -> Response:
    """Back to the list when done; the list with the refusal otherwise."""
    return _page(request, session, visit, form) if form.failed else redirect("/people")


def _page(
    request: Request, session: Session, visit: Visit, form: Form, added: AddedMember | None = None
) -> Response:
    """The list with the add form, and a refusal (409 or 422) or a new person's link."""
    token = added.link_token if added is not None else None
    status = form.status
    return render(
        request,
        "members.html",
        status,
        members=list_members(session, visit.actor),
        form=Form() if added is not None else form,
        roles=ROLES,
        added=added,
        new_link=request.app.state.settings.web_link(f"/set-password/{token}") if token else None,
    )
