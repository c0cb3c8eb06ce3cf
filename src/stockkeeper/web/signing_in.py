"""Signing in and out: the password form (throttled), one-time sign-in links, and the
company switcher."""

from __future__ import annotations

from fastapi import Request, Response
from sqlalchemy.orm import Session

from stockkeeper.core.db import Database
from stockkeeper.core.errors import DomainError
from stockkeeper.core.locks import busy_when_locked
from stockkeeper.people.service.links import link_account
from stockkeeper.people.service.signing_in import (
    Refused,
    SignedIn,
    check_password,
    record_sign_in,
    sign_in_with_link,
    sign_out,
)
from stockkeeper.people.service.visits import switch_company
from stockkeeper.web.auth import (
    SESSION_COOKIE,
    DbSession,
    Viewer,
    client_address,
    set_cookie,
)
from stockkeeper.web.forms import Form, Typed
from stockkeeper.web.pages import page_router, reads_first, redirect, render, safe_next

router = page_router()


@router.get("/sign-in")
def sign_in_page(request: Request, next: str = "/") -> Response:
    if request.state.visit is not None:  # signed in already: on to where they were going
        return redirect(safe_next(next))
    return render(request, "sign_in.html", form=Form(), next=safe_next(next))


@router.post("/sign-in")
@reads_first
def sign_in_action(
    request: Request, session: DbSession, email: Typed = "", password: Typed = "", next: Typed = "/"
) -> Response:
    try:
        outcome = _sign_in(request, session, email, password)
    except DomainError as throttled:  # 429 (or busy), and nothing kept
        return _sign_in_again(request, email, next, throttled)
    return _answer(request, outcome, email, next)


def _sign_in(request: Request, reading: Session, email: str, password: str) -> SignedIn | Refused:
    """The password is checked in the page's read transaction; the try is recorded (and the
    session started) in a short write transaction after it."""
    database: Database = request.app.state.db
    address = client_address(request)
    checked = check_password(reading, email=email, password=password, address=address)
    with busy_when_locked(), database.unit_of_work() as writing:
        return record_sign_in(writing, checked, replaces=request.cookies.get(SESSION_COOKIE))


def _answer(request: Request, outcome: SignedIn | Refused, email: str, next_path: str) -> Response:
    """Signed in: on to ``next``. Refused: the form again, 401, the failure kept (the page's
    unit of work commits what it returns)."""
    if isinstance(outcome, Refused):
        return _sign_in_again(request, email, next_path, outcome.error)
    return signed_in(request, outcome, safe_next(next_path))


def _sign_in_again(request: Request, email: str, next_path: str, error: DomainError) -> Response:
    form = Form.refused({"email": email}, error)
    retry = error.details.get("retry_after")
    headers = {"Retry-After": str(retry)} if retry is not None else None
    return render(
        request, "sign_in.html", error.kind.status, headers, form=form, next=safe_next(next_path)
    )


def signed_in(request: Request, signed: SignedIn, next_path: str = "/") -> Response:
    """On to ``next_path``, with the new session's cookie."""
    response = redirect(next_path)
    set_cookie(request, response, SESSION_COOKIE, signed.token)
    return response


@router.post("/sign-out")
def sign_out_action(session: DbSession, visit: Viewer) -> Response:
    sign_out(session, session_id=visit.session_id)
    response = redirect("/sign-in")
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.get("/sign-in/link/{token}")
def sign_in_link_page(request: Request, session: DbSession, token: str) -> Response:
    """A page with a button: a GET never spends the link (a mail scanner that opens links
    would spend it otherwise)."""
    link_account(session, token=token, purpose="sign_in")  # 404 when not valid
    return render(request, "sign_in_link.html", token=token)


@router.post("/sign-in/link/{token}")
def sign_in_link_action(request: Request, session: DbSession, token: str) -> Response:
    old = request.cookies.get(SESSION_COOKIE)
    return signed_in(request, sign_in_with_link(session, token=token, replaces=old))


@router.post("/switch-company")
def switch_company_action(session: DbSession, visit: Viewer, company_id: Typed = "") -> Response:
    switch_company(session, visit, company_id=company_id)
    return redirect("/")
