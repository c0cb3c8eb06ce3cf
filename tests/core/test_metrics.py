"""Prometheus metrics: what a scrape reports after real work (over HTTP, from the server
``start_metrics_server`` starts), counts that wait for the commit, the database's readings,
several processes counting into one directory, and busy refusals."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import delete, func, select, text

from stockkeeper.core import clock, metrics
from stockkeeper.core.db import Database
from stockkeeper.core.errors import Busy
from stockkeeper.core.heartbeat import Heartbeat, WorkerHeartbeat
from stockkeeper.core.locks import busy
from stockkeeper.core.metrics_readings import DatabaseReadings
from stockkeeper.core.outbox import OutboxEvent
from stockkeeper.core.settings import Settings
from stockkeeper.stock.models import Movement
from stockkeeper.webhooks.service.delivery import Worker
from tests.scraping import count_into, parse, samples, scrape
from tests.support import Api
from tests.webhooks.receiver import receiving

ADJUSTMENTS = "/api/v1/inventory/adjustments"
REQUESTS = "stockkeeper_http_request_duration_seconds"
PROBE = "/api/v1/probes"  # a route of this test's own, timed by hand


@pytest.fixture
def counting(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    return count_into(monkeypatch, tmp_path)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _served(settings: Settings, database: Database) -> str:
    """One scrape of the metrics server, started and stopped around it."""
    port = _free_port()
    server = metrics.start_metrics_server(
        settings.model_copy(update={"metrics_port": port}), database
    )
    assert server is not None
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=10) as answer:
            body: str = answer.read().decode()
            return body
    finally:
        server.shutdown()
        server.server_close()


def _undispatched(database: Database) -> int:
    e = OutboxEvent
    with database.unit_of_work(write=False) as session:
        return session.scalar(select(func.count()).where(e.dispatched.is_(False))) or 0


def test_a_scrape_reports_postings_requests_and_the_outbox_backlog(
    api: Api, database: Database, settings: Settings, counting: Path
) -> None:
    location = api.location()["id"]
    first, second = api.item()["id"], api.item()["id"]
    adjustment = api.adjust(location, (first, 2, 1), (second, 3, 1))
    metrics.observe_request("POST", PROBE, 201, 0.02)
    metrics.observe_request("GET", f"{PROBE}/{{probe_id}}", 404, 0.001)
    with database.unit_of_work(write=False) as session:
        moved = session.scalar(select(func.count()).where(Movement.document_id == adjustment["id"]))
    backlog = _undispatched(database)
    body = _served(settings, database)
    found = parse(body)
    assert moved == 2
    assert found["stockkeeper_movements_posted_total"] == moved
    assert found['stockkeeper_documents_posted_total{kind="adjustment"}'] == 1
    served = f'method="POST",route="{ADJUSTMENTS}",status="2xx"'
    assert found[f"{REQUESTS}_count{{{served}}}"] == 1  # the HTTP face counted the real one
    posted = f'method="POST",route="{PROBE}",status="2xx"'
    assert found[f"{REQUESTS}_count{{{posted}}}"] == 1
    assert found[f'{REQUESTS}_bucket{{le="0.025",{posted}}}'] == 1
    assert found[f'{REQUESTS}_bucket{{le="0.01",{posted}}}'] == 0
    missing = f'method="GET",route="{PROBE}/{{probe_id}}",status="4xx"'
    assert found[f"{REQUESTS}_count{{{missing}}}"] == 1
    assert backlog > 0  # the adjustment announced itself
    assert found["stockkeeper_outbox_backlog_events"] == backlog
    assert found["stockkeeper_outbox_oldest_event_age_seconds"] >= 0
    assert found["stockkeeper_database_up"] == 1
    assert "# HELP stockkeeper_movements_posted_total Movements written to the ledger." in body


def _posting_that_fails(database: Database) -> None:
    with database.unit_of_work() as session:
        session.execute(text("SELECT 1"))
        metrics.posted(session, "transfer", 3)
        raise RuntimeError("rolled back")


def test_what_a_transaction_counts_is_added_only_when_it_commits(
    database: Database, counting: Path
) -> None:
    with pytest.raises(RuntimeError):
        _posting_that_fails(database)
    with database.unit_of_work() as session:
        session.execute(text("SELECT 1"))
        metrics.posted(session, "transfer", 2)
        metrics.webhook_deliveries(session, ["succeeded", "pending", "pending", "failed"])
        assert scrape(database).get("stockkeeper_movements_posted_total", 0) == 0  # not yet
    found = scrape(database)
    assert found["stockkeeper_movements_posted_total"] == 2
    assert found['stockkeeper_documents_posted_total{kind="transfer"}'] == 1
    deliveries = {
        outcome: found[f'stockkeeper_webhook_deliveries_total{{outcome="{outcome}"}}']
        for outcome in ("succeeded", "retried", "failed")
    }
    assert deliveries == {"succeeded": 1, "retried": 2, "failed": 1}


@pytest.fixture
def worker(database: Database, settings: Settings) -> Iterator[Worker]:
    quick = settings.model_copy(update={"webhook_retry_schedule": [0] * 7})
    found = Worker(database, quick)
    yield found
    found.close()


def _until(worker: Worker, done: Callable[[], bool]) -> None:
    deadline = time.monotonic() + 20
    while not done():
        assert time.monotonic() < deadline, "the worker did not get there in time"
        if not worker.round():
            time.sleep(0.02)


def test_webhook_deliveries_are_counted_by_outcome(
    api: Api, database: Database, worker: Worker, counting: Path
) -> None:
    def delivered() -> bool:
        found = api.data(api.get(f"/api/v1/webhooks/{hook['id']}/deliveries"))
        return bool(found) and found[0]["status"] == "succeeded"

    with receiving(answers=[500]) as receiver:
        hook = api.data(
            api.post("/api/v1/webhooks", {"url": receiver.url, "events": ["item.created"]}), 201
        )
        api.item()
        _until(worker, delivered)
    found = scrape(database)
    assert found['stockkeeper_webhook_deliveries_total{outcome="succeeded"}'] == 1
    assert found['stockkeeper_webhook_deliveries_total{outcome="retried"}'] >= 1


def _forget_heartbeats(database: Database) -> None:
    with database.unit_of_work() as session:
        session.execute(delete(WorkerHeartbeat))


def test_the_heartbeat_age_is_how_long_ago_a_worker_last_reported(
    database: Database, counting: Path
) -> None:
    _forget_heartbeats(database)
    try:
        never = scrape(database)
        Heartbeat(database).round()
        with clock.moved(timedelta(minutes=5)):
            age = scrape(database)["stockkeeper_worker_heartbeat_age_seconds"]
    finally:
        _forget_heartbeats(database)
    assert "stockkeeper_worker_heartbeat_age_seconds" not in never
    assert never["stockkeeper_database_up"] == 1
    assert 300 <= age < 3600


def test_a_database_that_cannot_be_read_leaves_the_rest_of_the_scrape(
    counting: Path, caplog: pytest.LogCaptureFixture
) -> None:
    down = Database(
        Settings(environment="test", database_url="postgresql+psycopg://127.0.0.1:9/nothing")
    )
    metrics.email_sent()
    try:
        found = samples(DatabaseReadings(down).collect())
        everything = scrape(down)
    finally:
        down.dispose()
    assert found == {"stockkeeper_database_up": 0}
    assert everything['stockkeeper_alert_emails_total{outcome="sent"}'] == 1
    assert "could not read the database: OperationalError" in caplog.text


CHILD = """
import sys
from stockkeeper.core import metrics
from stockkeeper.core.db import Database
from stockkeeper.core.settings import Settings

