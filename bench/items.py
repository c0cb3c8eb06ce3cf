"""``python -m bench items``: GET /api/v1/items over a company of 100,000 items.

Fills a scratch database per engine (see bench/item_data.py), then times list requests
through the whole HTTP stack in-process, with FastAPI's TestClient as the tests use it. Each
scenario is requested --rounds times (fewer, but at least 20, when that would take longer
than --budget seconds) after three warm-up requests, and reported as median and p95. The
search requests are also EXPLAINed, to show whether the search index serves them.
"""

from __future__ import annotations

import argparse
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from starlette.exceptions import StarletteDeprecationWarning

from bench import report
from bench.databases import (
    ENGINES,
    POSTGRES_ADMIN_URL,
    postgres_problem,
    scratch_database,
    server_version,
)
from bench.item_data import Catalogue, fill
from bench.items_report import render
from bench.plans import Plan, search_plans
from bench.report import log
from bench.timing import Stats, measure, stopwatch
from stockkeeper.api.app import create_app
from stockkeeper.core.db import Database

with warnings.catch_warnings():
    # The deprecation the test suite ignores too (pyproject.toml): starlette prefers httpx2.
    warnings.simplefilter("ignore", StarletteDeprecationWarning)
    from fastapi.testclient import TestClient

    from bench.items_api import PAGE, ItemsApi, deep_cursors

DEEP_PAGES = (100, 1000)


@dataclass(frozen=True)
class Scenario:
    group: str  # "Pages", "Search" or "Filters"
    label: str  # what the tables show; ids are left out of it
    params: Mapping[str, str]
    series: str = ""  # for pages: the sort whose cursor chain they are on
    page: int = 1


@dataclass(frozen=True)
class Result:
    scenario: Scenario
    stats: Stats
    matches: int  # pagination.total: how selective the filter or search is


@dataclass
class EngineRun:
    engine: str
    version: str
    catalogue: Catalogue
    results: list[Result] = field(default_factory=list)
    plans: dict[str, list[Plan]] = field(default_factory=dict)  # search label -> its queries
    cursors: dict[str, str] = field(default_factory=dict)  # sort -> how deep cursors were had
    seconds: float = 0.0  # the whole engine: fill, timing, plans
    load: str = ""  # the load average when it finished


# --- scenarios -------------------------------------------------------------------------------


def pages(api: ItemsApi, database: Database, run: EngineRun, sort: str) -> list[Scenario]:
    """Page 1 and the deep pages of one sort order (ascending)."""
    depths = [page for page in DEEP_PAGES if (page - 1) * PAGE < len_items(run)]
    offsets = [(page - 1) * PAGE for page in depths]
    cursors, run.cursors[sort] = deep_cursors(
        api, database, run.catalogue.company_id, sort, offsets
    )
    first = Scenario("Pages", "default (sort=name), page 1", {}, sort)
    if sort != "name":
        first = Scenario("Pages", f"sort={sort}, page 1", {"sort": sort}, sort)
    deep = [
        Scenario("Pages", f"sort={sort}, page {page}", {"sort": sort, "cursor": c}, sort, page)
        for page, c in zip(depths, cursors, strict=True)
    ]
    return [first, *deep]


def len_items(run: EngineRun) -> int:
    return run.catalogue.rows.get("item", 0)


def searches(catalogue: Catalogue) -> list[Scenario]:
    fragment = catalogue.probe_code[:-2]  # e.g. "FIL-0500": a code prefix with a few matches
    return [
        Scenario("Search", "name word: search=bracket", {"search": "bracket"}),
        Scenario("Search", f"item code fragment: search={fragment}", {"search": fragment}),
        Scenario(
            "Search", "exact barcode: search=<13 digits>", {"search": catalogue.probe_barcode}
        ),
        Scenario("Search", "description word: search=corrosion", {"search": "corrosion"}),
        Scenario("Search", "2 characters: search=m8", {"search": "m8"}),
    ]


