"""The plumbing of every page: the route class that runs a page in the request's unit of
work, the templates, and the HTML answers (pages, redirects, error pages)."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from functools import cache
from typing import Any, TypeVar

from fastapi import APIRouter, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.routing import APIRoute
from jinja2 import Environment, PackageLoader, StrictUndefined, pass_context
from markupsafe import Markup
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException

from stockkeeper.core.db import Database
from stockkeeper.core.errors import DomainError, Kind
from stockkeeper.core.locks import busy_when_locked
from stockkeeper.web import nav
from stockkeeper.web.auth import (
    CSRF_COOKIE,
    CSRF_FIELD,
    SignInRequired,
    check_csrf,
    csrf_token,
    load_visit,
    set_cookie,
)

PRODUCT = "Stockkeeper"
_SAFE = {"GET", "HEAD", "OPTIONS"}
_Page = TypeVar("_Page", bound=Callable[..., Any])


class WebRoute(APIRoute):
    """Runs a page in one unit of work: a read transaction for GET, a write one otherwise.
    The visit is found first, and a form's CSRF token checked; the unit commits when the
    page returns an answer and rolls back when it raises. A refusal raised by a page is an
    HTML error page of its status; a visitor not signed in is sent to sign in."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def run(request: Request) -> Response:
            database: Database = request.app.state.db
            sending = request.method not in _SAFE
            writing = sending and not getattr(self.endpoint, "reads_first", False)
            work = database.unit_of_work(write=writing)
            request.state.session = work.session
            request.state.visit = None
            try:
                with busy_when_locked():
                    request.state.visit = await run_in_threadpool(
                        load_visit, request, work.session, writing=writing
                    )
                if sending:
                    await check_csrf(request)
                response = await handler(request)
            except (DomainError, SignInRequired, RequestValidationError, HTTPException) as error:
                await run_in_threadpool(work.rollback)
                return refusal_page(request, error)
            except BaseException:
                await run_in_threadpool(work.rollback)
                raise
            with busy_when_locked():
                await run_in_threadpool(work.commit)
            return response

        return run


def reads_first(page: _Page) -> _Page:
    """Marks a form's page that runs in a read transaction and writes in a short one of its
    own (signing in: a password's hash is checked outside the writers' turn)."""
    page.reads_first = True  # type: ignore[attr-defined]
    return page


def page_router() -> APIRouter:
    """The router a page module declares its pages on."""
    return APIRouter(route_class=WebRoute, include_in_schema=False)


@cache
def templates() -> Environment:
    """Templates under ``web/templates``, every value escaped unless marked safe."""
    environment = Environment(
        loader=PackageLoader("stockkeeper.web", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.globals.update(product=PRODUCT, csrf_field=_csrf_field)
    return environment


@pass_context
def _csrf_field(context: Any) -> Markup:
    """``{{ csrf_field() }}`` in every form: the hidden input of the CSRF token."""
    return Markup('<input type="hidden" name="{}" value="{}">').format(
        CSRF_FIELD, context["csrf_token"]
    )


def render(
    request: Request,
    template: str,
    status_code: int = 200,
    headers: dict[str, str] | None = None,
    **context: Any,
) -> HTMLResponse:
    """``template`` with ``context``, and what every page's layout shows: the visitor (or
    None), the sections their role may open, the CSRF token of its forms."""
    visit = request.state.visit
    token = csrf_token(request)
    html = (
        templates()
        .get_template(template)
        .render(
            request=request,
            visit=visit,
            sections=nav.sections(visit.actor.role) if visit is not None else [],
            csrf_token=token,
            **context,
        )
    )
    response = HTMLResponse(html, status_code=status_code, headers=headers)
    # no page is framed by another site's; a signed-in page (a key shown once, a link to set
    # a password) is not kept for the back button after signing out, on a shared terminal
    response.headers["Content-Security-Policy"] = "frame-ancestors 'none'"
    if visit is not None:
        response.headers["Cache-Control"] = "no-store"
    if visit is None and request.cookies.get(CSRF_COOKIE) != token:
        set_cookie(request, response, CSRF_COOKIE, token)
    return response


def redirect(path: str) -> RedirectResponse:
    """To ``path`` with a GET (after a form: reloading the next page sends nothing again)."""
    return RedirectResponse(path, status_code=303)


def safe_next(path: str | None) -> str:
    """Where to go after signing in: a path of this site only, never another site."""
    if not path or not path.startswith("/") or path.startswith("//") or "\\" in path:
        return "/"
    if any(c < " " or c == "\x7f" for c in path):  # a browser drops a tab: "/\t/x" is "//x"
        return "/"
    return path


_TITLES = {
    Kind.UNAUTHORIZED: "Not signed in",
    Kind.FORBIDDEN: "Not allowed",
    Kind.NOT_FOUND: "Not found",
    Kind.TOO_MANY_REQUESTS: "Too many attempts",
    Kind.BUSY: "Busy",
}


def refusal_page(request: Request, error: Exception) -> Response:
    if isinstance(error, SignInRequired):
        return redirect(error.location)
    headers: dict[str, str] = {}
    if isinstance(error, DomainError):
        status, detail = error.kind.status, error.detail
        if "retry_after" in error.details:
            headers["Retry-After"] = str(error.details["retry_after"])
        if error.kind is Kind.BUSY:
            headers["Retry-After"] = "1"
    elif isinstance(error, HTTPException):
        status, detail = error.status_code, str(error.detail)
    else:
        status, detail = 422, "the form's values are not valid"
    title = next((t for k, t in _TITLES.items() if k.status == status), "Cannot do that")
    return render(request, "error.html", status, headers, title=title, detail=detail, status=status)


def not_found_page(request: Request) -> Response:
    """The answer to a path that is no page and no API's (the API's own paths keep their
    problem+json 404)."""
    request.state.visit = None
    detail = f"there is no page at {request.url.path}"
    return render(request, "error.html", 404, title="Not found", detail=detail, status=404)
