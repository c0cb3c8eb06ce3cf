"""``python -m bench costing``: valuation and the period reports over a long ledger.

Builds one company per engine with --items items and --movements movements over two years
(written in bulk, straight into the ledger table, as a migration from another system would:
receipts, sales and transfers between three warehouses, never below zero), one of the items
with --hot movements of its own. Then times through the HTTP stack, in-process: the
valuation report today and a year back under average cost and FIFO, the movements report
for a month, the ABC analysis for a year, and posting a receipt dated a year back for the
hot item followed by reading its stock row (which replays its history). Reports the median
of --rounds runs of each, and the process's peak memory.
"""

from __future__ import annotations

import argparse
import random
import resource
import warnings
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, insert
from starlette.exceptions import StarletteDeprecationWarning

from bench import report
from bench.databases import (
    ENGINES,
    POSTGRES_ADMIN_URL,
    postgres_problem,
    scratch_database,
    server_version,
)
from bench.item_data import settle
from bench.report import log
from bench.timing import stopwatch
from stockkeeper.api.app import create_app
from stockkeeper.catalog.models import Item
from stockkeeper.catalog.service import locations
from stockkeeper.catalog.values import NewLocation
from stockkeeper.core.db import Database
from stockkeeper.core.ids import new_id
from stockkeeper.stock.models import Movement
from stockkeeper.stock.service.locations import virtual_locations
from stockkeeper.stock.service.provisioning import provision_company
from stockkeeper.tenancy.service import Actor, NewApiKey, Role, create_api_key

with warnings.catch_warnings():
    warnings.simplefilter("ignore", StarletteDeprecationWarning)
    from fastapi.testclient import TestClient

END = date(2026, 11, 26)
START = END - timedelta(days=730)
BATCH = 20_000
REPORTS = "/api/v1/inventory/reports"


@dataclass
class Company:
    company_id: str
    token: str
    hot_item: str
    warehouse: str
    movements: int = 0
    seconds: float = 0.0


@dataclass
class EngineRun:
    engine: str
    version: str
    company: Company
    # label, first run s (None when not asked), median s, note
    timings: list[tuple[str, float | None, float, str]] = field(default_factory=list)
    peak_mb: float = 0.0


def _movements(
    rng: random.Random,
    company_id: str,
    item_id: str,
    count: int,
    places: list[str],
    outside: dict[str, str],
) -> Iterator[dict[str, Any]]:
    """``count`` movements of one item in date order: receipts, sales, transfers."""
    held = dict.fromkeys(places, 0)
    days = sorted(START + timedelta(days=rng.randrange(730)) for _ in range(count))
    for day in days:
        place = rng.choice(places)
        roll = rng.random()
        quantity = rng.randint(1, 20)
        if roll < 0.45 or held[place] == 0:
            cost = Decimal(rng.randint(100, 5000)) / 100
            source, target, kind = outside["supplier"], place, "purchase"
            value = cost * quantity
            held[place] += quantity
        elif roll < 0.85:
            quantity = min(quantity, held[place])
            source, target, kind, value = place, outside["customer"], "sale", Decimal(0)
            held[place] -= quantity
        else:
            quantity = min(quantity, held[place])
            other = rng.choice([p for p in places if p != place])
            source, target, kind, value = place, other, "transfer", Decimal(0)
            held[place] -= quantity
            held[other] += quantity
        yield {
            "company_id": company_id,
            "id": new_id("mov"),
            "item_id": item_id,
            "from_location_id": source,
            "to_location_id": target,
            "quantity": Decimal(quantity),
            "unit_cost": value / quantity if value else Decimal(0),
            "value": value,  # what a sale or transfer left with is the replay's business
            "movement_type": kind,
            "document_type": "import",
            "document_id": "import",
            "effective_date": day,
            "created_by": "import",
        }


