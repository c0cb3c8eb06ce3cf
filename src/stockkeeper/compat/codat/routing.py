"""Codat's base URL and its route class: the company a request acts for is the one its path
names (``/companies/{companyId}/...``), as a Codat client sends no ``X-Company-Id``."""

from __future__ import annotations

from stockkeeper.api.deps import ApiRoute

PREFIX = "/compat/codat"


class CodatRoute(ApiRoute):
    """The canonical unit of work, the company read from the path's ``companyId``."""

    company_parameter = "companyId"
