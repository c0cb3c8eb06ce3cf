"""The web UI's router: every page module's pages, and the static files. The app includes
it last, so that no page can shadow an API path."""

from __future__ import annotations

import re
from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import FileResponse, Response

from stockkeeper.web import (
    alert_rules,
    alerts,
    api_keys,
    company_settings,
    home,
    item_forms,
    items,
    members,
    movements,
    passwords,
    reports,
    signing_in,
    stock,
)
from stockkeeper.web.documents import (
    adjustments,
    count_scans,
    counts,
    index,
    issues,
    purchase_orders,
    reservations,
    returns,
    transfers,
)
from stockkeeper.web.pages import not_found_page

# every module of pages (each registers its own navigation); a fixed path before a module
# whose path takes an id there (/items/new before /items/{item_id})
PAGES = (
    signing_in,
    passwords,
    home,
    members,
    item_forms,
    items,
    stock,
    movements,
    company_settings,
    api_keys,
    index,
    adjustments,
    transfers,
    purchase_orders,
    issues,
    returns,
    reservations,
    count_scans,
    counts,
    reports,
    alerts,
    alert_rules,
)

__all__ = ["PAGES", "not_found_page", "router"]

STATIC = Path(__file__).parent / "static"
_ASSET = re.compile(r"[a-z0-9][a-z0-9_-]*\.(css|svg|png|ico|js)")
# scripts are named for what they are, whatever the system's table of types says
_TYPES = {"js": "text/javascript; charset=utf-8"}

router = APIRouter(include_in_schema=False)
for module in PAGES:
    router.include_router(module.router)


def static_file(name: str) -> Response:
    """One of the UI's own files (named plainly: no path leads out of ``web/static``)."""
    path = STATIC / name
    if not _ASSET.fullmatch(name) or not path.is_file():
        return Response("not found", status_code=404, media_type="text/plain")
    return FileResponse(
        path,
        media_type=_TYPES.get(path.suffix[1:]),
        headers={"Cache-Control": "public, max-age=3600"},
    )


router.add_api_route("/static/{name}", static_file, methods=["GET"])
