"""The documents' index: the header's one link to every kind of document (adjustments,
transfers, purchase orders, issues, returns, reservations, and any registered later in the
``/documents`` group), which keeps the header short enough for a phone."""

from __future__ import annotations

from fastapi import Request, Response

from stockkeeper.web import nav
from stockkeeper.web.auth import Viewer
from stockkeeper.web.pages import page_router, render

router = page_router()
nav.register("Documents", "/documents", order=40)


@router.get("/documents")
def documents_page(request: Request, visit: Viewer) -> Response:
    kinds = nav.grouped("/documents", visit.actor.role)
    return render(request, "documents/index.html", kinds=kinds)