def filters(catalogue: Catalogue) -> list[Scenario]:
    top, leaf = catalogue.top_categories[0], catalogue.leaf_categories[0]
    price_range = {"costPriceMin": "10", "costPriceMax": "20"}
    both = {"includeVariants": "true", "includeImages": "true"}
    return [
        Scenario("Filters", "category=<department> (15 categories)", {"category": top}),
        Scenario("Filters", "category=<leaf category>", {"category": leaf}),
        Scenario("Filters", "type=service", {"type": "service"}),
        Scenario("Filters", "lowStock=true", {"lowStock": "true"}),
        Scenario("Filters", "outOfStock=true", {"outOfStock": "true"}),
        Scenario("Filters", "costPriceMin=10&costPriceMax=20", price_range),
        Scenario("Filters", "supplier=<one of 300>", {"supplier": catalogue.supplier_ids[0]}),
        Scenario("Filters", "sort=costPrice&order=desc", {"sort": "costPrice", "order": "desc"}),
        Scenario("Filters", "includeVariants=true&includeImages=true", both),
    ]


# --- running ---------------------------------------------------------------------------------


def run_engine(engine: str, options: argparse.Namespace) -> EngineRun:
    elapsed = stopwatch()
    with scratch_database(engine, options.postgres_url) as database:
        log(f"[{engine}] filling {options.items:,} items ...")
        catalogue = fill(database, items=options.items, seed=options.seed)
        log(f"[{engine}] filled in {catalogue.seconds:.1f} s")
        run = EngineRun(engine, server_version(database), catalogue)
        with TestClient(create_app(database.settings, database)) as client:
            api = ItemsApi(client, token=catalogue.token, company_id=catalogue.company_id)
            chosen = [
                *pages(api, database, run, "name"),
                *pages(api, database, run, "stock"),
                *searches(catalogue),
                *filters(catalogue),
            ]
            log(f"[{engine}] deep cursors: {run.cursors}")
            run.results = [time_scenario(engine, api, s, options) for s in chosen]
            for scenario in chosen:
                if scenario.group == "Search":
                    run.plans[scenario.label] = explain(engine, database, api, scenario)
    run.seconds, run.load = elapsed(), report.load()
    return run


def time_scenario(
    engine: str, api: ItemsApi, scenario: Scenario, options: argparse.Namespace
) -> Result:
    matches = int(api.page(scenario.params)["pagination"]["total"])
    stats = measure(lambda: api.get(scenario.params), options.rounds, options.budget)
    log(
        f"[{engine}] {scenario.label:<45} {matches:>7,} matches {len(stats.samples_ms):>4} req"
        f"  median {stats.median:7.1f} ms  p95 {stats.p95:7.1f} ms"
    )
    return Result(scenario, stats, matches)


def explain(engine: str, database: Database, api: ItemsApi, scenario: Scenario) -> list[Plan]:
    plans = search_plans(database, lambda: api.get(scenario.params))
    log(f"[{engine}] EXPLAIN {scenario.label}: " + "; ".join(p.verdict for p in plans))
    return plans


# --- command line ----------------------------------------------------------------------------


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def parse(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench items", description=(__doc__ or "").split("\n\n")[1]
    )
    parser.add_argument(
        "--engine", choices=(*ENGINES, "both"), help="default: both when PostgreSQL answers"
    )
    parser.add_argument("--items", type=_positive, default=100_000, help="default: 100000")
    parser.add_argument(
        "--rounds", type=_positive, default=100, help="timed requests per scenario (default: 100)"
    )
    parser.add_argument(
        "--budget", type=float, default=6.0, help="seconds of timing per scenario (default: 6)"
    )
    parser.add_argument("--seed", type=int, default=1, help="of the generated catalogue")
    parser.add_argument(
        "--postgres-url",
        default=POSTGRES_ADMIN_URL,
        help="a database on the server, used only to create and drop the run's own "
        "(default: $STOCKKEEPER_BENCH_POSTGRES_URL or the local 'test' database)",
    )
    parser.add_argument(
        "--write-docs", action="store_true", help="write the results into docs/benchmarks.md"
    )
    return parser.parse_args(argv)


def engines(choice: str | None, postgres_url: str) -> list[str]:
    if choice == "sqlite":
        return ["sqlite"]
    problem = postgres_problem(postgres_url)
    if problem and choice is None:
        log(f"PostgreSQL not reachable at {postgres_url} ({problem}): SQLite only")
        return ["sqlite"]
    if problem:
        raise SystemExit(f"error: PostgreSQL not reachable at {postgres_url}: {problem}")
    return ["postgresql"] if choice == "postgresql" else list(ENGINES)


def main(argv: Sequence[str]) -> int:
    options = parse(argv)
    load = report.load()
    runs = [run_engine(engine, options) for engine in engines(options.engine, options.postgres_url)]
    body = render(runs, options, load)
    report.publish("items", body, options.write_docs)
    return 0
