"""The home page: a short welcome, and the sections the visitor may open."""

from __future__ import annotations

from fastapi import Request, Response

from stockkeeper.web.auth import Viewer
from stockkeeper.web.pages import page_router, render

router = page_router()


@router.get("/")
def home_page(request: Request, visit: Viewer) -> Response:
    return render(request, "home.html")
