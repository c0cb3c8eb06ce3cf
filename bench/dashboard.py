"""``python -m bench dashboard``: the dashboard and the report screens over the costing
benchmark's company, over HTTP.

Fills a scratch database per engine as ``python -m bench costing`` does (--items items,
--movements movements over two years, written in bulk; every 20th item given a minimum
stock), adds an admin with a password, serves the app with uvicorn on a loopback port (in a
thread of the benchmark's process), signs in through the sign-in form and asks for each page
once (the first run: it replays the ledger and keeps the month-end snapshots later runs start
from), then times --rounds more requests of it (fewer, but at least 20, when that would take
longer than --budget seconds) after three warm-up requests, reported as median and p95.
"""

from __future__ import annotations

import argparse
import socket
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field

import httpx
import uvicorn
from fastapi import FastAPI
from sqlalchemy import select, update

from bench import report
from bench.costing import END, Company, company_options, fill
from bench.databases import scratch_database, server_version
from bench.items import engines
from bench.items_report import ENGINE_NAMES
from bench.report import log
from bench.timing import Stats, measure, stopwatch
from bench.web_pages import add_person, sign_in
from stockkeeper.api.app import create_app
from stockkeeper.catalog.models import Item
from stockkeeper.core.db import Database

AIM_MS = 1000.0  # the aim: the dashboard and the reports under 1 s at the 95th percentile
WATCHED = 20  # one item in this many has a minimum stock


@dataclass(frozen=True)
class Page:
    label: str
    path: str
    shows: str  # text the answer must hold: the page meant, not an error page


@dataclass(frozen=True)
class Result:
    page: Page
    first_s: float
    stats: Stats
    size: int  # bytes of HTML


@dataclass
class EngineRun:
    engine: str
    version: str
    company: Company
    results: list[Result] = field(default_factory=list)
    load: str = ""


PAGES = (
    Page("dashboard", "/", "Stock value now"),
    Page("valuation report", "/reports/valuation", "Value by location"),
    Page("movements report, this month", "/reports/movements", "Stock movements"),
    Page(
        "movements report, one month before",
        f"/reports/movements?date_from={END:%Y-%m}-01&date_to={END.isoformat()}",
        "Stock movements",
    ),
    Page("low-stock report", "/reports/low-stock", "Estimated cost"),
    Page("ABC analysis, a year", "/reports/abc", "Usage value by class"),
    Page("open alerts", "/alerts", "Alerts"),
)


@contextmanager
def serving(app: FastAPI) -> Iterator[str]:
    """The app under uvicorn on a free loopback port, in a thread of this process: its URL."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_config=None, access_log=False)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started and thread.is_alive():
        time.sleep(0.02)
    if not server.started:
        raise RuntimeError("the server did not start")
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join()


def watch_some(database: Database, company_id: str) -> None:
    """A minimum stock on every WATCHED-th item, so that the low-stock figures have rows."""
    with database.engine.begin() as connection:
        ids = connection.scalars(select(Item.id).where(Item.company_id == company_id)).all()
        watched = sorted(ids)[::WATCHED]
        connection.execute(
            update(Item)
            .where(Item.company_id == company_id, Item.id.in_(watched))
            .values(minimum_stock=15)
        )


def time_page(engine: str, http: httpx.Client, page: Page, options: argparse.Namespace) -> Result:
    clock = stopwatch()
    answer = http.get(page.path, timeout=None)
    first = clock()
    assert answer.status_code == 200, (page, answer.status_code)
    assert page.shows in answer.text, page
    stats = measure(lambda: http.get(page.path).raise_for_status(), options.rounds, options.budget)
    log(
        f"[{engine}] {page.label:<38} first {first:7.2f} s  {len(stats.samples_ms):>4} req  "
        f"median {stats.median:7.1f} ms  p95 {stats.p95:7.1f} ms"
    )
    return Result(page, first, stats, len(answer.content))


def run_engine(engine: str, options: argparse.Namespace) -> EngineRun:
    with scratch_database(engine, options.postgres_url) as database:
        log(f"[{engine}] writing {options.items:,} items and {options.movements:,} movements ...")
        company = fill(database, options.items, options.movements, options.hot, options.seed)
        log(f"[{engine}] written in {company.seconds:.0f} s")
        watch_some(database, company.company_id)
        add_person(database, company.company_id)
        run = EngineRun(engine, server_version(database), company)
        with (
            serving(create_app(database.settings, database)) as url,
            httpx.Client(base_url=url, timeout=120) as http,
        ):
            sign_in(http)
            run.results = [time_page(engine, http, page, options) for page in PAGES]
    run.load = report.load()
    return run


# --- the report --------------------------------------------------------------------------


def engine_section(run: EngineRun) -> str:
    header = ["Page", "HTML KiB", "First run s", "Requests", "Median ms", "p95 ms", "p95 < 1 s"]
    rows = [
        [
            r.page.label,
            f"{r.size / 1024:.0f}",
            f"{r.first_s:.2f}",
            str(len(r.stats.samples_ms)),
            f"{r.stats.median:.1f}",
            f"{r.stats.p95:.1f}",
            "yes" if r.stats.p95 < AIM_MS else "**no**",
        ]
        for r in run.results
    ]
    return "\n\n".join(
        [
            f"### {ENGINE_NAMES[run.engine]} {run.version}",
            f"Written in {run.company.seconds:.0f} s ({run.company.movements:,} movements); "
            f"load average {run.load} at the end.",
            report.table(header, rows),
        ]
    )


def render(runs: Sequence[EngineRun], options: argparse.Namespace, load: str) -> str:
    intro = f"""\
## Dashboard and report screens

The web UI's dashboard (the stock value now and at each of the last twelve month ends, open
alerts, items at or below their thresholds, documents waiting for approval, the latest
movements) and report screens over the costing benchmark's company: {options.items:,} items
and about {options.movements:,} movements over two years, every {WATCHED}th item with a
minimum stock. Served by uvicorn (one process, the app in a thread of the benchmark's) and
asked for over HTTP by one keep-alive client signed in as an admin. Each page is asked for
once first (shown apart: it replays the ledger and keeps the month-end snapshots), then 3
warm-up requests and up to {options.rounds} timed requests, fewer (at least 20) when they
would take more than {options.budget:g} s; p95 is the nearest-rank percentile.

The aim, from the issue: the dashboard and the reports answer in under 1 s at the 95th
percentile after a first run.

- Command: `.venv/bin/python -m bench dashboard --items {options.items} --movements \
{options.movements} --rounds {options.rounds} --budget {options.budget:g} --write-docs`
- Machine: {report.machine()}; load average {load} when the run started
- Date: {report.today()}"""
    return "\n\n".join([intro, *(engine_section(run) for run in runs)])


def parse(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench dashboard", description=(__doc__ or "").split("\n\n")[1]
    )
    company_options(parser)
    parser.set_defaults(rounds=50, engine=None)
    parser.add_argument(
        "--budget", type=float, default=20.0, help="seconds of timing per page (default: 20)"
    )
    return parser.parse_args(argv)


def main(argv: Sequence[str]) -> int:
    options = parse(argv)
    load = report.load()
    chosen = None if options.engine == "both" else options.engine
    runs = [run_engine(engine, options) for engine in engines(chosen, options.postgres_url)]
    body = render(runs, options, load)
    report.publish("dashboard", body, options.write_docs)
    return 0
