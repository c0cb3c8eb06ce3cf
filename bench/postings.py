"""``python -m bench postings``: single-line adjustments posted through the HTTP API.

Stockkeeper runs as a real server (``stockkeeper serve``, one process) on SQLite and on
PostgreSQL; the same httpx client posts one-line adjustments to it, first one at a time and
then from 8 concurrent clients. Against it, in alternating rounds, runs the practical limit:
``bench/limit_app.py``, a minimal ASGI app under the same uvicorn that inserts one SQLite row
per request with the same ``synchronous`` setting, and the ceiling: the same app replaying
the statements of one real posting. A last scenario measures write latency with 10,000 and
with 1,000,000 movements already in the ledger.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from tempfile import TemporaryDirectory
from typing import Any

import httpx
from sqlalchemy import event

from bench.databases import POSTGRES_ADMIN_URL, postgres_problem, scratch_database, server_version
from bench.posting_data import ceiling_copy, fill_ledger, inserted_ids, tenant
from bench.posting_report import CLIENTS, CPU_POSTINGS, PROCESSES, Figures, render
from bench.process_cpu import cpu_ms, is_worker_beside, tree
from bench.report import publish
from stockkeeper.core import idempotency
from stockkeeper.core.db import Database


def cpu_per_posting(target: Target) -> tuple[float, float]:
    """Milliseconds of processor time the server's processes took a posting over
    ``CPU_POSTINGS`` postings from ``CLIENTS`` clients: all of them, and the worker beside."""
    processes = tree(target.pid)
    before = cpu_ms(processes)
    _post_many(target, CPU_POSTINGS, CLIENTS)
    after = cpu_ms(processes)
    spent = {pid: after[pid] - before.get(pid, 0) for pid in after}
    beside = sum(ms for pid, ms in spent.items() if is_worker_beside(pid))
    return sum(spent.values()) / CPU_POSTINGS, beside / CPU_POSTINGS


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def _server(command: list[str], env: dict[str, str]) -> Iterator[str]:
    with _server_process(command, env) as (url, _pid):
        yield url


@contextmanager
def _server_process(
    command: list[str], env: dict[str, str], patience: float = 30
) -> Iterator[tuple[str, int]]:
    """A server started by ``command`` on a free port (within ``patience`` seconds): its URL
    and its process id."""
    port = _free_port()
    process = subprocess.Popen(
        [*command, "--port", str(port)],
        env={**os.environ, **env},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + patience
        while True:
            try:
                httpx.get(f"{url}/health", timeout=1)
                break
            except httpx.TransportError:
                if time.monotonic() > deadline:
                    raise RuntimeError(f"{command} did not start") from None
                time.sleep(0.1)
        yield url, process.pid
    finally:
        process.terminate()
        process.wait()


@dataclass
class Target:
    """Something to post to: a URL, headers, and how to make each request's body (with no
    bodies, the requests are GETs)."""

    name: str
    url: str
    headers: dict[str, str]
    path: str
    bodies: list[dict[str, object]] = field(default_factory=list)
    store_id: str = ""  # a second location, for the transfer workflows
    status: int = 201  # what a request that went well answers
    pid: int = 0  # the server's process, whose processor time is read

    def body(self, n: int) -> dict[str, object] | None:
        return self.bodies[n % len(self.bodies)] if self.bodies else None


def _post_many(target: Target, count: int, clients: int) -> tuple[float, list[float], int]:
    """Posts ``count`` requests from ``clients`` threads; returns rate, latencies (ms), errors."""
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    per_client = count // clients

    def client(offset: int) -> None:
        with httpx.Client(base_url=target.url, headers=target.headers, timeout=30) as http:
            for n in range(per_client):
                start = time.perf_counter()
                body = target.body(offset * per_client + n)
                response = http.request(
                    "POST" if body else "GET",
                    target.path,
                    json=body,
                    headers={idempotency.HEADER: uuid.uuid4().hex},
                )
                elapsed = (time.perf_counter() - start) * 1000
                with lock:
                    latencies.append(elapsed)
                    if response.status_code != target.status:
                        errors[0] += 1

    threads = [threading.Thread(target=client, args=(c,)) for c in range(clients)]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return per_client * clients / (time.perf_counter() - start), latencies, errors[0]


@contextmanager
def _stockkeeper(
    database: Database, name: str = "stockkeeper", env: dict[str, str] | None = None
) -> Iterator[Target]:
    """A company filled by ``_tenant`` and a server of it; ``env`` adds to the server's
    environment (``bench/compare.py`` points ``PYTHONPATH`` at another revision's code)."""
    headers, bodies, store = tenant(database)
    env = {"STOCKKEEPER_DATABASE_URL": database.settings.database_url, **(env or {})}
    # without a line of access log per request, like the limit
    command = [sys.executable, "-m", "stockkeeper", "serve", "--no-access-log"]
    with _server_process(command, env) as (url, pid):
        yield Target(name, url, headers, "/api/v1/inventory/adjustments", bodies, store, pid=pid)


def _posting_plan(database: Database, target: Target) -> dict[str, Any]:
    """The statements one posting ran, and what a replay must renew: the ids of the rows it
    inserted, its number, its Idempotency-Key. Made here in-process, of an item that moved
    before (its levels exist, as for most postings), after three postings to warm up."""
    from fastapi.testclient import TestClient

    from stockkeeper.api.app import create_app

    statements: list[tuple[str, Any, bool]] = []

    def capture(*args: Any) -> None:
        _connection, _cursor, statement, parameters, _context, many = args
        if not statement.startswith("BEGIN"):  # the replay begins its own
            statements.append((statement, parameters, many))

    key = uuid.uuid4().hex
    with TestClient(create_app(database.settings, database)) as client:
        for body in target.bodies[:3]:
            _ok(client.post(target.path, json=body, headers=target.headers))
        event.listen(database.engine, "before_cursor_execute", capture)
        try:
            response = client.post(
                target.path,
                json=target.bodies[50],
                headers={**target.headers, idempotency.HEADER: key},
            )
        finally:
            event.remove(database.engine, "before_cursor_execute", capture)
    new_ids = inserted_ids(statements)
    return {
        "statements": statements,
        "new_ids": new_ids,
        "key": key,
        "number": _ok(response)["adjustmentNumber"],
        "counter": next(n for n, (sql, _, _) in enumerate(statements) if "sequence_counter" in sql),
        "response": response.text,
    }


@contextmanager
def _ceiling(database: Database, target: Target) -> Iterator[Target]:
    """``bench/limit_app.py``'s ceiling: one posting's statements replayed on a copy of the
    database."""
    plan = _posting_plan(database, target)
    with ceiling_copy(database, plan, "sk-bench-ceiling-") as env:
        command = [sys.executable, "-m", "uvicorn", "bench.limit_app:ceiling"]
        command += ["--log-level", "warning", "--workers", str(PROCESSES)]
        with _server_process(command, env) as (url, pid):
            bodies = target.bodies[50:51]
            yield Target("ceiling", url, target.headers, target.path, bodies, pid=pid)


@contextmanager
def _limit(processes: int = 1) -> Iterator[Target]:
    with TemporaryDirectory(prefix="sk-bench-limit-") as directory:
        env = {"BENCH_LIMIT_DB": str(Path(directory) / "limit.db")}
        command = [sys.executable, "-m", "uvicorn", "bench.limit_app:app", "--log-level", "warning"]
        with _server([*command, "--workers", str(processes)], env) as url:
            yield Target("limit", url, {}, "/health", [{"reason": "found", "items": [{"n": 1}]}])


def _rounds(
    targets: list[Target], rounds: int, requests: int, swap: bool = False
) -> dict[tuple[str, int], Figures]:
    """Alternates the targets within each round, so that drift in the machine hits all alike;
    with ``swap``, every other round runs them in reverse order, so that none always goes first."""
    figures: dict[tuple[str, int], Figures] = {}
    for target in targets:
        _post_many(target, 40, 1)  # warm-up: connections, caches, the first company lookups
    for round_ in range(rounds):
        order = targets[::-1] if swap and round_ % 2 else targets
        for clients in (1, CLIENTS):
            for target in order:
                figures.setdefault((target.name, clients), Figures()).add(
                    _post_many(target, requests, clients)
                )
    return figures


def _large_document(target: Target, lines: int = 500, count: int = 10) -> float:
    """Median milliseconds to post one adjustment of ``lines`` lines (one client)."""
    items = [str(line["itemId"]) for body in target.bodies[:50] for line in body["items"]]  # type: ignore[attr-defined]
    location = target.bodies[0]["locationId"]
    big = Target(
        target.name,
        target.url,
        target.headers,
        target.path,
        [
            {
                "reason": "found",
                "locationId": location,
                "items": [
                    {"itemId": items[n % len(items)], "adjustmentQuantity": 1, "unitCost": 2}
                    for n in range(lines)
                ],
            }
        ],
    )
    _post_many(big, 2, 1)
    return statistics.median(_post_many(big, count, 1)[1])


def _workflows(target: Target, count: int = 100) -> dict[str, tuple[float, float]]:
    """Median milliseconds and rate (per second) of whole workflows, one client: a one-step
    transfer; a two-step transfer (created as a draft, shipped, received); a reservation
    and its fulfilment."""
    line = target.bodies[0]["items"][0]  # type: ignore[index]
    item, warehouse = line["itemId"], target.bodies[0]["locationId"]
    transfer = {
        "fromLocationId": warehouse,
        "toLocationId": target.store_id,
        "items": [{"itemId": item, "quantity": 1}],
    }

    def one_step(http: httpx.Client) -> None:
        _ok(http.post("/api/v1/inventory/transfers", json=transfer))

    def two_step(http: httpx.Client) -> None:
        draft = _ok(http.post("/api/v1/inventory/transfers", json={**transfer, "status": "draft"}))
        path = f"/api/v1/inventory/transfers/{draft['id']}/status"
        _ok(http.patch(path, json={"status": "shipped"}))
        _ok(http.patch(path, json={"status": "received"}))

    def reserve_and_fulfil(http: httpx.Client) -> None:
        body = {"itemId": item, "locationId": warehouse, "quantity": 1}
        reservation = _ok(http.post("/api/v1/inventory/reservations", json=body))
        _ok(http.post(f"/api/v1/inventory/reservations/{reservation['id']}/fulfil", json={}))

    results = {}
    with httpx.Client(base_url=target.url, headers=target.headers, timeout=30) as http:
        receipt = {
            "reason": "found",
            "locationId": warehouse,
            "items": [{**line, "adjustmentQuantity": 10 * count}],
        }
        _ok(http.post(target.path, json=receipt))
        for name, workflow in (
            ("one-step transfer", one_step),
            ("two-step transfer (3 requests)", two_step),
            ("reservation and fulfilment (2 requests)", reserve_and_fulfil),
        ):
            workflow(http)
            latencies = []
            start = time.perf_counter()
            for _ in range(count):
                began = time.perf_counter()
                workflow(http)
                latencies.append((time.perf_counter() - began) * 1000)
            results[name] = (statistics.median(latencies), count / (time.perf_counter() - start))
    return results


def _ok(response: httpx.Response) -> dict[str, object]:
    if response.status_code >= 300:
        raise RuntimeError(f"{response.request.url}: {response.status_code} {response.text}")
    data: dict[str, object] = response.json()["data"]
    return data


def _history_latency(
    database: Database, target: Target, sizes: Sequence[int], requests: int
) -> list[float]:
    """Median sequential write latency with ``sizes`` movements already in the ledger."""
    results, filled = [], 0
    for size in sizes:
        fill_ledger(database, target.headers, size - filled)
        filled = size
        _post_many(target, 20, 1)
        results.append(statistics.median(_post_many(target, requests, 1)[1]))
    return results


def run(
    engines: Sequence[str], rounds: int, requests: int, history: Sequence[int]
) -> dict[str, object]:
    out: dict[str, object] = {}
    for engine in engines:
        with scratch_database(engine) as database:
            out[f"{engine}:version"] = server_version(database)
            with _stockkeeper(database) as stockkeeper:
                if engine == "sqlite":
                    # the server's floor: a request that does nothing (no key, no database)
                    floor = Target("floor", stockkeeper.url, {}, "/health", status=200)
                    with (
                        _ceiling(database, stockkeeper) as ceiling,
                        _limit(PROCESSES) as limit,
                    ):
                        out["figures:sqlite"] = _rounds(
                            [stockkeeper, floor, ceiling, limit], rounds, requests
                        )
                        out["cpu:ceiling"] = cpu_per_posting(ceiling)
                else:
                    out[f"figures:{engine}"] = _rounds([stockkeeper], rounds, requests)
                out[f"cpu:{engine}"] = cpu_per_posting(stockkeeper)
                print(f"{engine}: rounds done", flush=True)
                out[f"large:{engine}"] = _large_document(stockkeeper)
                out[f"workflows:{engine}"] = _workflows(stockkeeper)
                out[f"history:{engine}"] = _history_latency(
                    database, stockkeeper, history, requests
                )
                print(f"{engine}: history done", flush=True)
    return out


def main(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench postings", description=__doc__)
    parser.add_argument("--engine", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--requests", type=int, default=400, help="per scenario and round")
    parser.add_argument("--history", default="10000,1000000", help="ledger sizes, comma-separated")
    parser.add_argument("--write-docs", action="store_true")
    args = parser.parse_args(argv)
    engines = ["sqlite", "postgresql"] if args.engine == "both" else [args.engine]
    if "postgresql" in engines and (problem := postgres_problem(POSTGRES_ADMIN_URL)):
        if args.engine == "postgresql":
            print(f"PostgreSQL is not reachable: {problem}", file=sys.stderr)
            return 1
        print(f"skipping PostgreSQL: {problem}", file=sys.stderr)
        engines = ["sqlite"]
    if "sqlite" not in engines:
        print(
            "the postings benchmark compares against SQLite: use --engine sqlite or both",
            file=sys.stderr,
        )
        return 2
    history = [int(n) for n in args.history.split(",")]
    out = run(engines, args.rounds, args.requests, history)
    command = "python -m bench postings " + " ".join(argv)
    section = render(out, engines, args.rounds, args.requests, history, command.strip())
    publish("postings", section, args.write_docs)
    return 0
