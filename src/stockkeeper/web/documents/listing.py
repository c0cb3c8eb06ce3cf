"""A list of documents: its filters from the page's query (refused beside their inputs, as a
form's values are), a page of rows from the service's cursor, and the link to the next page
(the same filters and the cursor the service gave)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from fastapi import Request, Response
from pydantic import BaseModel

from stockkeeper.core.errors import Invalid
from stockkeeper.core.pagination import Listed
from stockkeeper.tenancy.service import Role
from stockkeeper.web.forms import Form, parse
from stockkeeper.web.listing import pager
from stockkeeper.web.pages import render

F = TypeVar("F", bound=BaseModel)
T = TypeVar("T")

PAGE_SIZE = 25


@dataclass(frozen=True)
class Shown(Generic[T]):
    """One page of a list: its rows, the filters' form (values and errors), the link to the
    next page (None on the last), and whether this is the first page."""

    rows: list[T]
    form: Form
    next_link: str | None
    first: bool

    @property
    def status(self) -> int:
        return 422 if self.form.failed else 200


def show_list(
    request: Request,
    filters: type[F],
    names: Sequence[str],
    fetch: Callable[[F, str | None], Listed[T]],
) -> Shown[T]:
    """The page of the list the query asks for: ``names`` are the filters the page offers
    (each a query parameter of that name, blank when not used); ``fetch`` calls the service's
    list with the filters and the cursor."""
    query = request.query_params
    typed = {name: query.get(name, "").strip() for name in names}
    try:
        values = parse(filters, {name: value for name, value in typed.items() if value})
    except Invalid as refused:
        return Shown([], Form.refused(typed, refused), None, True)
    cursor = query.get("cursor") or None
    listed = fetch(values, cursor)
    kept = {name: value for name, value in typed.items() if value}
    next_link = pager(request.url.path, kept, cursor or "", listed).next  # the lists' one pager
    return Shown(list(listed.rows), Form(typed), next_link, cursor is None)


def list_page(
    request: Request, template: str, shown: Shown[T], role: Role, **context: Any
) -> Response:
    """The list's page: its rows and filters, and the link to a new document for those who
    may create one (``may_create``)."""
    return render(
        request, template, shown.status, shown=shown, may_create=role >= Role.clerk, **context
    )
