"""Who is visiting: the session cookie's visit (``people.service.visits``), the role checks
of pages and actions, and the CSRF check of every form sent.

CSRF: every form carries a hidden ``csrf_token`` (``csrf_field()`` in a template); a POST,
PUT or DELETE whose token does not match is refused with 403 before its page runs. A
signed-in visitor's token is their session's (kept in the database with it); a visitor not
signed in yet (the sign-in form) gets one in a cookie of its own, and the form must send the
same (a double-submit token: another site can neither read the cookie nor set it)."""

from __future__ import annotations

import ipaddress
import secrets
from datetime import timedelta
from typing import Annotated
from urllib.parse import quote

from fastapi import Depends, Request, Response
from sqlalchemy.orm import Session

from stockkeeper.core.db import Database
from stockkeeper.core.errors import Forbidden
from stockkeeper.core.settings import Network, Settings
from stockkeeper.people.service.visits import Visit, find_visit, touch
from stockkeeper.tenancy.service import Role, authorize

SESSION_COOKIE = "sk_session"
CSRF_COOKIE = "sk_csrf"
CSRF_FIELD = "csrf_token"


class CsrfRefused(Forbidden):
    code = "csrf_token_invalid"
    example = "the form has expired or did not come from this site: reload the page and retry"

    def __init__(self) -> None:
        super().__init__(self.example)


class SignInRequired(Exception):
    """A page for signed-in people, asked for by someone who is not: to the sign-in page,
    and back to ``next`` afterwards."""

    def __init__(self, next_path: str) -> None:
        super().__init__(next_path)
        self.next_path = next_path

    @property
    def location(self) -> str:
        return "/sign-in?next=" + quote(self.next_path, safe="/")


def load_visit(request: Request, session: Session, *, writing: bool) -> Visit | None:
    """The request's visit (None if not signed in). The session's ``last_seen_at`` moves at
    most once a minute: in the request's own transaction when it writes anyway, else in a
    short one of its own (a read transaction cannot write on SQLite)."""
    token = request.cookies.get(SESSION_COOKIE)
    if not token:
        return None
    settings: Settings = request.app.state.settings
    lifetime = timedelta(hours=settings.session_lifetime_hours)
    visit = find_visit(session, token=token, idle=_idle(settings), lifetime=lifetime)
    if visit is not None and visit.needs_touch:
        if writing:
            touch(session, session_id=visit.session_id)
        else:
            database: Database = request.app.state.db
            with database.unit_of_work() as own:
                touch(own, session_id=visit.session_id)
    return visit


def _idle(settings: Settings) -> timedelta:
    return timedelta(hours=settings.session_idle_hours)


def client_address(request: Request) -> str:
    """The address the sign-in throttle counts: the socket's peer; when that is a trusted
    proxy, the right-most address of X-Forwarded-For that is not a trusted proxy's (what is
    left of it the client wrote itself, and may have made up)."""
    trusted: list[Network] = request.app.state.settings.trusted_proxies
    peer = request.client.host if request.client else "unknown"
    if not _trusted(peer, trusted):
        return peer
    forwarded = ",".join(request.headers.getlist("x-forwarded-for"))
    hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
    for hop in reversed(hops):
        if not _trusted(hop, trusted):
            return hop[:64]
    return hops[0][:64] if hops else peer


def _trusted(address: str, trusted: list[Network]) -> bool:
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return False
    if isinstance(parsed, ipaddress.IPv6Address) and parsed.ipv4_mapped is not None:
        parsed = parsed.ipv4_mapped  # ::ffff:10.0.0.5 on a dual-stack socket is 10.0.0.5
    return any(parsed in network for network in trusted)


def csrf_token(request: Request) -> str:
    """The token the request's forms carry (see the module's note)."""
    visit: Visit | None = request.state.visit
    if visit is not None:
        return visit.csrf_token
    token: str | None = getattr(request.state, "anonymous_csrf", None)
    if token is None:
        token = request.cookies.get(CSRF_COOKIE) or secrets.token_urlsafe(32)
        request.state.anonymous_csrf = token
    return token


async def check_csrf(request: Request) -> None:
    visit: Visit | None = request.state.visit
    expected = visit.csrf_token if visit is not None else request.cookies.get(CSRF_COOKIE)
    try:
        sent = (await request.form()).get(CSRF_FIELD)
    except (AssertionError, ValueError):  # not a form
        sent = None
    if not expected or not isinstance(sent, str) or not secrets.compare_digest(sent, expected):
        raise CsrfRefused()


def set_cookie(request: Request, response: Response, name: str, value: str) -> None:
    """A cookie that scripts cannot read, sent only to this site's own pages and forms, and
    only over HTTPS outside development and tests."""
    settings: Settings = request.app.state.settings
    response.set_cookie(
        name,
        value,
        httponly=True,
        samesite="lax",
        secure=settings.environment not in ("development", "test"),
        path="/",
    )


def requires(role: Role):  # type: ignore[no-untyped-def]
    """A page dependency: the signed-in visitor, if their role is at least ``role`` (else
    403); someone not signed in goes to the sign-in page."""

    async def visitor(request: Request) -> Visit:
        visit: Visit | None = request.state.visit
        if visit is None:
            path = request.url.path + (f"?{request.url.query}" if request.url.query else "")
            raise SignInRequired(path if request.method == "GET" else "/")
        authorize(visit.actor, role)
        return visit

    return visitor


async def _session(request: Request) -> Session:
    session: Session = request.state.session
    return session


# what a page takes: the signed-in visitor with at least a role, and the request's session
Viewer = Annotated[Visit, Depends(requires(Role.viewer))]
Clerk = Annotated[Visit, Depends(requires(Role.clerk))]
Admin = Annotated[Visit, Depends(requires(Role.admin))]
DbSession = Annotated[Session, Depends(_session)]
