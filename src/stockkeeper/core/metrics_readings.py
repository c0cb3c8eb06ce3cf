"""What a metrics scrape reads from the database, when it is scraped: the outbox's backlog
and the age of its oldest event, and how long ago a worker last reported.

The readings take one short read-only transaction. A database that cannot be read never
fails the scrape: ``stockkeeper_database_up`` says 0 and the readings are left out, while
what the processes counted is still reported.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from prometheus_client.metrics_core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector
from sqlalchemy import func, select, text

from stockkeeper.core.db import Database
from stockkeeper.core.heartbeat import age_seconds, last_beat
from stockkeeper.core.outbox import OutboxEvent
from stockkeeper.core.types import utcnow

log = logging.getLogger(__name__)

# PostgreSQL: a scrape waits no longer than this for its statements (Prometheus gives up
# after 10 seconds by default)
STATEMENT_TIMEOUT_MS = 3000


@dataclass(frozen=True)
class Readings:
    backlog: int  # outbox events no worker has dispatched yet
    oldest: datetime | None  # when the oldest of them was written
    beat: datetime | None  # when a worker last reported


class DatabaseReadings(Collector):
    def __init__(self, database: Database) -> None:
        self.database = database

    def read(self) -> Readings:
        e = OutboxEvent
        with self.database.unit_of_work(write=False) as session:
            if self.database.dialect == "postgresql":
                session.execute(text(f"SET LOCAL statement_timeout = {STATEMENT_TIMEOUT_MS}"))
            backlog, oldest = session.execute(
                select(func.count(), func.min(e.created_at)).where(e.dispatched.is_(False))
            ).one()
            return Readings(backlog, oldest, last_beat(session))

    def collect(self) -> Iterator[Metric]:
        up = GaugeMetricFamily(
            "stockkeeper_database_up",
            "1 when the scrape could read the database, 0 when it could not (the readings "
            "from the database are then left out).",
        )
        try:
            readings = self.read()
        except Exception as failure:  # reported as the database being down, never raised
            log.warning("metrics: could not read the database: %s", _first_line(failure))
            up.add_metric([], 0)
            yield up
            return
        up.add_metric([], 1)
        yield up
        yield from _gauges(readings)


def _gauges(readings: Readings) -> Iterator[Metric]:
    now = utcnow()
    yield GaugeMetricFamily(
        "stockkeeper_outbox_backlog_events",
        "Events in the outbox that no worker has dispatched to webhook delivery yet.",
        value=readings.backlog,
    )
    yield GaugeMetricFamily(
        "stockkeeper_outbox_oldest_event_age_seconds",
        "How long the oldest event not yet dispatched has waited (0 when none waits).",
        value=age_seconds(readings.oldest, now) or 0,
    )
    beat = age_seconds(readings.beat, now)
    heartbeat = GaugeMetricFamily(
        "stockkeeper_worker_heartbeat_age_seconds",
        "Seconds since a worker last reported (no sample when none ever has).",
    )
    if beat is not None:
        heartbeat.add_metric([], beat)
    yield heartbeat


def _first_line(failure: Exception) -> str:
    cause = getattr(failure, "orig", None) or failure
    lines = str(cause).strip().splitlines()
    return f"{type(cause).__name__}: {lines[0] if lines else ''}"
