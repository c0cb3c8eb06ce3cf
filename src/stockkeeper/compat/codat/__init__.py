"""The Codat accounting API (``/compat/codat``, followed by Codat's paths:
``/companies/{companyId}/data/items``, ``/taxRates``, ``/accounts``, each also by id):
camelCase records in Codat's models, lists of ``{results, pageNumber, pageSize,
totalResults, _links}`` paged by ``page`` and ``pageSize`` and filtered by Codat's ``query``
language, and errors as ``{statusCode, service, error, correlationId, validation, ...}``.
The company is the one the path names (Stockkeeper's company id), the key the canonical
``Authorization: Bearer``."""

from __future__ import annotations

from fastapi import APIRouter

from stockkeeper.compat import Dialect
from stockkeeper.compat.codat.accounting import router as accounting
from stockkeeper.compat.codat.errors import error_shape
from stockkeeper.compat.codat.items import router as items
from stockkeeper.compat.codat.routing import PREFIX, CodatRoute

router = APIRouter(prefix=PREFIX, route_class=CodatRoute)
for part in (items, accounting):
    router.include_router(part)

CODAT = Dialect("codat", PREFIX, router, error_shape)
