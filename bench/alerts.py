"""``python -m bench alerts``: webhooks and alerts, end to end.

1. **Posting with alerts and subscriptions active.** ``stockkeeper serve`` (with the worker
   process it starts, as ``make serve`` runs it) and two companies posting one-line
   adjustments of +1 and -1 in turn. The plain company has no thresholds, rules or
   subscriptions. The watched one has a minimum stock on every item, a subscription to
   every event and an alert rule with a webhook, both delivered to a local receiver; a tenth
   of its items sit at their minimum, so about a tenth of its postings raise or resolve an
   alert (the report says how many were raised).
   The two alternate within each round.
2. **From commit to delivery.** Postings of the watched company, one client: the time from
   each response (the commit came before it) to the arrival of its ``inventory.adjustment``
   webhook at the receiver, at a steady 10 postings a second and with 8 clients flat out.
3. **Delivery throughput.** 5,000 events in the outbox of a fresh database, one subscription;
   the time for a worker (``stockkeeper worker``'s loop, in this process) to deliver them
   all, signed, to the receiver.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import httpx
from sqlalchemy import func, select, update

from bench.databases import chosen_engines, scratch_database, server_version
from bench.posting_data import tenant
from bench.posting_report import CLIENTS, Figures
from bench.postings import Target, _ok, _post_many, _server
from bench.report import load, machine, publish, table, today
from bench.timing import Stats
from stockkeeper.alerts.models import Alert
from stockkeeper.catalog.models import Item
from stockkeeper.core import outbox
from stockkeeper.core.db import Database
from stockkeeper.stock.models import Movement
from stockkeeper.stock.service.provisioning import provision_company
from stockkeeper.webhooks.models import WebhookDelivery, WebhookSubscription
from stockkeeper.webhooks.service.delivery import Worker
from stockkeeper.webhooks.service.subscriptions import new_secret

ITEMS = 50  # per company (bench/postings.py makes them)
AT_MINIMUM = 5  # of the watched company's items: their postings cross the minimum
MINIMUM = 10
EVENTS = 5_000

INTRO = """\
Aims: posting throughput with alerts and subscriptions active within 10 % of posting without
them; from the commit of a movement to the first delivery attempt, p95 at most 1 s; at least
500 signed deliveries per second to a local receiver. The receiver (`bench/receiver_app.py`)
is a uvicorn process of its own answering 204. Figures are medians over {rounds} rounds."""


@contextmanager
def _receiver() -> Iterator[str]:
    command = [sys.executable, "-m", "uvicorn", "bench.receiver_app:app", "--log-level", "warning"]
    with _server(command, {}) as url:
        yield url


def _received(receiver: str) -> list[tuple[float, str, str]]:
    found: list[list[Any]] = httpx.get(receiver, timeout=30).json()
    return [(float(t), str(event), str(ident)) for t, event, ident in found]


def _bodies(location: str, items: list[str]) -> list[dict[str, object]]:
    """+1 and then -1 of each item in turn, so that any even run of them leaves the stock
    as it was: stock at the minimum crosses it with every posting."""
    return [
        {
            "reason": "stock_count",
            "locationId": location,
            "items": [
                {
                    "itemId": items[(n // 2) % len(items)],
                    "adjustmentQuantity": 1 if n % 2 == 0 else -1,
                    "unitCost": 2,
                }
            ],
        }
        for n in range(4 * len(items))
    ]


def _company(database: Database, url: str, receiver: str | None) -> Target:
    """A company with stock of its items; ``receiver`` makes it the watched one."""
    headers, bodies, _ = tenant(database)
    location = str(bodies[0]["locationId"])
    items = list(dict.fromkeys(str(b["items"][0]["itemId"]) for b in bodies))  # type: ignore[index]
    target = Target(
        "watched" if receiver else "plain", url, headers, "/api/v1/inventory/adjustments"
    )
    target.bodies = _bodies(location, items)
    with httpx.Client(base_url=url, headers=headers, timeout=30) as http:
        if receiver:
            with database.unit_of_work() as session:
                session.execute(
                    update(Item)
                    .where(Item.company_id == headers["X-Company-Id"])
                    .values(minimum_stock=MINIMUM)
                )
            hook = {"url": receiver, "events": list(outbox.EVENTS)}
            _ok(http.post("/api/v1/webhooks", json=hook))
            rule = {
                "name": "Low stock",
                "type": "low_stock",
                "notifications": {"webhook": receiver},
            }
            _ok(http.post("/api/v1/inventory/alerts/rules", json=rule))
        lines = [
            {
                "itemId": item,
                "adjustmentQuantity": MINIMUM if receiver and n < AT_MINIMUM else 10 * MINIMUM,
                "unitCost": 2,
            }
            for n, item in enumerate(items)
        ]
        _ok(
            http.post(target.path, json={"reason": "found", "locationId": location, "items": lines})
        )
    return target


def _posted_at(target: Target, count: int, clients: int, pause: float) -> dict[str, float]:
    """Posts ``count`` adjustments; when each response came (epoch seconds), by id."""
    answered: dict[str, float] = {}
    lock = threading.Lock()

    def client(offset: int) -> None:
        with httpx.Client(base_url=target.url, headers=target.headers, timeout=30) as http:
            for n in range(count // clients):
                data = _ok(http.post(target.path, json=target.body(offset * count + n)))
                with lock:
                    answered[str(data["id"])] = time.time()
                time.sleep(pause)

    threads = [threading.Thread(target=client, args=(c,)) for c in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return answered


def _latencies(target: Target, receiver: str, count: int, clients: int, pause: float) -> Stats:
    answered = _posted_at(target, count, clients, pause)
    deadline = time.monotonic() + 60
    while True:
        arrived = {
            ident: t for t, event, ident in _received(receiver) if event == "inventory.adjustment"
        }
        if answered.keys() <= arrived.keys() or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    missing = answered.keys() - arrived.keys()
    if missing:
        raise RuntimeError(f"{len(missing)} adjustments were not delivered within a minute")
    return Stats(tuple((arrived[i] - t) * 1000 for i, t in answered.items()))


def _serving(engine: str, rounds: int, requests: int) -> dict[str, Any]:
    out: dict[str, Any] = {}
    with scratch_database(engine) as database, _receiver() as receiver:
        out["version"] = server_version(database)
        env = {
            "STOCKKEEPER_DATABASE_URL": database.settings.database_url,
            "STOCKKEEPER_WEBHOOK_ALLOW_PRIVATE": "true",
        }
        with _server([sys.executable, "-m", "stockkeeper", "serve"], env) as url:
            plain = _company(database, url, None)
            watched = _company(database, url, receiver)
            for target in (plain, watched):
                _post_many(target, 40, 1)
            figures: dict[tuple[str, int], Figures] = {}
            for _ in range(rounds):
                for clients in (1, CLIENTS):
                    for target in (plain, watched):
                        figures.setdefault((target.name, clients), Figures()).add(
                            _post_many(target, requests, clients)
                        )
            out["figures"] = figures
            out["steady"] = _latencies(watched, receiver, 200, 1, 0.1)
            out["busy"] = _latencies(watched, receiver, 800, CLIENTS, 0)
            out["crossings"] = _crossings(database, watched)
    return out


def _crossings(database: Database, watched: Target) -> tuple[int, int]:
    """How many alerts the watched company raised, and how many movements it posted."""
    company = watched.headers["X-Company-Id"]
    with database.unit_of_work(write=False) as session:
        alerts = session.scalar(
            select(func.count()).select_from(Alert).where(Alert.company_id == company)
        )
        movements = session.scalar(
            select(func.count()).select_from(Movement).where(Movement.company_id == company)
        )
    return alerts or 0, movements or 0


def _throughput(engine: str, rounds: int) -> list[float]:
    """Deliveries per second of one worker, one round per fresh outbox."""
    rates = []
    with scratch_database(engine) as database, _receiver() as receiver:
        settings = database.settings.model_copy(update={"webhook_allow_private": True})
        with database.unit_of_work() as session:
            company = provision_company(session, name="Bench").id
        sample = {"id": "adj_0", "status": "posted", "items": [{"itemId": "item_0", "quantity": 1}]}
        for _ in range(rounds):
            with database.unit_of_work() as session:
                session.add(
                    WebhookSubscription(
                        company_id=company,
                        id=f"whk_{time.monotonic_ns()}",
                        url=receiver,
                        events=["inventory.adjustment"],
                        secret=new_secret(),
                    )
                )
                for n in range(EVENTS):
                    outbox.emit(
                        session, company, "inventory.adjustment", {**sample, "id": f"adj_{n}"}
                    )
            worker = Worker(database, settings)
            started = time.perf_counter()
            while worker.round():
                pass
            elapsed = time.perf_counter() - started
            worker.close()
            with database.unit_of_work() as session:
                done = session.scalar(
                    select(func.count())
                    .select_from(WebhookDelivery)
                    .where(WebhookDelivery.status == "succeeded")
                )
                session.execute(update(WebhookSubscription).values(active=False))
            rates.append(EVENTS / elapsed)
            print(f"{engine}: {EVENTS} deliveries in {elapsed:.1f} s ({done} succeeded so far)")
    return rates


def render(out: dict[str, Any], engines: Sequence[str], rounds: int, command: str) -> str:
    rows, latency_rows, throughput_rows = [], [], []
    for engine in engines:
        figures = out[engine]["figures"]
        for clients in (1, CLIENTS):
            plain, watched = figures[("plain", clients)], figures[("watched", clients)]
            label = "one client" if clients == 1 else f"{clients} clients"
            rows.append(
                [
                    f"{engine}, {label}",
                    f"{plain.rate:,.0f}",
                    f"{watched.rate:,.0f}",
                    f"{watched.rate / plain.rate:.2f}",
                    str(plain.errors + watched.errors),
                ]
            )
        for name, label in (
            ("steady", "10 postings/s, one client"),
            ("busy", "8 clients flat out"),
        ):
            stats: Stats = out[engine][name]
            latency_rows.append(
                [
                    f"{engine}, {label}",
                    str(len(stats.samples_ms)),
                    f"{stats.median:.0f}",
                    f"{stats.p95:.0f}",
                ]
            )
        rates = out[engine]["throughput"]
        throughput_rows.append(
            [engine, f"{EVENTS:,}", f"{statistics.median(rates):,.0f}", f"{min(rates):,.0f}"]
        )
    versions = ", ".join(f"{e} {out[e]['version']}" for e in engines)
    crossings = "; ".join(
        f"{e}: {out[e]['crossings'][0]:,} alerts raised over {out[e]['crossings'][1]:,} movements"
        for e in engines
    )
    return "\n".join(
        [
            "## Alerts and webhooks",
            "",
            INTRO.format(rounds=rounds),
            "",
            f"- Command: `{command}`",
            f"- Machine: {machine()}; load average {load()} when the run started",
            f"- Software: Python {sys.version.split()[0]}, {versions}",
            f"- Date: {today()}",
            "",
            "### Posting with alerts and subscriptions active",
            "",
            "One-line adjustments per second (medians). Both companies' postings write their "
            "events; the watched company's also raise or resolve alerts ("
            + crossings
            + "), and its deliveries are made by the worker process `stockkeeper serve` starts.",
            "",
            table(["Engine", "Plain/s", "Watched/s", "Watched/plain", "Errors"], rows),
            "",
            "### From commit to delivery",
            "",
            "Milliseconds from a posting's response to its webhook's arrival at the receiver.",
            "",
            table(["Engine, load", "Postings", "Median ms", "p95 ms"], latency_rows),
            "",
            "### Delivery throughput",
            "",
            "One worker delivering a full outbox (one subscription), signed, to the receiver.",
            "",
            table(
                ["Engine", "Events", "Deliveries/s (median)", "Slowest round/s"], throughput_rows
            ),
        ]
    )


def main(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench alerts", description=__doc__)
    parser.add_argument("--engine", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--requests", type=int, default=300, help="per scenario and round")
    parser.add_argument("--write-docs", action="store_true")
    args = parser.parse_args(argv)
    engines = chosen_engines(args.engine)
    if engines is None:
        return 1
    out: dict[str, Any] = {}
    for engine in engines:
        out[engine] = _serving(engine, args.rounds, args.requests)
        print(f"{engine}: postings and latency done", flush=True)
        out[engine]["throughput"] = _throughput(engine, 3)
    command = "python -m bench alerts " + " ".join(argv)
    section = render(out, engines, args.rounds, command.strip())
    publish("alerts", section, args.write_docs)
    return 0
