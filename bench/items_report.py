"""The item benchmark's results as markdown: printed, and the "Item list" docs section."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

from bench import report
from bench.item_data import Catalogue

if TYPE_CHECKING:
    from bench.items import EngineRun, Result

AIM_MS = 30.0  # the aim: p95 of a 50-item page on SQLite, at any depth
ENGINE_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}


def rows_written(catalogue: Catalogue) -> str:
    counts = ", ".join(f"{n:,} {table}" for table, n in catalogue.rows.items())
    categories = len(catalogue.top_categories) + len(catalogue.leaf_categories)
    return (
        f"{counts} rows in bulk; {categories} categories, {len(catalogue.supplier_ids)} "
        f"suppliers and {len(catalogue.location_ids)} locations through the services"
    )


def _meets(result: Result) -> str:
    return "yes" if result.stats.p95 < AIM_MS else "**no**"


def results_table(run: EngineRun) -> str:
    header = ["Scenario", "Matches", "Requests", "Median ms", "p95 ms", f"p95 < {AIM_MS:.0f} ms"]
    rows = [
        [
            f"{r.scenario.group}: {r.scenario.label}",
            f"{r.matches:,}",
            str(len(r.stats.samples_ms)),
            f"{r.stats.median:.1f}",
            f"{r.stats.p95:.1f}",
            _meets(r),
        ]
        for r in run.results
    ]
    return report.table(header, rows)


def depth_ratios(run: EngineRun) -> str:
    """Per sort, each deep page's median over page 1's: near 1x means depth costs nothing."""
    parts = []
    for sort in run.cursors:
        medians = {
            r.scenario.page: r.stats.median for r in run.results if r.scenario.series == sort
        }
        ratios = [f"page {page} {m / medians[1]:.2f}x" for page, m in medians.items() if page > 1]
        if ratios:
            parts.append(f"sort={sort}: {', '.join(ratios)}")
    methods = ", ".join(sorted(set(run.cursors.values())))
    return f"Deep pages against page 1, by median: {'; '.join(parts)} (cursors {methods})."


def plan_summary(run: EngineRun) -> str:
    lines = [
        f"- {label}: " + "; ".join(f"{p.purpose} query: {p.verdict}" for p in plans)
        for label, plans in run.plans.items()
    ]
    return "Search plans (EXPLAIN of the SQL each search request ran):\n\n" + "\n".join(lines)


def plan_listing(run: EngineRun) -> str:
    """The full plans of the first search, the word most users would type."""
    label, plans = next(iter(run.plans.items()))
    blocks = [f"{p.purpose} query:\n\n```\n" + "\n".join(p.lines) + "\n```" for p in plans]
    return f"Plans for {label}:\n\n" + "\n\n".join(blocks)


def engine_section(run: EngineRun) -> str:
    passing = sum(1 for r in run.results if r.stats.p95 < AIM_MS)
    parts = [
        f"### {ENGINE_NAMES[run.engine]} {run.version}",
        f"Filled in {run.catalogue.seconds:.0f} s: {rows_written(run.catalogue)}. Fill, "
        f"timing and plans took {run.seconds:.0f} s; load average {run.load} at the end.",
        results_table(run),
        f"{passing} of {len(run.results)} scenarios have a p95 under {AIM_MS:.0f} ms. "
        + depth_ratios(run),
    ]
    if run.plans:
        parts += [plan_summary(run), plan_listing(run)]
    return "\n\n".join(parts)


def command(options: argparse.Namespace) -> str:
    engine = f" --engine {options.engine}" if options.engine else ""
    return (
        f".venv/bin/python -m bench items{engine} --items {options.items} --rounds "
        f"{options.rounds} --budget {options.budget:g} --write-docs"
    )


def render(runs: Sequence[EngineRun], options: argparse.Namespace, load: str) -> str:
    """The docs section; ``load`` is the load average when the run started."""
    versions = ", ".join(f"{ENGINE_NAMES[r.engine]} {r.version}" for r in runs)
    intro = f"""\
## Item list

`GET /api/v1/items` over one company of {options.items:,} items, timed in-process through the
whole HTTP stack (FastAPI's `TestClient`: routing, authentication, queries, JSON rendering),
50 items a page. Each scenario: 3 warm-up requests, then up to {options.rounds} timed requests,
fewer (at least 20) when they would take more than {options.budget:g} s. *Matches* is the
list's `pagination.total`, *Requests* the number timed, p95 the nearest-rank percentile. Deep
pages use cursors the API issued (`bench/items_api.py` says how they are reached quickly).

The aim, from the issue: p95 under {AIM_MS:.0f} ms for a 50-item page on SQLite whatever the
page depth, with search served by an index, not a table scan: on SQLite the FTS5 trigram
table (three characters and more) or the FTS5 word table with one- and two-character
prefixes (shorter terms, which match the start of a word); on PostgreSQL the pg_trgm GIN
index or the GIN index over the words. PostgreSQL is held to the same line for comparison.
Each search request's statements are captured and EXPLAINed. On SQLite a search first counts
the index's matches (in all companies: at most this company's); up to 1,000, the page query
looks the matches up and sorts them, above that it walks the sort order's index and tests
each item against the matches, which fills a page early.

The data (seeded, the same every run): names and descriptions from word lists, unique item
codes and EAN-13 barcodes, prices with two decimals; 85% stocked goods (a third with a minimum
stock), 10% non-stock goods, 5% services; stock rows for 70% of the stocked goods at 2 or 3
of 3 locations; variants for 3% of the stocked goods, images for a quarter of the items.

- Command: `{command(options)}`
- Machine: {report.machine()}; load average {load} when the run started
- Software: Python {sys.version.split()[0]}, {versions}
- Date: {report.today()}"""
    return "\n\n".join([intro, *(engine_section(run) for run in runs)])