metrics.observe_request("GET", "/api/v1/items", 200, 0.05)
metrics.email_sent()
database = Database(Settings(environment="test", database_url=sys.argv[1]))
with database.engine.connect():
    print("holding a connection", flush=True)
    sys.stdin.readline()
"""


def test_the_counts_of_several_processes_add_up_and_the_gone_ones_hold_no_connections(
    counting: Path, tmp_path: Path
) -> None:
    url = f"sqlite:///{tmp_path / 'shared.db'}"
    children = [
        subprocess.Popen(
            [sys.executable, "-c", CHILD, url],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    reader = Database(Settings(environment="test", database_url=url))  # nothing migrated
    try:
        for child in children:
            assert child.stdout is not None
            assert child.stdout.readline().strip() == "holding a connection"
        while_alive = scrape(reader)
        for child in children:
            child.communicate("\n", timeout=30)
        after = scrape(reader)
    finally:
        for child in children:
            child.kill()
        reader.dispose()
    route = 'method="GET",route="/api/v1/items",status="2xx"'
    for found in (while_alive, after):
        assert found[f"{REQUESTS}_count{{{route}}}"] == 2
        assert found['stockkeeper_alert_emails_total{outcome="sent"}'] == 2
        assert found["stockkeeper_database_up"] == 0  # the tables are not there
    assert while_alive["stockkeeper_db_pool_checked_out"] == 2
    assert while_alive["stockkeeper_db_pool_size"] >= 20
    assert after["stockkeeper_db_pool_checked_out"] == 0


def test_busy_refusals_are_counted_by_cause(tmp_path: Path, counting: Path) -> None:
    url = f"sqlite:///{tmp_path / 'busy.db'}"
    database = Database(Settings(environment="test", database_url=url, sqlite_busy_timeout_ms=20))
    try:
        with database.unit_of_work() as holding:
            holding.execute(text("SELECT 1"))  # takes the writers' turn
            with pytest.raises(Busy), database.unit_of_work() as waiting:
                waiting.execute(text("SELECT 1"))
        busy()
        found = scrape(database)
    finally:
        database.dispose()
    assert found['stockkeeper_busy_refusals_total{cause="sqlite_writer"}'] == 1
    assert found['stockkeeper_busy_refusals_total{cause="lock"}'] == 1


def test_metrics_are_off_without_a_port_and_get_a_fresh_directory_with_one(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv(metrics.DIRECTORY, "")
    monkeypatch.delenv(metrics.DIRECTORY)  # restored (unset) when the test ends
    off = Settings(environment="test", database_url=f"sqlite:///{tmp_path / 'off.db'}")
    database = Database(off)
    try:
        assert metrics.setup_multiprocess(off) is None
        assert metrics.start_metrics_server(off, database) is None
    finally:
        database.dispose()
    assert metrics.DIRECTORY not in os.environ  # nothing was set up
    on = off.model_copy(update={"metrics_port": 9100})
    directory = metrics.setup_multiprocess(on)
    assert directory is not None and directory.is_dir() and not any(directory.iterdir())
    assert os.environ[metrics.DIRECTORY] == str(directory)  # what the children inherit
    assert metrics.setup_multiprocess(on) == directory  # a child keeps its parent's
