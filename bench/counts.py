"""``python -m bench counts``: a stock count of --lines items, posted.

Builds one company per engine with a warehouse of --lines items (written in bulk) holding
stock from one opening adjustment. Each round then opens a count of the whole warehouse
(the snapshot: one line per item), adds one counted entry per item in one call, every one
of them off by one unit (so the posting's adjustment has a line per item: the worst case),
submits it, and times approve + post, each its own transaction as the API runs them
(``unit_of_work`` with its commit), through the service functions the API calls. The first
round is shown apart; the figure is the median of the --rounds after it.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from bench import report
from bench.costing import insert_items
from bench.databases import ENGINES, chosen_engines, scratch_database, server_version
from bench.item_data import settle
from bench.report import log
from bench.timing import stopwatch
from stockkeeper.adjustments.service import create_adjustment
from stockkeeper.adjustments.values import AdjustmentLine, NewAdjustment
from stockkeeper.catalog.service import locations
from stockkeeper.catalog.values import NewLocation
from stockkeeper.core.db import Database
from stockkeeper.core.ids import new_id
from stockkeeper.counts import service
from stockkeeper.counts.values import CountedLines, CountEntry, NewCount
from stockkeeper.stock.service.provisioning import provision_company
from stockkeeper.tenancy.service import Actor, Role

AIM_POST_S = 2.0
STOCK = 100


@dataclass
class EngineRun:
    engine: str
    version: str
    setup_s: float = 0.0
    # per round: open s, count s, approve + post s, the same adjustment alone s
    rounds: list[tuple[float, float, float, float]] = field(default_factory=list)


def fill(database: Database, lines: int) -> tuple[Actor, str, list[str]]:
    """A company with a warehouse of ``lines`` items, STOCK of each."""
    with database.unit_of_work() as session:
        company = provision_company(session, name="Count Benchmark Ltd", currency="MYR")
        actor = Actor(company_id=company.id, key_id=None, name="bench", role=Role.admin)
        place = NewLocation(name="Warehouse", code="W1", type="warehouse")
        warehouse = locations.create_location(session, actor, location=place).id
    item_ids = [new_id("item") for _ in range(lines)]
    with database.engine.begin() as connection:
        insert_items(connection, company.id, item_ids, "CNT", "Counted item")
    settle(database)
    opening = [
        AdjustmentLine.model_construct(
            item_id=item_id, adjustment_quantity=Decimal(STOCK), unit_cost=Decimal(10)
        )
        for item_id in item_ids
    ]
    with database.unit_of_work() as session:
        adjustment = NewAdjustment.model_construct(
            reason="initial_stock", location_id=warehouse, items=opening
        )
        create_adjustment(session, actor, adjustment=adjustment)
    return actor, warehouse, item_ids


def one_round(
    database: Database, actor: Actor, warehouse: str, item_ids: list[str], n: int
) -> tuple[float, float, float, float]:
    """Opens, counts and submits a count, then approves and posts it; then posts the same
    variances (undone) as an adjustment of its own, the floor the count's posting stands on.
    The four times."""
    clock = stopwatch()
    with database.unit_of_work() as session:
        count_id = service.open_count(
            session, actor, count=NewCount(location_id=warehouse)
        ).count.id
    opened = clock()
    # every line off by one, up and down in turn: an adjustment line per item
    entries = [
        CountEntry(item_id=item_id, add=Decimal(STOCK + (1 if (k + n) % 2 else -1)))
        for k, item_id in enumerate(item_ids)
    ]
    clock = stopwatch()
    with database.unit_of_work() as session:
        entered = CountedLines(entries=entries).entries
        service.count_lines(session, actor, count_id=count_id, entries=entered)
    counting = clock()
    with database.unit_of_work() as session:
        service.submit_count(session, actor, count_id=count_id)
    clock = stopwatch()
    with database.unit_of_work() as session:
        service.approve_count(session, actor, count_id=count_id)
    with database.unit_of_work() as session:
        posted = service.post_count(session, actor, count_id=count_id)
    posting = clock()
    assert posted.count.adjustment_id is not None
    assert posted.counted_lines == len(item_ids)
    undo = [
        AdjustmentLine.model_construct(
            item_id=item_id, adjustment_quantity=Decimal(-1 if (k + n) % 2 else 1)
        )
        for k, item_id in enumerate(item_ids)
    ]
    clock = stopwatch()
    with database.unit_of_work() as session:
        adjustment = NewAdjustment.model_construct(
            reason="stock_count", location_id=warehouse, items=undo
        )
        create_adjustment(session, actor, adjustment=adjustment, movement_type="count")
    return opened, counting, posting, clock()


def run_engine(engine: str, options: argparse.Namespace) -> EngineRun:
    with scratch_database(engine) as database:
        run = EngineRun(engine, server_version(database))
        clock = stopwatch()
        actor, warehouse, item_ids = fill(database, options.lines)
        run.setup_s = clock()
        log(f"[{engine}] {options.lines:,} items in stock in {run.setup_s:.1f} s")
        for n in range(options.rounds + 1):
            figures = one_round(database, actor, warehouse, item_ids, n)
            run.rounds.append(figures)
            log(
                f"[{engine}] round {n}: open {figures[0]:.2f} s, count {figures[1]:.2f} s, "
                f"approve + post {figures[2]:.2f} s, the adjustment alone {figures[3]:.2f} s"
            )
    return run


def _median(values: list[float]) -> float:
    return sorted(values)[len(values) // 2]


def render(runs: list[EngineRun], options: argparse.Namespace, load: str) -> str:
    lines = [
        "## Stock counts",
        "",
        f"A count of a warehouse of {options.lines:,} items (one line each), every line counted "
        "one unit off, so that posting writes an adjustment of "
        f"{options.lines:,} lines. Each round opens the count (the snapshot), adds the "
        f"{options.lines:,} counted entries in one call, submits it, then approves and posts "
        "it, each step its own transaction through the service functions the API calls. The "
        f"first round is shown apart; the figures are the median of the {options.rounds} "
        "rounds after it. Beside them, the same variances posted (back) as an adjustment of "
        "their own through `create_adjustment`: the floor a count's posting stands on, since "
        "it posts through the adjustments.",
        "",
        f"Aim (SQLite): approve + post of {options.lines:,} lines in under {AIM_POST_S:.0f} s.",
        "",
        f"- Command: `python -m bench counts --lines {options.lines} --rounds {options.rounds} "
        "--write-docs`",
        f"- Machine: {report.machine()}; load average {load} when the run started",
        f"- Date: {report.today()}",
        "",
    ]
    rows = []
    for run in runs:
        first, rest = run.rounds[0], run.rounds[1:]
        median = [_median([r[k] for r in rest]) for k in range(4)]
        verdict = "" if run.engine != "sqlite" else ("met" if median[2] < AIM_POST_S else "MISSED")
        rows.append(
            [
                f"{run.engine} {run.version}",
                f"{median[0]:.2f}",
                f"{median[1]:.2f}",
                f"{first[2]:.2f}",
                f"{median[2]:.2f}",
                f"{median[3]:.2f}",
                verdict,
            ]
        )
    lines.append(
        report.table(
            [
                "Engine",
                "Open s",
                "Count s",
                "Approve + post, first s",
                "Approve + post s",
                "Adjustment alone s",
                "Aim",
            ],
            rows,
        )
    )
    return "\n".join(lines) + "\n"


def parse(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench counts", description=__doc__)
    parser.add_argument("--engine", choices=[*ENGINES, "both"], default="both")
    parser.add_argument("--lines", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--write-docs", action="store_true")
    return parser.parse_args(argv)


def main(argv: Sequence[str]) -> int:
    options = parse(argv)
    load = report.load()
    engines = chosen_engines(options.engine)
    if engines is None:
        return 1
    runs = [run_engine(engine, options) for engine in engines]
    body = render(runs, options, load)
    report.publish("counts", body, options.write_docs)
    return 0
