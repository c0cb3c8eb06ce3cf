"""The ASGI application: ``create_app(settings)`` builds it; nothing happens at import."""

from __future__ import annotations

import gc
import logging
import os
import signal
import threading
import time
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager

from fastapi import FastAPI
from fastapi_offline import FastAPIOffline

from stockkeeper import __version__
from stockkeeper.accounting.routes import accounts, tax_rates
from stockkeeper.adjustments import routes as adjustments
from stockkeeper.alerts import routes as alerts
from stockkeeper.alerts.service import raising
from stockkeeper.api import audit_events, health, openapi
from stockkeeper.api.deps import locate_created
from stockkeeper.api.edge import AllowedMethods, Cors, RequestEdge
from stockkeeper.api.http import BodyLimitMiddleware
from stockkeeper.api.problems import install_error_handlers
from stockkeeper.api.responses import ExactJSONResponse
from stockkeeper.batches import routes as batches
from stockkeeper.bookkeeping import routes as bookkeeping
from stockkeeper.bookkeeping.service import closing
from stockkeeper.catalog.routes import categories, locations, price_groups, reasons, suppliers
from stockkeeper.catalog.routes import settings as company_settings
from stockkeeper.compat.dialects import DIALECTS
from stockkeeper.core import logs
from stockkeeper.core.db import Database
from stockkeeper.core.settings import SERVE_PID, Settings, load_settings
from stockkeeper.counts import routes as counts
from stockkeeper.imports.routes import exports, imports
from stockkeeper.purchasing import routes as purchasing
from stockkeeper.purchasing.service import slips
from stockkeeper.reports import routes as reports
from stockkeeper.sales import routes as sales
from stockkeeper.stock.routes import items, reservations, stock
from stockkeeper.tenancy import routes as api_keys
from stockkeeper.transfers import routes as transfers
from stockkeeper.web import site as web
from stockkeeper.webhooks import routes as webhooks

# every router of the canonical API, in the order the OpenAPI document lists them
ROUTERS = (
    items,
    stock,
    adjustments,
    counts,
    transfers,
    sales,
    batches,
    imports,
    exports,
    reservations,
    purchasing,
    reports,
    categories,
    reasons,
    price_groups,
    locations,
    suppliers,
    accounts,
    tax_rates,
    company_settings,
    api_keys,
    webhooks,
    alerts,
    bookkeeping,
    audit_events,
)


def create_app(settings: Settings | None = None, database: Database | None = None) -> FastAPI:
    settings = settings or load_settings()
    db = database or Database(settings)
    raising.install()
    closing.install()
    # /docs and /redoc load Swagger UI and Redoc from the package, not from a CDN
    app = FastAPIOffline(
        title="Stockkeeper",
        version=__version__,
        default_response_class=ExactJSONResponse,
        generate_unique_id_function=openapi.operation_id,
        **openapi.APP_OPTIONS,
        lifespan=_lifespan(db, owned=database is None),
    )
    app.state.db = db
    app.state.settings = settings
    install_error_handlers(app)
    _add_middleware(app, settings)
    for module in ROUTERS:
        app.include_router(module.router)
    app.include_router(health.router)
    # the other products' APIs: their own contracts, not part of this OpenAPI document
    for dialect in DIALECTS:
        app.include_router(dialect.router, include_in_schema=False)
    app.state.error_shapes = tuple((d.prefix, d.error_shape) for d in DIALECTS)
    app.include_router(web.router)  # the web UI's pages, last: none shadows an API path
    app.state.page_not_found = web.not_found_page

    locate_created(app.routes)
    openapi.install(app)
    return app


def serve_app() -> FastAPI:
    """The app as ``stockkeeper serve`` runs it in each server process: its logs set up
    first (each process has its own), then the app."""
    settings = load_settings()
    logs.configure(settings)
    if not settings.log_requests:
        logging.getLogger("stockkeeper.requests").setLevel(logging.WARNING)
    _stop_when_orphaned()
    return create_app(settings)


def _stop_when_orphaned() -> None:
    """A server process that ``stockkeeper serve`` started stops when that process is gone
    (killed, say), as the worker beside them does: nothing else would stop it, and it would
    go on answering on the port."""
    parent = int(os.environ.get(SERVE_PID) or 0)
    if parent and parent != os.getpid():  # one of several processes, not serve itself
        threading.Thread(target=_watch, args=(parent,), daemon=True).start()


def _watch(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(1)
    os.kill(os.getpid(), signal.SIGTERM)  # the server shuts down as when serve stops it


def _add_middleware(app: FastAPI, settings: Settings) -> None:
    """From the inside out (each one added wraps the ones before): the body limit; OPTIONS
    and Allow; the request id, nosniff and the 500 of an unhandled error, on every response
    the ones inside answer; CORS outermost, so that a browser can read every response, a 500
    too."""
    app.add_middleware(
        BodyLimitMiddleware,
        max_bytes=settings.max_body_bytes,
        uploads={
            "/packing-slip": slips.UPLOAD_LIMIT,
            "/inventory/batches": batches.BODY_LIMIT,
            "/api/v1/imports": imports.UPLOAD_LIMIT,
        },
    )
    app.add_middleware(AllowedMethods, router=app.router)
    app.add_middleware(RequestEdge)
    if settings.cors_origins:
        app.add_middleware(Cors, origins=settings.cors_origins)


def _lifespan(
    db: Database, *, owned: bool
) -> Callable[[FastAPI], AbstractAsyncContextManager[None]]:
    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        # what is loaded by now lives as long as the process: the collector need not walk it
        # again (a report that builds a few hundred thousand objects ran a third slower)
        gc.freeze()
        yield
        if owned:
            db.dispose()

    return lifespan
