"""Errors as Zoho writes them: ``{code, message}``, ``code`` a non-zero integer, with the HTTP
status of the refusal's kind. Each canonical error code (or family of codes) has one stable
number, listed in ``CODES`` and in the README; the field paths in the message are spelled with
Zoho's names (``line_items.0.quantity_adjusted``), not the domain's."""

from __future__ import annotations

import re

from fastapi import Request, Response

from stockkeeper.api.problems import Refusal
from stockkeeper.api.responses import ExactJSONResponse
from stockkeeper.core.errors import Kind

# canonical code -> Zoho's number; 5 and 1002 are Zoho's own ("Invalid URL Passed", "does not
# exist"), the stock errors have numbers of their own
CODES: dict[str, int] = {
    "route_not_found": 5,
    "method_not_allowed": 37,
    "malformed_json": 2,
    "duplicate_json_key": 2,
    "nul_character": 2,
    "validation_failed": 4,
    "illegal_transition": 1041,
    "insufficient_stock": 2301,
    "item_cannot_move": 2302,
    "invalid_lots": 2303,
    "serial_in_stock": 2304,
    "serial_not_in_stock": 2305,
    "nothing_to_revalue": 2306,
    "value_below_zero": 2307,
    "period_locked": 2308,
    "future_date": 2309,
}
# families: a code that ends or starts so; then each kind's own number
FAMILIES: tuple[tuple[re.Pattern[str], int], ...] = (
    (re.compile(r".+_not_found"), 1002),
    (re.compile(r"unknown_.+"), 1003),
    (re.compile(r"duplicate_.+"), 1001),
    (re.compile(r".*idempotency_.+"), 1042),
)
BY_KIND: dict[Kind, int] = {
    Kind.INVALID: 4,
    Kind.BAD_REQUEST: 2,
    Kind.UNAUTHORIZED: 14,
    Kind.FORBIDDEN: 57,
    Kind.NOT_FOUND: 1002,
    Kind.METHOD_NOT_ALLOWED: 37,
    Kind.CONFLICT: 1040,
    Kind.TOO_LARGE: 1,
    Kind.UNSUPPORTED_MEDIA_TYPE: 1,
    Kind.BUSY: 1000,
}

# the domain's names of an adjustment's fields, as Zoho names them
_NAMES = {
    "items": "line_items",
    "adjustment_quantity": "quantity_adjusted",
    "notes": "description",
    "reference": "reference_number",
    "account_id": "adjustment_account_id",
    "bins": "storages",
    "bin_id": "storage_id",
    "unit_cost": "item_total",  # a line's cost is sent as its total
}


def zoho_code(code: str, kind: Kind) -> int:
    """The number Zoho's body carries for a canonical error code."""
    if code in CODES:
        return CODES[code]
    for pattern, number in FAMILIES:
        if pattern.fullmatch(code):
            return number
    return BY_KIND[kind]


def zoho_path(field: str) -> str:
    """``items.0.adjustment_quantity`` -> ``line_items.0.quantity_adjusted``."""
    return ".".join(_NAMES.get(part, part) for part in field.split("."))


def error_shape(_request: Request, refusal: Refusal) -> Response:
    code = refusal.code
    if refusal.errors and all(e.code == "unknown_reference" for e in refusal.errors):
        code = "unknown_reference"  # records that do not exist, whichever refusal gathered them
    body = {"code": zoho_code(code, refusal.kind), "message": message(refusal)}
    return ExactJSONResponse(body, status_code=refusal.kind.status)


def message(refusal: Refusal) -> str:
    """The refusal's detail with the fields it names in Zoho's names; a detail that names
    none of its fields gives way to the fields and their messages (Zoho's body has no list
    of fields, so the message names them)."""
    fields = {error.field for error in refusal.errors}
    found = [field for field in fields if _whole(field).search(refusal.detail)]
    if fields and not found:
        return "; ".join(f"{zoho_path(e.field)}: {e.message}" for e in refusal.errors)
    text = refusal.detail
    for field in found:
        text = _whole(field).sub(zoho_path(field), text)
    return text


def _whole(field: str) -> re.Pattern[str]:
    """The field's path, not a part of a longer one."""
    return re.compile(rf"(?<![\w.]){re.escape(field)}(?![\w.])")