def insert_items(
    connection: Connection, company_id: str, item_ids: list[str], code: str, name: str
) -> None:
    """Plain stock items, written in bulk: ``<code>-00001`` named ``<name> 1``, and so on."""
    connection.execute(
        insert(Item),
        [
            {
                "company_id": company_id,
                "id": item_id,
                "item_code": f"{code}-{n:05d}",
                "article_number": f"{code}-{n:05d}",  # unique per company since migration 0020
                "name": f"{name} {n}",
                "sort_name": f"{name.lower()} {n:05d}",
                "search_text": f"{code.lower()}-{n:05d} {name.lower()} {n}",
                "type": "inventory",
                "unit": "pcs",
                "cost_price": Decimal(10),
                "selling_price": Decimal(20),
                "currency": "MYR",
                "tracked": True,
                "tracking": "none",
                "taxable": True,
                "is_active": True,
                "accounting": {},
                "custom_fields": {},
            }
            for n, item_id in enumerate(item_ids)
        ],
    )


def fill(database: Database, items: int, movements: int, hot: int, seed: int) -> Company:
    elapsed = stopwatch()
    rng = random.Random(seed)
    with database.unit_of_work() as session:
        company = provision_company(session, name="Costing Benchmark Ltd", currency="MYR")
        actor = Actor(company_id=company.id, key_id="bench", name="bench", role=Role.admin)
        admin = NewApiKey(role="admin", name="bench")
        _, token = create_api_key(session, Actor.system(company.id, "bench"), key=admin)
        places = [
            locations.create_location(
                session,
                actor,
                location=NewLocation(name=f"Warehouse {n}", code=f"W{n}", type="warehouse"),
            ).id
            for n in (1, 2, 3)
        ]
        outside = virtual_locations(session, company.id, cached=False)
    item_ids = [new_id("item") for _ in range(items)]
    with database.engine.begin() as connection:
        insert_items(connection, company.id, item_ids, "C", "Costed item")
    per_item = max(1, (movements - hot) // (items - 1))
    plan = [(item_ids[0], hot)] + [(item_id, per_item) for item_id in item_ids[1:]]
    written, rows = 0, list[dict[str, Any]]()
    for item_id, count in plan:
        rows.extend(_movements(rng, company.id, item_id, count, places, outside))
        if len(rows) >= BATCH:
            written += _write(database, rows)
            rows = []
    written += _write(database, rows)
    settle(database)
    return Company(company.id, token, item_ids[0], places[0], written, elapsed())


def _write(database: Database, rows: list[dict[str, Any]]) -> int:
    if rows:
        with database.engine.begin() as connection:
            connection.execute(insert(Movement), rows)
    return len(rows)


def _median(call: Any, rounds: int) -> float:
    samples = []
    for _ in range(rounds):
        clock = stopwatch()
        call()
        samples.append(clock())
    return sorted(samples)[len(samples) // 2]


def run_engine(engine: str, options: argparse.Namespace) -> EngineRun:
    with scratch_database(engine, options.postgres_url) as database:
        log(f"[{engine}] writing {options.items:,} items and {options.movements:,} movements ...")
        company = fill(database, options.items, options.movements, options.hot, options.seed)
        log(f"[{engine}] written in {company.seconds:.0f} s")
        run = EngineRun(engine, server_version(database), company)
        headers = {"Authorization": f"Bearer {company.token}", "X-Company-Id": company.company_id}
        year_back = END - timedelta(days=365)
        with TestClient(create_app(database.settings, database)) as client:

            def get(path: str, **params: Any) -> Any:
                response = client.get(path, params=params, headers=headers)
                assert response.status_code == 200, response.text
                return response.json()["data"]

            scenarios = [
                (
                    "valuation today, average",
                    f"{REPORTS}/valuation",
                    {"valuationMethod": "average"},
                ),
                ("valuation today, FIFO", f"{REPORTS}/valuation", {"valuationMethod": "fifo"}),
                (
                    "valuation a year back, average",
                    f"{REPORTS}/valuation",
                    {"valuationMethod": "average", "asOfDate": year_back.isoformat()},
                ),
                (
                    "valuation a year back, FIFO",
                    f"{REPORTS}/valuation",
                    {"valuationMethod": "fifo", "asOfDate": year_back.isoformat()},
                ),
                (
                    "movements report, one month",
                    f"{REPORTS}/movements",
                    {"dateFrom": "2026-10-01", "dateTo": "2026-10-31"},
                ),
                (
                    "ABC analysis, one year",
                    f"{REPORTS}/abc-analysis",
                    {"periodFrom": year_back.isoformat(), "periodTo": END.isoformat()},
                ),
            ]
            for label, path, params in scenarios:
                clock = stopwatch()
                document = get(path, **params)  # the first run takes the snapshots
                first = clock()
                note = (
                    f"{document['summary']['totalItems']:,} items" if "summary" in document else ""
                )
                seconds = _median(lambda p=path, q=params: get(p, **q), options.rounds)
                log(f"[{engine}] {label}: first {first:.2f} s, then {seconds:.2f} s")
                run.timings.append((label, first, seconds, note))
            n = 0

            def backdated() -> None:
                nonlocal n
                n += 1
                body = {
                    "reason": "found",
                    "locationId": company.warehouse,
                    "date": year_back.isoformat(),
                    "items": [{"itemId": company.hot_item, "adjustmentQuantity": 1, "unitCost": 7}],
                }
                response = client.post("/api/v1/inventory/adjustments", json=body, headers=headers)
                assert response.status_code == 201, response.text

            seconds = _median(backdated, max(options.rounds, 5))
            run.timings.append(
                (
                    "backdated receipt for the hot item",
                    None,
                    seconds,
                    f"{options.hot:,} later movements",
                )
            )
            seconds = _median(
                lambda: get("/api/v1/inventory/stock", itemId=company.hot_item), options.rounds
            )
            run.timings.append(("its stock rows, re-costed", None, seconds, "replays its history"))
        run.peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return run


def render(runs: list[EngineRun], options: argparse.Namespace, load: str) -> str:
    lines = [
        "## Costing and reports",
        "",
        f"A company of {options.items:,} items and about {options.movements:,} movements over two "
        "years (receipts, sales and transfers between three warehouses, written in bulk), one "
        f"item with {options.hot:,} of them. Each figure is the median of {options.rounds} runs "
        "through the HTTP stack, in-process, after a first run shown apart: a report's first "
        "run replays the ledger from the start and keeps month-end and latest-day snapshots of "
        "each item's costs (costing/service/snapshots.py), which later runs start from. The "
        "backdated receipt is an adjustment dated a year back for that item, which voids its "
        "snapshots; "
        "its stock row is then read (valued by replaying it).",
        "",
        "Aims (SQLite): valuation of 10,000 items under average cost in under 1 s, under FIFO "
        "in under 3 s; the backdated receipt in under 50 ms; memory under 300 MB throughout.",
        "",
        f"- Command: `python -m bench costing --items {options.items} --movements "
        f"{options.movements} --rounds {options.rounds} --write-docs`",
        f"- Machine: {report.machine()}; load average {load} when the run started",
        f"- Date: {report.today()}",
        "",
    ]
    for run in runs:
        lines += [
            f"### {run.engine} {run.version}",
            "",
            f"Written in {run.company.seconds:.0f} s ({run.company.movements:,} movements). "
            f"Peak memory of the process: {run.peak_mb:.0f} MB.",
            "",
            report.table(
                ["Scenario", "First run s", "Median s", "Note"],
                [
                    [label, "" if first is None else f"{first:.3f}", f"{seconds:.3f}", note]
                    for label, first, seconds, note in run.timings
                ],
                right=1,
            ),
            "",
        ]
    return "\n".join(lines)


def parse(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench costing", description=__doc__)
    return company_options(parser).parse_args(argv)


def company_options(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    """The options of a benchmark over the company ``fill`` builds."""
    parser.add_argument("--engine", choices=[*ENGINES, "both"], default="both")
    parser.add_argument("--items", type=int, default=10_000)
    parser.add_argument("--movements", type=int, default=1_000_000)
    parser.add_argument("--hot", type=int, default=10_000, help="movements of the one hot item")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--postgres-url", default=POSTGRES_ADMIN_URL)
    parser.add_argument("--write-docs", action="store_true")
    return parser


def main(argv: Sequence[str]) -> int:
    options = parse(argv)
    load = report.load()
    engines = list(ENGINES) if options.engine == "both" else [options.engine]
    if "postgresql" in engines and (problem := postgres_problem(options.postgres_url)):
        log(f"skipping PostgreSQL: {problem}")
        engines.remove("postgresql")
    runs = [run_engine(engine, options) for engine in engines]
    body = render(runs, options, load)
    report.publish("costing", body, options.write_docs)
    return 0
