"""The smallbiz inventory and purchasing API (``/compat/smallbiz``, followed by the document's
paths: ``/api/inventory/products``, ``/api/suppliers/orders/{id}``, ...): snake_case fields,
bare arrays, ``page``/``limit`` paging, ``{ok: true}`` answers, integer ids, and errors as
``{"error": "..."}`` with the HTTP status."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from stockkeeper.api.deps import ApiRoute
from stockkeeper.api.problems import Refusal
from stockkeeper.api.responses import ExactJSONResponse
from stockkeeper.compat import Dialect
from stockkeeper.compat.smallbiz import (
    categories,
    orders,
    packing_slips,
    products,
    suppliers,
    transactions,
)

PREFIX = "/compat/smallbiz"
router = APIRouter(prefix=PREFIX, route_class=ApiRoute)
for module in (products, categories, transactions, orders, packing_slips, suppliers):
    router.include_router(module.router)


def error_shape(_request: Request, refusal: Refusal) -> Response:
    return ExactJSONResponse({"error": refusal.detail}, status_code=refusal.kind.status)


SMALLBIZ = Dialect("smallbiz", PREFIX, router, error_shape)
