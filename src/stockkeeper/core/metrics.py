"""Prometheus metrics, correct across processes: the API's server processes (``--workers N``)
and the worker each write their counts to files in one directory, and the process that
serves ``/metrics`` adds them up when scraped (prometheus_client's multiprocess mode).

The parent process calls ``setup_multiprocess`` before it starts any child, so that every
child inherits ``PROMETHEUS_MULTIPROC_DIR``; it then serves the metrics with
``start_metrics_server`` (off unless ``STOCKKEEPER_METRICS_PORT`` is set). Besides what the
processes count, a scrape reads a few figures from the database (``metrics_readings.py``).

Counts of what a transaction did (documents and movements posted, webhook deliveries
recorded) wait with the session and are added when it commits, so work that rolled back is
never counted. Nothing is written anywhere until the first count: importing this module
costs nothing but the import.
"""

from __future__ import annotations

import atexit
import glob
import logging
import os
import shutil
import tempfile
import threading
import weakref
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING
from wsgiref.simple_server import WSGIServer

from prometheus_client import (
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    start_http_server,
    values,
)
from prometheus_client.metrics_core import Metric
from prometheus_client.multiprocess import MultiProcessCollector, mark_process_dead
from sqlalchemy import Engine, event
from sqlalchemy.orm import Session, SessionTransaction
from sqlalchemy.pool import Pool, QueuePool

from stockkeeper.core.settings import Settings

if TYPE_CHECKING:
    from stockkeeper.core.db import Database

log = logging.getLogger(__name__)

DIRECTORY = "PROMETHEUS_MULTIPROC_DIR"  # the variable prometheus_client reads


class _Series:
    """Every metric a process writes, built for one directory (or none: kept in memory)."""

    def __init__(self, directory: str | None) -> None:
        self.directory = directory
        # prometheus_client picks how values are kept (in memory or in this directory's
        # files) when its module is imported; picked afresh, the metrics below follow the
        # directory even when the module was imported before it was set
        values.ValueClass = values.get_value_class()  # type: ignore[no-untyped-call]
        self.requests = Histogram(
            "stockkeeper_http_request_duration_seconds",
            "How long the API took to answer a request, by method, route template and status "
            "class (2xx, 4xx, 5xx).",
            ["method", "route", "status"],
            registry=None,
        )
        self.documents = _counter(
            "documents_posted",
            "Postings of documents to the ledger, by kind (a transfer posts when it ships and "
            "again when it arrives; a reversal is a posting too).",
            "kind",
        )
        self.movements = _counter("movements_posted", "Movements written to the ledger.")
        self.deliveries = _counter(
            "webhook_deliveries",
            "Webhook delivery attempts recorded, by the delivery's outcome: succeeded, retried "
            "(it will be tried again) or failed (given up, or its subscription was switched off).",
            "outcome",
        )
        self.emails = _counter(
            "alert_emails",
            "Alert emails the worker tried to send, by outcome: sent, or failed (tried again "
            "later until its attempts run out).",
            "outcome",
        )
        self.busy = _counter(
            "busy_refusals",
            "Work refused as busy (HTTP 503 busy, exit code 75): a wait for a database lock ran "
            "out or would have deadlocked (lock), or a SQLite writer waited its whole busy "
            "timeout for its turn (sqlite_writer).",
            "cause",
        )
        self.checked_out = _live_sum(
            "db_pool_checked_out",
            "Database connections in use, summed over the pools of the live processes.",
        )
        self.pool_size = _live_sum(
            "db_pool_size",
            "Database connections the pools of the live processes keep open (each may "
            "overflow by as many again).",
        )


def _counter(name: str, help_text: str, *labels: str) -> Counter:
    return Counter(f"stockkeeper_{name}", help_text, labels, registry=None)


def _live_sum(name: str, help_text: str) -> Gauge:
    """A gauge each process sets for itself, summed over the processes still alive."""
    return Gauge(f"stockkeeper_{name}", help_text, registry=None, multiprocess_mode="livesum")


_series_lock = threading.Lock()
_current: _Series | None = None


def _series() -> _Series:
    """The metrics, built again if the directory changed (set up after they were first used,
    or by a test)."""
    global _current
    directory = os.environ.get(DIRECTORY)
    current = _current
    if current is not None and current.directory == directory:
        return current
    with _series_lock:
        if _current is None or _current.directory != directory:
            _current = _Series(directory)
        return _current


# --- setting up and serving -----------------------------------------------------------------


def setup_multiprocess(settings: Settings) -> Path | None:
    """Gives the processes about to start a directory for their counts, when metrics are on.

    Call it in the parent before it starts children: they inherit the directory through the
    environment. A new temporary directory is made (so it starts empty) and removed when the
    parent exits; a ``PROMETHEUS_MULTIPROC_DIR`` already set (by a parent that set it up, or
    by an operator, who then empties it before each start) is used as it is."""
    if settings.metrics_port is None:
        return None
    given = os.environ.get(DIRECTORY)
    if given:
        Path(given).mkdir(parents=True, exist_ok=True)
        return Path(given)
    directory = Path(tempfile.mkdtemp(prefix="stockkeeper-metrics-"))
    os.environ[DIRECTORY] = str(directory)
    atexit.register(_remove, directory, os.getpid())
    return directory


def _remove(directory: Path, owner: int) -> None:
    if os.getpid() == owner:  # not a forked child leaving before its parent
        shutil.rmtree(directory, ignore_errors=True)


