"""The worker face: ``python -m stockkeeper.worker`` (or ``stockkeeper worker``). Until it is
stopped (SIGINT or SIGTERM), it delivers webhooks from the outbox, runs the alerts' scheduled
check and sends their emails, runs the import jobs (resuming interrupted ones), deletes the
sign-in tries, web sessions and one-time links that can no longer be used, and on a
PostgreSQL server without autovacuum analyzes the tables that changed. With ``--parent PID``
it also stops when that process is gone (the server that started it)."""

from __future__ import annotations

import argparse
import logging
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.exc import DBAPIError

from stockkeeper.alerts.service import raising
from stockkeeper.alerts.service.checks import check_alerts, needs_check
from stockkeeper.alerts.service.mail import Mailer
from stockkeeper.core import logs, metrics
from stockkeeper.core.db import Database
from stockkeeper.core.errors import Busy
from stockkeeper.core.heartbeat import Heartbeat
from stockkeeper.core.locks import is_busy
from stockkeeper.core.settings import Settings, load_settings
from stockkeeper.core.statistics import PlannerStatistics
from stockkeeper.imports.service.jobs import pending_imports
from stockkeeper.imports.service.runner import run_import
from stockkeeper.people.service.housekeeping import purge_expired
from stockkeeper.stock.service.reservations import companies_with_expiry, expire_reservations
from stockkeeper.tenancy.models import Company
from stockkeeper.tenancy.service import Actor
from stockkeeper.webhooks.service.delivery import Worker

log = logging.getLogger("stockkeeper")


@contextmanager
def busy_skips(company_id: str) -> Iterator[None]:
    """A company whose rows are busy is left for the next round; the others go on."""
    try:
        yield
    except (Busy, DBAPIError) as error:
        if isinstance(error, DBAPIError) and not is_busy(error):
            raise
        log.warning("worker: company %s is busy; it waits for the next round", company_id)


class AlertCheck:
    """The alerts' scheduled check, at start and then every ``alert_check_seconds``: each
    company in a transaction of its own, acting as the company's system actor ``worker``;
    a stop asked for ends the round between companies."""

    def __init__(
        self, database: Database, settings: Settings, stop: threading.Event | None = None
    ) -> None:
        self.database = database
        self.settings = settings
        self.stop = stop or threading.Event()
        self._next = 0.0

    def round(self) -> int:
        if time.monotonic() < self._next:
            return 0
        self._next = time.monotonic() + self.settings.alert_check_seconds
        return self.run()

    def run(self) -> int:
        """How many alerts changed."""
        with self.database.unit_of_work(write=False) as session:
            companies = list(session.scalars(select(Company.id).order_by(Company.id)))
        changed = 0
        for company_id in companies:
            if self.stop.is_set():
                break
            with busy_skips(company_id):
                changed += self._check(company_id)
        return changed

    def _check(self, company_id: str) -> int:
        days = self.settings.expiry_warning_days
        # most checks find nothing: asked in a read, which holds up no posting
        with self.database.unit_of_work(write=False) as session:
            if not needs_check(session, company_id, warning_days=days):
                return 0
        with self.database.unit_of_work() as session:
            actor = Actor.system(company_id, "worker")
            return len(check_alerts(session, actor, warning_days=days))


class ReservationExpiry:
    """Expires reservations past due every ``reservation_expiry_seconds``, so that expiry is
    announced (and audited) when nothing is posted at their location; as ``worker``."""

    def __init__(self, database: Database, settings: Settings, stop: threading.Event) -> None:
        self.database = database
        self.seconds = settings.reservation_expiry_seconds
        self.stop = stop
        self._next = 0.0

    def round(self) -> int:
        if time.monotonic() < self._next:
            return 0
        self._next = time.monotonic() + self.seconds
        with self.database.unit_of_work(write=False) as session:
            companies = companies_with_expiry(session)
        expired = 0
        for company_id in companies:
            if self.stop.is_set():
                break
            with busy_skips(company_id), self.database.unit_of_work() as session:
                expired += expire_reservations(session, Actor.system(company_id, "worker"))
        return expired


