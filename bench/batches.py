"""``python -m bench batches``: batches of 100 sales issues of 10 lines each through
``POST /api/v1/inventory/batches``, one client, a real server on SQLite, against the ceiling
of that same batch and the bare one-insert app.

Stockkeeper runs as ``stockkeeper serve`` (one process) on a scratch SQLite database. Each
batch is 100 issues (a point of sale's receipts), each with an ``externalId`` of its own and
10 lines of different items, sent with an Idempotency-Key; each line is one movement, so a
batch writes 1,000. In alternating rounds run: the batches each on its own (``atomic:
false``, as a point of sale syncs), the same batches all or none (``atomic: true``), the same
issues one request each (``POST /api/v1/inventory/issues``), the ceiling and the limit.

The ceiling is ``bench/batch_limit.py``: the statements one real batch ran, replayed with
fresh ids, external ids and numbers through the sqlite3 driver by a bare app on a copy of
the database, as ``bench/postings.py`` measures a posting's. The limit is
``bench/limit_app.py``: one SQLite insert a request, the practical bound of any write API on
this machine.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import httpx
from sqlalchemy import event

from bench.databases import scratch_database, server_version
from bench.posting_data import ceiling_copy, inserted_ids
from bench.postings import Target, _limit, _ok, _server
from bench.report import load, machine, publish, table, today
from stockkeeper.core import idempotency
from stockkeeper.core.db import Database
from stockkeeper.core.ids import new_id
from stockkeeper.stock.service.provisioning import provision_company
from stockkeeper.tenancy.service import Actor, NewApiKey, create_api_key

DOCUMENTS, LINES = 100, 10
Bodies = list[dict[str, Any] | None]  # a request's body each (None: a GET)
BATCHES = "/api/v1/inventory/batches"

INTRO = """\
Batches of {documents} sales issues of {lines} lines (`POST /api/v1/inventory/batches`, each
issue with an `externalId` of its own, each batch with an Idempotency-Key) through a real
`stockkeeper serve --no-access-log` process on SQLite, from one httpx client on the same
machine: {lines_total:,} movements a batch. The ceiling is what the batch's database work
alone allows: the statements one real batch ran, replayed with fresh ids, external ids and
numbers through the sqlite3 driver by a bare app (`bench/batch_limit.py`, under the same
uvicorn as `bench/limit_app.py`) on a copy of Stockkeeper's database. The limit is
`bench/limit_app.py`: one SQLite insert a request (WAL, `synchronous=FULL`). Targets alternate
within each round; figures are medians over {rounds} rounds of {batches} batches
({limit_requests} requests for the limit, {singles} single issues).

Aim: a batch (`atomic: false`) at least half of the ceiling's rate."""


def _batch(items: Sequence[str], warehouse: str, atomic: bool, n: int) -> dict[str, Any]:
    """A batch of issues, each of ``LINES`` different items, one of each."""
    return {
        "atomic": atomic,
        "documents": [
            {
                "type": "issue",
                "locationId": warehouse,
                "externalId": new_id("pos"),
                "reference": f"TILL-{n}-{d}",
                "items": [
                    {"itemId": items[(d * LINES + line) % len(items)], "quantity": 1}
                    for line in range(LINES)
                ],
            }
            for d in range(DOCUMENTS)
        ],
    }


@contextmanager
def _stockkeeper(database: Database, items: int = 50) -> Iterator[tuple[Target, list[str], str]]:
    """A server of a new company with a warehouse and ``items`` items, a million of each in
    stock (the issues never run short): the target, the items and the warehouse."""
    with database.unit_of_work() as session:
        company = provision_company(session, name="Bench")
        admin = NewApiKey(role="admin", name="bench")
        _, key = create_api_key(session, Actor.system(company.id, "bench"), key=admin)
    headers = {"Authorization": f"Bearer {key}", "X-Company-Id": company.id}
    env = {"STOCKKEEPER_DATABASE_URL": database.settings.database_url}
    command = [sys.executable, "-m", "stockkeeper", "serve", "--no-access-log"]
    with _server(command, env) as url:
        with httpx.Client(base_url=url, headers=headers, timeout=60) as http:
            warehouse = str(_ok(http.post("/api/v1/locations", json={"name": "WH"}))["id"])
            made = [str(_ok(http.post("/api/v1/items", json=_item(n)))["id"]) for n in range(items)]
            stock = [{"itemId": i, "adjustmentQuantity": 1_000_000, "unitCost": 2} for i in made]
            body = {"reason": "found", "locationId": warehouse, "items": stock}
            _ok(http.post("/api/v1/inventory/adjustments", json=body))
        yield Target("batch", url, headers, BATCHES, status=200), made, warehouse