def start_metrics_server(settings: Settings, database: Database) -> WSGIServer | None:
    """Serves ``/metrics`` on ``metrics_host:metrics_port`` from a daemon thread, when
    metrics are on; the server, to shut down, or None."""
    if settings.metrics_port is None:
        return None
    setup_multiprocess(settings)
    server, _thread = start_http_server(
        settings.metrics_port, settings.metrics_host, metrics_registry(database)
    )
    log.info("metrics on http://%s:%s/metrics", settings.metrics_host, settings.metrics_port)
    return server


def metrics_registry(database: Database) -> CollectorRegistry:
    """What a scrape reports: every process's counts, and the database's readings."""
    # imported here: the readings query tables whose modules import this one (core.db)
    from stockkeeper.core.metrics_readings import DatabaseReadings

    directory = os.environ.get(DIRECTORY)
    if not directory:
        raise RuntimeError(f"metrics need {DIRECTORY}: call setup_multiprocess first")
    registry = CollectorRegistry()
    registry.register(_LiveProcesses(directory))
    registry.register(DatabaseReadings(database))
    return registry


class _LiveProcesses(MultiProcessCollector):
    """The counts of every process; the gauges only of those still alive. A server process
    that died (or was replaced) cannot say so itself, so each scrape looks."""

    def __init__(self, directory: str) -> None:
        super().__init__(None, directory)  # type: ignore[no-untyped-call]
        self.directory = directory

    def collect(self) -> Iterator[Metric]:
        for path in glob.glob(os.path.join(self.directory, "gauge_live*_*.db")):
            pid = int(Path(path).stem.rsplit("_", 1)[1])
            if not _alive(pid):
                mark_process_dead(pid, self.directory)  # type: ignore[no-untyped-call]
        metrics: Iterable[Metric] = super().collect()  # type: ignore[no-untyped-call]
        yield from metrics


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, under another user
        return True
    return True


# --- what the processes count ---------------------------------------------------------------


def observe_request(method: str, route: str, status: int, seconds: float) -> None:
    """One request the API answered: its route template (``/api/v1/items/{item_id}``, never
    the path itself, so that the series stay few)."""
    _series().requests.labels(method, route, f"{status // 100}xx").observe(seconds)


def posted(session: Session, kind: str, movements: int) -> None:
    """A document of ``kind`` posted ``movements`` movements, counted when ``session``
    commits."""
    _count_on_commit(session, ("document", kind), 1)
    _count_on_commit(session, ("movements", ""), movements)


def webhook_deliveries(session: Session, outcomes: Iterable[str]) -> None:
    """Deliveries recorded with these statuses (``pending`` is a retry), counted when
    ``session`` commits."""
    for outcome in outcomes:
        _count_on_commit(session, ("delivery", "retried" if outcome == "pending" else outcome), 1)


def email_sent() -> None:
    _series().emails.labels("sent").inc()


def email_failed() -> None:
    _series().emails.labels("failed").inc()


def busy_refused(cause: str) -> None:
    """Work refused as busy: ``lock`` or ``sqlite_writer``."""
    _series().busy.labels(cause).inc()


# --- counted when the transaction commits ---------------------------------------------------

_PENDING = "stockkeeper.metrics"  # the session.info key of the counts waiting for the commit


def _count_on_commit(session: Session, key: tuple[str, str], amount: int) -> None:
    pending: dict[tuple[str, str], int] = session.info.setdefault(_PENDING, {})
    pending[key] = pending.get(key, 0) + amount


@event.listens_for(Session, "after_commit")
def _committed(session: Session) -> None:
    if session.in_nested_transaction():  # a savepoint released: the transaction goes on
        return
    pending: dict[tuple[str, str], int] | None = session.info.pop(_PENDING, None)
    if not pending:
        return
    series = _series()
    for (what, label), amount in pending.items():
        if what == "document":
            series.documents.labels(label).inc(amount)
        elif what == "movements":
            series.movements.inc(amount)
        else:
            series.deliveries.labels(label).inc(amount)


@event.listens_for(Session, "after_transaction_end")
def _ended(session: Session, transaction: SessionTransaction) -> None:
    """Forgets what a transaction that did not commit counted (a savepoint's end keeps the
    counts: nothing counted happens inside one)."""
    if transaction.parent is None and not transaction.nested:
        session.info.pop(_PENDING, None)


# --- the connection pools -------------------------------------------------------------------


class _PoolUse:
    """One pool of this process: its size, and how many of its connections are taken."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.in_use = 0


_watched: weakref.WeakSet[Pool] = weakref.WeakSet()
# held by the pools' listeners only: an engine that is gone stops counting
_uses: weakref.WeakSet[_PoolUse] = weakref.WeakSet()
_uses_lock = threading.Lock()


def watch_pool(engine: Engine) -> None:
    """Keeps this process's pool gauges up to date as connections are taken and given back
    (a pool's use is known only in its own process, so each process reports its own)."""
    pool = engine.pool
    if not isinstance(pool, QueuePool) or pool in _watched:
        return
    _watched.add(pool)
    use = _PoolUse(pool.size())
    _uses.add(use)
    # counted by the events rather than read from the pool: a checkin fires before the
    # connection is back, so the pool's own figure would still count it
    event.listen(pool, "checkout", lambda *_: _pool_changed(use, 1))
    event.listen(pool, "checkin", lambda *_: _pool_changed(use, -1))


def _pool_changed(use: _PoolUse, step: int) -> None:
    series = _series()
    with _uses_lock:  # the gauges written in the order the changes came
        use.in_use = max(0, use.in_use + step)
        series.checked_out.set(sum(u.in_use for u in _uses))
        series.pool_size.set(sum(u.size for u in _uses))
