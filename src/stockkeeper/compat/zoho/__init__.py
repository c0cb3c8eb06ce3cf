"""The Zoho Inventory adjustments API (``/compat/zoho/inventory/v1``): Zoho's paths, names,
envelopes (``{code, message, ...}``), numbered pages and error bodies over the adjustment use
cases. Its routes are in ``adjustments.py``, its error shape in ``errors.py``."""

from __future__ import annotations

from fastapi import APIRouter

from stockkeeper.api.deps import ApiRoute
from stockkeeper.compat import Dialect
from stockkeeper.compat.zoho.errors import error_shape

PREFIX = "/compat/zoho/inventory/v1"
router = APIRouter(prefix=PREFIX, route_class=ApiRoute)

from stockkeeper.compat.zoho import adjustments  # noqa: E402, F401  (its routes, on the router)

ZOHO = Dialect("zoho", PREFIX, router, error_shape)