class SignInHousekeeping:
    """Deletes the sign-in tries, web sessions and one-time links that can no longer be used,
    every ``seconds`` (an hour), in a transaction of its own."""

    def __init__(self, database: Database, settings: Settings, seconds: float = 3600) -> None:
        self.database = database
        self.idle = timedelta(hours=settings.session_idle_hours)
        self.lifetime = timedelta(hours=settings.session_lifetime_hours)
        self.seconds = seconds
        self._next = 0.0

    def round(self) -> int:
        if time.monotonic() < self._next:
            return 0
        self._next = time.monotonic() + self.seconds
        with self.database.unit_of_work() as session:
            purged = purge_expired(session, idle=self.idle, lifetime=self.lifetime)
        return purged.attempts + purged.sessions + purged.links


class ImportJobs:
    """Runs the import jobs not finished, oldest first: new ones, and those a stop or a crash
    interrupted, which go on after their last committed chunk. A round spends at most
    ``seconds`` on them, so that webhooks and alerts keep their pace beside a long import."""

    def __init__(self, database: Database, stop: threading.Event, seconds: float = 2.0) -> None:
        self.database = database
        self.stop = stop
        self.seconds = seconds

    def round(self) -> int:
        """How many jobs it worked on."""
        with self.database.unit_of_work(write=False) as session:
            pending = pending_imports(session)
        deadline = time.monotonic() + self.seconds
        worked = 0
        for company_id, import_id in pending:
            if self.stop.is_set() or time.monotonic() >= deadline:
                break
            worked += 1
            try:
                with busy_skips(company_id):
                    run_import(self.database, company_id, import_id, until=self._until(deadline))
            except Exception:  # a job that fails this round is tried again the next
                log.exception("worker: import %s stopped", import_id)
        return worked

    def _until(self, deadline: float) -> Callable[[], bool]:
        return lambda: self.stop.is_set() or time.monotonic() >= deadline


def run(stop: threading.Event, *, own_metrics: bool = False) -> None:
    """Rounds until ``stop``; ``own_metrics``: a worker on its own (not beside a server, which
    serves what its worker counts) serves its metrics on the metrics port, when one is set."""
    settings = load_settings()
    if own_metrics:
        metrics.setup_multiprocess(settings)
    database = Database(settings)
    scraped = metrics.start_metrics_server(settings, database) if own_metrics else None
    upkeep = [
        Heartbeat(database).round,
        AlertCheck(database, settings, stop).round,
        ReservationExpiry(database, settings, stop).round,
        SignInHousekeeping(database, settings).round,
        ImportJobs(database, stop).round,
        Mailer(database, settings).round,
        PlannerStatistics(database).round,
    ]
    worker = Worker(database, settings, tasks=upkeep)
    try:
        worker.run(stop)
    finally:
        worker.close()
        if scraped is not None:
            scraped.shutdown()
        database.dispose()


def _stop_without(parent: int, stop: threading.Event) -> None:
    while not stop.wait(1):
        if os.getppid() != parent:
            stop.set()


def main(argv: Sequence[str] | None = None) -> int:
    raising.install()  # a face installs the ledger's hooks before it posts (decision 0014)
    logs.configure(load_settings())
    parser = argparse.ArgumentParser(prog="stockkeeper worker", description=__doc__)
    parser.add_argument("--parent", type=int, help=argparse.SUPPRESS)
    options = parser.parse_args(argv)
    stop = threading.Event()
    for name in (signal.SIGINT, signal.SIGTERM):
        signal.signal(name, lambda *_: stop.set())
    if options.parent is not None:
        threading.Thread(target=_stop_without, args=(options.parent, stop), daemon=True).start()
    print("worker: delivering webhooks, checking alerts, sending alert emails", file=sys.stderr)
    run(stop, own_metrics=options.parent is None)
    return 0


if __name__ == "__main__":
    sys.exit(main())
