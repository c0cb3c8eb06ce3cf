"""``python -m bench web``: the lists and forms of the web UI over the item benchmark's company.

Fills a scratch database per engine as ``python -m bench items`` does (bench/item_data.py),
posts the company's documents through the services (bench/document_data.py), adds a person
who may open every screen (an admin), starts the real server (``stockkeeper serve``, one
process) on it, signs in through the sign-in form and times GET requests of the pages over
HTTP with one keep-alive client: every list (first page, next page by its cursor, searches,
filters), every form and a page of each kind of document (bench/web_screens.py). Each page
is requested --rounds times (fewer, but at least 20, when that would take longer than
--budget seconds) after three warm-up requests, and reported as median and p95.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field

import httpx

from bench import report
from bench.databases import POSTGRES_ADMIN_URL, scratch_database, server_version
from bench.document_data import BINS, Documents, Seeded, seed
from bench.item_data import Catalogue, fill
from bench.items import engines
from bench.items_report import ENGINE_NAMES, rows_written
from bench.postings import _server_process
from bench.report import log
from bench.timing import Stats, measure, stopwatch
from bench.web_screens import Company, Page, pages
from stockkeeper.core.db import Database
from stockkeeper.people.service.accounts import NewMember, add_member
from stockkeeper.people.service.signing_in import set_password_with_link
from stockkeeper.tenancy.service import Actor

AIM_MS = 100.0  # the aim: lists and forms under 100 ms at the 95th percentile
EMAIL, PASSWORD = "bench@example.com", "a bench password"
# one server process, and no worker beside it: the documents' events (thousands, delivered to
# no one) would otherwise be worked through while the pages are timed
SERVE_OPTIONS = ("--no-access-log", "--workers", "1", "--no-deliver")
# timed requests of a page slower than --budget allows: a page of a second or more (the stock
# list of a large company) is plain from a few, and 20 of each would double the run's length
LEAST = 5
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@dataclass(frozen=True)
class Result:
    page: Page
    stats: Stats
    size: int  # bytes of HTML


@dataclass
class EngineRun:
    engine: str
    version: str
    catalogue: Catalogue
    seeded: Seeded
    results: list[Result] = field(default_factory=list)
    seconds: float = 0.0
    load: str = ""


def add_person(database: Database, company_id: str) -> None:
    """An admin of the company with a password, as ``stockkeeper user create`` makes one."""
    with database.unit_of_work() as session:
        added = add_member(
            session,
            Actor.system(company_id, "bench"),
            member=NewMember(email=EMAIL, name="Bench", role="admin"),
        )
        assert added.link_token is not None, "a new person gets a link"
        set_password_with_link(session, token=added.link_token, password=PASSWORD)


def sign_in(http: httpx.Client) -> None:
    """Through the form, as a person would: the session cookie then rides on every request."""
    form = http.get("/sign-in")
    token = _CSRF.search(form.text)
    assert token is not None, form.text
    answer = http.post(
        "/sign-in", data={"email": EMAIL, "password": PASSWORD, "csrf_token": token.group(1)}
    )
    assert answer.status_code == 303, f"sign-in answered {answer.status_code}"


def time_page(engine: str, http: httpx.Client, page: Page, options: argparse.Namespace) -> Result:
    answer = http.get(page.path)
    assert answer.status_code == 200, (page, answer.status_code)
    assert page.shows in answer.text, page
    stats = measure(
        lambda: http.get(page.path).raise_for_status(), options.rounds, options.budget, LEAST
    )
    log(
        f"[{engine}] {page.group + ': ' + page.label:<55} {len(stats.samples_ms):>4} req  median "
        f"{stats.median:7.1f} ms  p95 {stats.p95:7.1f} ms"
    )
    return Result(page, stats, len(answer.content))


def run_engine(engine: str, options: argparse.Namespace) -> EngineRun:
    elapsed = stopwatch()
    with scratch_database(engine, options.postgres_url) as database:
        log(f"[{engine}] filling {options.items:,} items ...")
        catalogue = fill(database, items=options.items, seed=options.seed)
        log(f"[{engine}] filled in {catalogue.seconds:.1f} s; posting documents ...")
        seeded = seed(database, catalogue, Documents.for_items(options.items), options.seed)
        log(f"[{engine}] {seeded.movements:,} movements of documents in {seeded.seconds:.1f} s")
        add_person(database, catalogue.company_id)
        company = Company(catalogue, seeded, seeded.busy_item)
        run = EngineRun(engine, server_version(database), catalogue, seeded)
        env = {"STOCKKEEPER_DATABASE_URL": database.settings.database_url}
        command = [sys.executable, "-m", "stockkeeper", "serve", *SERVE_OPTIONS]
        with (
            _server_process(command, env, patience=120) as (url, _pid),
            httpx.Client(base_url=url, timeout=30) as http,
        ):
            sign_in(http)
            chosen = pages(http, company)
            run.results = [time_page(engine, http, page, options) for page in chosen]
    run.seconds, run.load = elapsed(), report.load()
    return run


# --- the report --------------------------------------------------------------------------


def results_table(run: EngineRun) -> str:
    header = ["Page", "HTML KiB", "Requests", "Median ms", "p95 ms", f"p95 < {AIM_MS:.0f} ms"]
    rows = [
        [
            f"{r.page.group}: {r.page.label}",
            f"{r.size / 1024:.0f}",
            str(len(r.stats.samples_ms)),
            f"{r.stats.median:.1f}",
            f"{r.stats.p95:.1f}",
            "yes" if r.stats.p95 < AIM_MS else "**no**",
        ]
        for r in run.results
    ]
    return report.table(header, rows)


def made(seeded: Seeded) -> str:
    """The documents posted and their movements, as a phrase."""
    kinds = ", ".join(f"{count:,} {path.replace('-', ' ')}" for path, count in seeded.made.items())
    return f"{kinds} ({seeded.movements:,} movements)"


def engine_section(run: EngineRun) -> str:
    passing = sum(1 for r in run.results if r.stats.p95 < AIM_MS)
    return "\n\n".join(
        [
            f"### {ENGINE_NAMES[run.engine]} {run.version}",
            f"Filled in {run.catalogue.seconds:.0f} s: {rows_written(run.catalogue)}. "
            f"{made(run.seeded)} posted through the services in {run.seeded.seconds:.0f} s. "
            f"Fill, posting and timing took {run.seconds:.0f} s; load average {run.load} at "
            "the end.",
            results_table(run),
            f"{passing} of {len(run.results)} pages have a p95 under {AIM_MS:.0f} ms.",
        ]
    )


def command(options: argparse.Namespace) -> str:
    engine = f" --engine {options.engine}" if options.engine else ""
    return (
        f".venv/bin/python -m bench web{engine} --items {options.items} --rounds "
        f"{options.rounds} --budget {options.budget:g} --write-docs"
    )


def render(runs: Sequence[EngineRun], options: argparse.Namespace, load: str) -> str:
    versions = ", ".join(f"{ENGINE_NAMES[r.engine]} {r.version}" for r in runs)
    documents = Documents.for_items(options.items)
    intro = f"""\