def _item(n: int) -> dict[str, Any]:
    return {
        "itemCode": f"B{n:03d}",
        "name": f"Bench {n}",
        "type": "inventory",
        "pricing": {"costPrice": 2, "sellingPrice": 3},
    }


def _send(target: Target, bodies: Sequence[dict[str, Any] | None]) -> tuple[float, float, int]:
    """Sends the bodies one after another; returns requests/s, median ms, errors."""
    latencies, errors = [], 0
    with httpx.Client(base_url=target.url, headers=target.headers, timeout=120) as http:
        start = time.perf_counter()
        for body in bodies:
            began = time.perf_counter()
            response = http.request(
                "POST" if body is not None else "GET",
                target.path,
                json=body,
                headers={idempotency.HEADER: new_id("key")},
            )
            latencies.append((time.perf_counter() - began) * 1000)
            errors += response.status_code != target.status
        rate = len(bodies) / (time.perf_counter() - start)
    return rate, statistics.median(latencies), errors


def _plan(
    database: Database, target: Target, body: dict[str, Any], warm: list[dict[str, Any]]
) -> dict[str, Any]:
    """The statements one batch ran (in-process, after two to warm up), and what a replay
    must renew: the ids of the rows it inserted, the counters' statements and the numbers
    they gave, its Idempotency-Key."""
    from fastapi.testclient import TestClient

    from stockkeeper.api.app import create_app

    statements: list[tuple[str, Any, bool]] = []

    def capture(*args: Any) -> None:
        _connection, _cursor, statement, parameters, _context, many = args
        if not statement.startswith("BEGIN"):  # the replay begins its own
            statements.append((statement, parameters, many))

    key = new_id("key")
    with TestClient(create_app(database.settings, database)) as client:
        for batch in warm:
            _ok(client.post(BATCHES, json=batch, headers=target.headers))
        event.listen(database.engine, "before_cursor_execute", capture)
        try:
            response = client.post(
                BATCHES, json=body, headers={**target.headers, idempotency.HEADER: key}
            )
        finally:
            event.remove(database.engine, "before_cursor_execute", capture)
    new_ids = inserted_ids(statements)
    results = _ok(response)["results"]
    assert isinstance(results, list)
    new_ids += [document["externalId"] for document in body["documents"]]
    return {
        "statements": statements,
        "new_ids": new_ids,
        "key": key,
        "counters": [n for n, (sql, _, _) in enumerate(statements) if "sequence_counter" in sql],
        "numbers": [result["data"]["documentNumber"] for result in results],
        "response": response.text,
    }


@contextmanager
def _ceiling(
    database: Database, target: Target, body: dict[str, Any], warm: list[dict[str, Any]]
) -> Iterator[Target]:
    plan = _plan(database, target, body, warm)
    with ceiling_copy(database, plan, "sk-bench-batch-ceiling-") as env:
        command = [sys.executable, "-m", "uvicorn", "bench.batch_limit:ceiling"]
        with _server([*command, "--log-level", "warning"], env) as url:
            yield Target("ceiling", url, target.headers, BATCHES, [body])
            print(f"ceiling: {len(plan['statements'])} statements a batch", flush=True)


def _movements(database: Database) -> int:
    with database.engine.connect() as connection:
        return int(connection.exec_driver_sql("SELECT count(*) FROM stock_movement").scalar_one())


