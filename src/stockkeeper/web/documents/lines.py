"""A document's form: its header fields and its numbered lines (``items.0.code``,
``items.0.quantity``...) posted as one plain HTML form. More lines come from a server-side
"Add line" button, so the form works without JavaScript; a line left blank is dropped.

A line names its item by code (or barcode), as people type or scan it, and a bin by its code;
the catalogue turns them into ids (``catalog.service.item_codes``, ``bin_codes``), an unknown
one refused beside its own line, together with whatever else the service's values refuse."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Annotated, Any, TypeVar

from fastapi import Depends, Request, Response
from pydantic import BaseModel
from sqlalchemy.orm import Session

from stockkeeper.catalog.service.bin_codes import NamedBin, bin_ids_of
from stockkeeper.catalog.service.item_codes import item_ids_of
from stockkeeper.core.errors import FieldError, Invalid, field_error
from stockkeeper.tenancy.service import Actor
from stockkeeper.web.auth import CSRF_FIELD
from stockkeeper.web.forms import Form, parse
from stockkeeper.web.pages import render

V = TypeVar("V", bound=BaseModel)

_LINE = re.compile(r"items\.(\d+)\.([a-z_]+)")
MAX_LINES = 200  # what one form shows; a larger document comes through the API or an import
_TOO_MANY = (
    f"a form takes at most {MAX_LINES} lines; a larger document comes through the API or an import"
)


async def _posted(request: Request) -> dict[str, str]:
    """The form's text fields as sent (read once: the CSRF check has parsed it already)."""
    sent = await request.form()
    return {k: v for k, v in sent.items() if isinstance(v, str) and k != CSRF_FIELD}


# what a document's form page takes: every field posted, lines included
Posted = Annotated[dict[str, str], Depends(_posted)]


@dataclass(frozen=True)
class Column:
    """A field of every line: the form's ``items.N.<name>``, shown beside the errors of the
    service's ``items.N.<path>`` (``path`` where the service names it otherwise)."""

    name: str
    label: str
    path: str | None = None
    type: str = "text"
    hint: str | None = None
    also: tuple[str, ...] = ()  # other fields of the line whose errors are shown here

    def field(self, n: int) -> str:
        return f"items.{n}.{self.name}"

    def error_path(self, n: int) -> str:
        return f"items.{n}.{self.path or self.name}"


# the columns most documents' lines have
ITEM_CODE = Column("code", "Item code", path="item_id", hint="The item's code or barcode")
SERIALS = Column(
    "serials", "Serial numbers", path="serial_numbers", hint="For serial-tracked items"
)


def serial_numbers(line: Mapping[str, str]) -> list[str]:
    """The serial numbers typed in a line, separated by spaces or commas."""
    return line.get("serials", "").replace(",", " ").split()


@dataclass(frozen=True)
class Lines:
    """The header's fields and the lines, as typed: blank lines dropped, the rest numbered
    from 0 in their order."""

    header: dict[str, str] = field(default_factory=dict)
    lines: list[dict[str, str]] = field(default_factory=list)
    blank: int = 0  # the blank lines the form showed

    @classmethod
    def read(cls, posted: Mapping[str, str], columns: Sequence[Column]) -> Lines:
        header: dict[str, str] = {}
        numbered: dict[int, dict[str, str]] = {}
        names = {column.name for column in columns}
        for key, value in posted.items():
            found = _LINE.fullmatch(key)
            if found is None:
                header[key] = value.strip()
            elif found.group(2) in names:
                numbered.setdefault(int(found.group(1)), {})[found.group(2)] = value.strip()
        lines = [numbered[n] for n in sorted(numbered) if any(numbered[n].values())]
        if len(lines) > MAX_LINES:  # refused, never cut short
            raise Invalid.fields([field_error("items", _TOO_MANY, "too_many_lines")])
        return cls(header, lines, len(numbered) - len(lines))

    def values(self, blank: int = 0) -> dict[str, str]:
        """The form's values to show again (with ``blank`` empty lines after the others)."""
        shown = dict(self.header)
        for n, line in enumerate(self.lines):
            shown.update({f"items.{n}.{name}": value for name, value in line.items()})
        return shown | {"lines": str(max(len(self.lines) + blank, 1))}

    def grown(self) -> dict[str, str]:
        """The form's values to show again after "Add line": its blank lines, and one more
        (up to what a form takes)."""
        return self.values(blank=min(self.blank + 1, MAX_LINES - len(self.lines)))

    def codes(self) -> list[str]:
        return [line.get("code", "") for line in self.lines]