## Lists and forms of the web UI

Every list and form of the web UI over the item benchmark's company of {options.items:,}
items (the same seeded catalogue as the item list above) and its documents, served by
`stockkeeper serve --workers 1 --no-deliver` (one process, no worker delivering the
documents' events meanwhile) and asked for over HTTP by one keep-alive client signed in
through the sign-in form as an admin (who sees every screen): sessions, CSRF tokens, the
services' queries and Jinja2's rendering, all included. Each page: 3 warm-up requests, then
up to {options.rounds} timed requests, fewer (at least {LEAST}) when they would take more
than {options.budget:g} s; p95 is the nearest-rank percentile (of a few requests, their
slowest).

The catalogue's stock rows are written in bulk without the movements behind them. The
documents are then posted through the services, as the API would post them, each with its
lines, movements, levels, audit rows and events: {documents.adjustments:,} adjustments of
1-4 lines (a third putting stock away into {BINS} bins of the main warehouse, a tenth kept
as drafts), {documents.transfers:,} transfers between the warehouses and the store (a tenth
drafts), {documents.orders:,} purchase orders (half received in full, a fifth in part, the
rest ordered or just created), {documents.issues:,} issues, {documents.returns:,} returns of
some of them and {documents.reservations:,} reservations. The item page is that of the item
with the most movements; a document's page is one from the middle of its list. Lists show
50 items, 50 stock rows or movements, or 25 documents a page.

The aim, from the issue: lists and forms answer in under {AIM_MS:.0f} ms at the 95th
percentile.

- Command: `{command(options)}`
- Machine: {report.machine()}; load average {load} when the run started
- Software: Python {sys.version.split()[0]}, {versions}
- Date: {report.today()}"""
    return "\n\n".join([intro, *(engine_section(run) for run in runs)])


# --- command line ----------------------------------------------------------------------------


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def parse(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench web", description=(__doc__ or "").split("\n\n")[1]
    )
    parser.add_argument(
        "--engine",
        choices=("sqlite", "postgresql", "both"),
        help="default: both when PostgreSQL answers",
    )
    parser.add_argument("--items", type=_positive, default=100_000, help="default: 100000")
    parser.add_argument(
        "--rounds", type=_positive, default=100, help="timed requests per page (default: 100)"
    )
    parser.add_argument(
        "--budget", type=float, default=6.0, help="seconds of timing per page (default: 6)"
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


def main(argv: Sequence[str]) -> int:
    options = parse(argv)
    load = report.load()
    runs = [run_engine(engine, options) for engine in engines(options.engine, options.postgres_url)]
    body = render(runs, options, load)
    report.publish("web", body, options.write_docs)
    return 0