def run(rounds: int, batches: int, limit_requests: int, singles: int) -> dict[str, Any]:
    out: dict[str, Any] = {"figures": {}}
    with scratch_database("sqlite") as database:
        out["version"] = server_version(database)
        with _stockkeeper(database) as (sk, items, warehouse):
            sample = _batch(items, warehouse, False, 0)
            warm = [_batch(items, warehouse, False, -1 - n) for n in range(2)]
            single = Target("single", sk.url, sk.headers, "/api/v1/inventory/issues")
            with _ceiling(database, sk, sample, warm) as ceiling, _limit() as limit:
                limit.status = 201
                made = 0

                def fresh(atomic: bool) -> Bodies:
                    nonlocal made
                    made += batches
                    return [_batch(items, warehouse, atomic, made + n) for n in range(batches)]

                def issues() -> Bodies:
                    documents = _batch(items, warehouse, False, -9)["documents"][:singles]
                    return [{k: v for k, v in d.items() if k != "type"} for d in documents]

                scenarios: dict[str, tuple[Target, Callable[[], Bodies]]] = {
                    "batch": (sk, lambda: fresh(False)),
                    "atomic": (sk, lambda: fresh(True)),
                    "single": (single, issues),
                    "ceiling": (ceiling, lambda: [sample] * batches),
                    "limit": (limit, lambda: [limit.body(0)] * limit_requests),
                }
                for target, bodies in scenarios.values():  # warm-up
                    _send(target, bodies()[:2])
                before = _movements(database)
                for round_ in range(rounds):
                    for name, (target, bodies) in scenarios.items():
                        out["figures"].setdefault(name, []).append(_send(target, bodies()))
                    print(f"round {round_ + 1} done", flush=True)
                written = _movements(database) - before
                expected = rounds * (2 * batches * DOCUMENTS + singles) * LINES
                assert written == expected, (written, expected)
                out["movements_checked"] = written
    return out


def _median(figures: list[tuple[float, float, int]], at: int) -> float:
    return statistics.median(f[at] for f in figures)


def render(out: dict[str, Any], args: argparse.Namespace, command: str) -> str:
    figures = out["figures"]
    ceiling = _median(figures["ceiling"], 0)
    limit = _median(figures["limit"], 0)
    rows = []
    for name, label, documents in (
        ("limit", "limit: one SQLite insert a request", 0),
        ("ceiling", "ceiling: the batch's statements alone", DOCUMENTS),
        ("batch", "Stockkeeper, a batch (`atomic: false`)", DOCUMENTS),
        ("atomic", "Stockkeeper, a batch (`atomic: true`)", DOCUMENTS),
        ("single", "Stockkeeper, the same issues one request each", 1),
    ):
        rate = _median(figures[name], 0)
        errors = sum(f[2] for f in figures[name])
        docs = rate * documents
        rows.append(
            [
                label,
                f"{rate:,.1f}",
                f"{_median(figures[name], 1):.1f}",
                f"{docs:,.0f}" if documents else "-",
                f"{docs * LINES:,.0f}" if documents else f"{rate:,.0f} rows",
                f"{rate / ceiling:.2f}" if documents == DOCUMENTS else "-",
                str(errors),
            ]
        )
    batch_movements = _median(figures["batch"], 0) * DOCUMENTS * LINES
    intro = INTRO.format(
        documents=DOCUMENTS,
        lines=LINES,
        lines_total=DOCUMENTS * LINES,
        rounds=args.rounds,
        batches=args.batches,
        limit_requests=args.limit_requests,
        singles=args.singles,
    )
    return "\n".join(
        [
            "## Posting in batches",
            "",
            intro,
            "",
            f"- Command: `{command}`",
            f"- Machine: {machine()}; load average {load()} when the run started",
            f"- Software: Python {sys.version.split()[0]}, sqlite {out['version']}",
            f"- Date: {today()}",
            "",
            table(
                [
                    "Scenario",
                    "Requests/s",
                    "Median latency ms",
                    "Documents/s",
                    "Movements/s",
                    "Ratio to the ceiling",
                    "Errors",
                ],
                rows,
            ),
            "",
            f"A batch writes {batch_movements:,.0f} movements a second, "
            f"{batch_movements / limit:.1f} times the rows a second of the bare one-insert app "
            f"({limit:,.0f}); {out['movements_checked']:,} movements written by the run were "
            "counted against the lines sent.",
        ]
    )


def main(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench batches", description=__doc__)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--batches", type=int, default=10, help="per scenario and round")
    parser.add_argument("--limit-requests", type=int, default=400, help="per round")
    parser.add_argument("--singles", type=int, default=100, help="single issues per round")
    parser.add_argument("--write-docs", action="store_true")
    args = parser.parse_args(argv)
    out = run(args.rounds, args.batches, args.limit_requests, args.singles)
    command = ("python -m bench batches " + " ".join(argv)).strip()
    section = render(out, args, command)
    publish("batches", section, args.write_docs)
    return 0