def given(**fields: Any) -> dict[str, Any]:
    """The fields that were filled in (a blank input is a value not given)."""
    return {name: value for name, value in fields.items() if value not in ("", None, [], {})}


def document_values(
    session: Session,
    actor: Actor,
    model: type[V],
    header: Mapping[str, Any],
    lines: Lines,
    line_values: Callable[[dict[str, str]], dict[str, Any]],
    bins: Mapping[str, str | None] | None = None,
) -> V:
    """The service's values of the form: the header, and each line's values with its item's id
    from its code. ``bins`` names the lines' fields that take a bin by its code (or id), each
    with the location it is a bin of (None: the default warehouse); the bins' ids replace
    them. Unknown codes and the values' own faults are refused together."""
    typed, faults = _with_bin_ids(session, actor, lines, bins or {})
    try:
        ids = item_ids_of(session, actor, codes=lines.codes())
    except Invalid as unknown:
        ids, faults = ["" for _ in typed], faults + list(unknown.errors)
    items = [line_values(line) | {"item_id": ident} for line, ident in zip(typed, ids, strict=True)]
    try:
        values = parse(model, {**header, "items": items})
    except Invalid as refused:
        named = {fault.field for fault in faults}
        raise Invalid.fields(faults + [e for e in refused.errors if e.field not in named]) from None
    if faults:
        raise Invalid.fields(faults)
    return values


def _with_bin_ids(
    session: Session, actor: Actor, lines: Lines, bins: Mapping[str, str | None]
) -> tuple[list[dict[str, str]], list[FieldError]]:
    """The lines with the bins they name by code replaced by the bins' ids, or the faults."""
    typed = [dict(line) for line in lines.lines]
    named = [
        (line, key, NamedBin(f"items.{n}.{key}", location, line[key]))
        for n, line in enumerate(typed)
        for key, location in bins.items()
        if line.get(key)
    ]
    try:
        ids = bin_ids_of(session, actor, named=[each for *_, each in named])
    except Invalid as unknown:
        return typed, list(unknown.errors)
    for (line, key, _), ident in zip(named, ids, strict=True):
        line[key] = ident
    return typed, []


def shown_beside(form: Form, header: Iterable[str], columns: Sequence[Column]) -> Form:
    """The form with each error beside the input that shows it: a line's errors of the fields
    a column shows too (``also``) moved to that column's, and the errors of fields no input
    shows (``items.0``) above the form, each naming its line, so that no refusal goes unseen."""
    shown = set(header)
    for n in range(int(form.value("lines") or 0)):
        for column in columns:
            shown.add(column.error_path(n))
            for other in column.also:
                moved = form.errors.pop(f"items.{n}.{other}", [])
                if moved:
                    form.errors.setdefault(column.error_path(n), []).extend(moved)
    for path in [p for p in form.errors if p not in shown]:
        form.general.extend(f"{_readable(path)}: {message}" for message in form.errors.pop(path))
    return form


def _readable(path: str) -> str:
    """``items.2.batches.0.quantity`` -> ``Line 3, batches.0.quantity``."""
    if path == "items":
        return "Lines"
    found = re.fullmatch(r"items\.(\d+)\.?(.*)", path)
    if found is None:
        return path.replace("_", " ")
    rest = found.group(2).replace("_", " ")
    return f"Line {int(found.group(1)) + 1}" + (f", {rest}" if rest else "")


def form_page(
    request: Request,
    template: str,
    form: Form,
    header: Iterable[str],
    columns: Sequence[Column],
    **context: Any,
) -> Response:
    """A document's form, with a refusal beside its fields (409 or 422)."""
    status = form.status  # before errors of no input move above the form
    shown_beside(form, header, columns)
    return render(request, template, status, form=form, columns=columns, **context)
