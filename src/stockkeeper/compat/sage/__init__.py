"""The Sage Business Cloud Accounting inventory API (``/compat/sage/v3.1``, followed by the
document's paths: ``/stock_items``, ``/products``, ``/services``, ``/stock_movements``,
``/product_sales_price_types``, ``/service_rate_types``): snake_case records with ``$path``
and ``displayed_as``, decimals written as strings, ``$items``/``$total``/``$page``/
``$itemsPerPage``/``$next``/``$back`` lists paged by ``page`` and ``items_per_page``, bodies
wrapped in the resource's name (``{"stock_item": {...}}``), and errors as a list of
``{$severity, $dataCode, $message, $source}``."""

from __future__ import annotations

from fastapi import APIRouter

from stockkeeper.api.deps import ApiRoute
from stockkeeper.compat import Dialect
from stockkeeper.compat.sage.errors import error_shape
from stockkeeper.compat.sage.items import router as items
from stockkeeper.compat.sage.movements import router as movements
from stockkeeper.compat.sage.paging import PREFIX
from stockkeeper.compat.sage.price_types import router as price_types

router = APIRouter(prefix=PREFIX, route_class=ApiRoute)
for part in (items, price_types, movements):
    router.include_router(part)

SAGE = Dialect("sage", PREFIX, router, error_shape)
