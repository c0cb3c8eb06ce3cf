"""Passwords: setting one through a one-time link (a new person's, or a reset), and asking
for a reset link when it is forgotten."""

from __future__ import annotations

from fastapi import BackgroundTasks, Request, Response

from stockkeeper.core.db import Database
from stockkeeper.core.settings import Settings
from stockkeeper.people.service.links import link_account
from stockkeeper.people.service.mail import send_reset_link
from stockkeeper.people.service.signing_in import (
    ask_for_reset,
    reset_link,
    set_password_with_link,
)
from stockkeeper.web.auth import SESSION_COOKIE, DbSession, client_address
from stockkeeper.web.forms import Form, Typed, attempt
from stockkeeper.web.pages import page_router, render
from stockkeeper.web.signing_in import signed_in

router = page_router()


@router.get("/set-password/{token}")
def set_password_page(request: Request, session: DbSession, token: str) -> Response:
    link_account(session, token=token, purpose="set_password")  # 404 when not valid
    return render(request, "set_password.html", form=Form(), token=token)


@router.post("/set-password/{token}")
def set_password_action(
    request: Request, session: DbSession, token: str, password: Typed = ""
) -> Response:
    outcome = attempt(
        session,
        {},
        lambda: set_password_with_link(
            session, token=token, password=password, replaces=request.cookies.get(SESSION_COOKIE)
        ),
    )
    if outcome.result is None:
        return render(request, "set_password.html", 422, form=outcome.form, token=token)
    return signed_in(request, outcome.result)


@router.get("/forgot-password")
def forgot_password_page(request: Request) -> Response:
    return render(request, "forgot_password.html", form=Form(), sent=False)


@router.post("/forgot-password")
def forgot_password_action(
    request: Request, session: DbSession, tasks: BackgroundTasks, email: Typed = ""
) -> Response:
    """The same answer, after the same work, whether or not the email is known (too many
    asks: 429); the link is made and sent after the answer."""
    asked = ask_for_reset(session, email=email, address=client_address(request))
    tasks.add_task(send_reset, request.app.state.db, request.app.state.settings, email=asked)
    return render(request, "forgot_password.html", form=Form(), sent=True)


def send_reset(database: Database, settings: Settings, *, email: str) -> None:
    """A link to set a new password, if an account has ``email``, made in a transaction of
    its own and sent (neither its wait nor its failure reaches the answer)."""
    with database.unit_of_work() as session:
        found = reset_link(session, email=email)
        to = found[0].email if found is not None else None
    if found is not None and to is not None:
        send_reset_link(settings, to=to, link=settings.web_link(f"/set-password/{found[1]}"))
