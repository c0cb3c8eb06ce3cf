"""A real ``stockkeeper serve --workers 2``: what each process keeps for itself is correct
across them. The same Idempotency-Key sent to both processes at once posts once; one scrape
adds up the metrics of both; the worker beside them reports; the ledger stays consistent."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from prometheus_client.mmap_dict import MmapedDict
from sqlalchemy import select

from stockkeeper.core.db import Database
from stockkeeper.stock.models import Movement
from tests.invariants import assert_ledger_consistent
from tests.scraping import parse
from tests.support import Tenant, make_tenant

ADJUSTMENTS = "/api/v1/inventory/adjustments"
PAIRS, AT_ONCE = 32, 4  # keys each sent twice at the same moment, so many keys at a time


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Served:
    url: str
    metrics_url: str
    counts: Path  # the processes' metrics files


@pytest.fixture(scope="module")
def served(
    database_url: str, database: Database, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Served]:
    """``stockkeeper serve --workers 2`` with metrics on and the worker beside it."""
    port, metrics_port = _free_port(), _free_port()
    counts = tmp_path_factory.mktemp("metrics")
    env = {
        **os.environ,
        "STOCKKEEPER_DATABASE_URL": database_url,
        "STOCKKEEPER_DATA_DIR": str(tmp_path_factory.mktemp("data")),
        "STOCKKEEPER_METRICS_PORT": str(metrics_port),
        "PROMETHEUS_MULTIPROC_DIR": str(counts),  # empty: made for this server
        "STOCKKEEPER_WORKER_POLL_SECONDS": "0.05",
    }
    command = [sys.executable, "-m", "stockkeeper", "serve", "--workers", "2"]
    process = subprocess.Popen(
        [*command, "--port", str(port), "--no-access-log"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        # until both processes answer: the first one up answers alone while the other starts
        deadline = time.monotonic() + 60
        while _served_by(counts) < 2:
            with contextlib.suppress(httpx.TransportError):
                httpx.get(f"{url}/health", timeout=1)
            assert time.monotonic() < deadline and process.poll() is None, "did not start"
            time.sleep(0.02)
        yield Served(url, f"http://127.0.0.1:{metrics_port}/metrics", counts)
    finally:
        process.terminate()
        process.wait(timeout=30)


def _setup(url: str, tenant: Tenant) -> tuple[dict[str, str], str, str]:
    headers = {"Authorization": f"Bearer {tenant.admin_key}", "X-Company-Id": tenant.company_id}
    with httpx.Client(base_url=url, headers=headers, timeout=30) as http:
        location = http.post("/api/v1/locations", json={"name": "WH"}).json()["data"]["id"]
        item = {"itemCode": f"P-{uuid.uuid4().hex[:6]}", "name": "p", "type": "inventory"}
        item_id = http.post("/api/v1/items", json=item).json()["data"]["id"]
    return headers, location, item_id


def _adjustment(location: str, item: str, reference: str) -> dict[str, object]:
    return {
        "reason": "found",
        "locationId": location,
        "reference": reference,
        "items": [{"itemId": item, "adjustmentQuantity": 1, "unitCost": 2}],
    }


def _post(url: str, headers: dict[str, str], body: dict[str, object], key: str) -> httpx.Response:
    # a connection of its own, which either process may accept
    with httpx.Client(base_url=url, headers=headers, timeout=30) as http:
        return http.post(ADJUSTMENTS, json=body, headers={"Idempotency-Key": key})


def _served_by(counts: Path) -> int:
    """How many processes have answered requests: each times its own in a file of its own."""
    return len(list(counts.glob("histogram_*.db")))


def _postings_by_process(counts: Path) -> list[float]:
    """How many postings each process has answered, from its own metrics file (a histogram
    keeps one count a bucket there; the cumulative ones are made when scraped)."""
    answered = []
    for file in counts.glob("histogram_*.db"):
        keys = (
            (json.loads(key), value)
            for key, value, *_ in MmapedDict.read_all_values_from_file(str(file))  # type: ignore[no-untyped-call]
        )
        answered.append(
            sum(
                value
                for (_, sample, labels, _), value in keys
                if sample == "stockkeeper_http_request_duration_seconds_bucket"
                and (labels["method"], labels["route"]) == ("POST", ADJUSTMENTS)
            )
        )
    return answered


def _not_the_first(response: httpx.Response) -> bool:
    return response.status_code != 201 or "Idempotent-Replayed" in response.headers


def test_one_key_sent_to_two_processes_at_once_posts_once(
    served: Served, database: Database
) -> None:
    tenant = make_tenant(database)
    headers, location, item = _setup(served.url, tenant)
    answers: dict[str, list[httpx.Response]] = defaultdict(list)
    lock = threading.Lock()

    def send(key: str, together: threading.Barrier) -> None:
        together.wait()
        response = _post(served.url, headers, _adjustment(location, item, key), key)
        with lock:
            answers[key].append(response)

    keys = [f"same-{uuid.uuid4().hex}" for _ in range(PAIRS)]
    for start in range(0, PAIRS, AT_ONCE):
        threads = []
        for key in keys[start : start + AT_ONCE]:
            together = threading.Barrier(2)
            threads += [threading.Thread(target=send, args=(key, together)) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

    for key in keys:
        first, second = sorted(answers[key], key=_not_the_first)
        assert first.status_code == 201 and "Idempotent-Replayed" not in first.headers, first.text
        if second.status_code == 409:  # still running (in the same process, or on PostgreSQL)
            assert second.json()["code"] == "idempotency_key_in_use"
        else:  # the other process's answer, replayed (on SQLite it waited for its turn)
            assert second.status_code == 201 and second.headers["Idempotent-Replayed"] == "true"
            assert second.json() == first.json()
    with database.unit_of_work(write=False) as session:
        references = Counter(
            session.scalars(
                select(Movement.reference).where(Movement.company_id == tenant.company_id)
            )
        )
    assert references == Counter(dict.fromkeys(keys, 1))  # no key posted twice
    assert_ledger_consistent(database, tenant.company_id)
    posting = [n for n in _postings_by_process(served.counts) if n]
    assert len(posting) == 2, "one process answered every posting"


def test_one_scrape_adds_up_the_counts_of_both_processes(
    served: Served, database: Database
) -> None:
    tenant = make_tenant(database)
    headers, location, item = _setup(served.url, tenant)
    before = parse(httpx.get(served.metrics_url, timeout=10).text)
    postings = 40

    def send(n: int) -> None:
        key = uuid.uuid4().hex
        assert _post(served.url, headers, _adjustment(location, item, key), key).status_code == 201

    threads = [threading.Thread(target=send, args=(n,)) for n in range(postings)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    after = parse(httpx.get(served.metrics_url, timeout=10).text)
    labels = f'method="POST",route="{ADJUSTMENTS}",status="2xx"'
    answered = f"stockkeeper_http_request_duration_seconds_count{{{labels}}}"
    documents = 'stockkeeper_documents_posted_total{kind="adjustment"}'
    for series in (answered, documents):
        assert after[series] - before.get(series, 0) == postings, series
    assert (
        after["stockkeeper_movements_posted_total"]
        - before.get("stockkeeper_movements_posted_total", 0)
        == postings
    )
    posting = [n for n in _postings_by_process(served.counts) if n]
    assert len(posting) == 2, "one process answered every posting"
    # the pools of the processes that ever took a connection (the two servers, the worker
    # and the metrics' own reader), summed
    assert after["stockkeeper_db_pool_size"] >= 3 * database.settings.db_pool_size
    assert_ledger_consistent(database, tenant.company_id)


def test_the_worker_beside_the_processes_reports(served: Served) -> None:
    deadline = time.monotonic() + 20
    while True:
        ready = httpx.get(f"{served.url}/ready", timeout=10)
        assert ready.status_code == 200, ready.text
        if ready.json()["workerHeartbeatAgeSeconds"] is not None:
            break
        assert time.monotonic() < deadline, "no worker reported"
        time.sleep(0.1)


def test_the_server_processes_stop_when_serve_is_killed(tmp_path: Path) -> None:
    """Killed, ``stockkeeper serve`` cannot stop its server processes: they stop by
    themselves rather than go on answering on the port."""
    port = _free_port()
    env = {**os.environ, "STOCKKEEPER_DATABASE_URL": f"sqlite:///{tmp_path / 'shop.db'}"}
    env.pop("STOCKKEEPER_METRICS_PORT", None)
    command = [sys.executable, "-m", "stockkeeper", "serve", "--workers", "2", "--no-deliver"]
    serve = subprocess.Popen(
        [*command, "--port", str(port)],
        env={**env, "STOCKKEEPER_DATA_DIR": str(tmp_path)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}/health"

    def answers() -> bool:
        try:
            return httpx.get(url, timeout=1).status_code == 200
        except httpx.TransportError:
            return False

    try:
        deadline = time.monotonic() + 30
        while not answers():
            assert time.monotonic() < deadline and serve.poll() is None, "did not start"
            time.sleep(0.1)
        serve.kill()  # the parent alone
        serve.wait()
        deadline = time.monotonic() + 15
        while answers():
            assert time.monotonic() < deadline, "its server processes went on answering"
            time.sleep(0.2)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(serve.pid, signal.SIGKILL)
