"""``python -m bench imports``: --rows new items, then --rows opening-stock lines (one per
item at a warehouse), imported from CSV files through import jobs as the worker runs them
(the whole file checked, then chunks, each its own transaction), each import in a process
of its own whose peak memory is read. Meanwhile another process posts one-line adjustments
in a loop, each in its own transaction as the API runs them, and the 95th percentile of
their latency is written beside the import's time, with the same percentile measured before
the imports on the quiet database.

Aims (SQLite): 100,000 items in under 60 s, 100,000 opening-stock lines in under 60 s,
memory under 300 MB; the postings keep answering.
"""

from __future__ import annotations

import argparse
import csv
import multiprocessing
import resource
import time
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from tempfile import TemporaryDirectory
from typing import Any

from bench import report
from bench.databases import ENGINES, chosen_engines, scratch_database, server_version
from bench.report import log
from stockkeeper.adjustments.service import create_adjustment
from stockkeeper.adjustments.values import AdjustmentLine, NewAdjustment
from stockkeeper.catalog.service import locations
from stockkeeper.catalog.values import NewItem, NewLocation
from stockkeeper.core.db import Database
from stockkeeper.core.settings import Settings
from stockkeeper.imports.service import jobs
from stockkeeper.imports.service.kinds import KINDS
from stockkeeper.imports.service.runner import run_import
from stockkeeper.imports.values import NewImport
from stockkeeper.stock.service.items import create_item
from stockkeeper.stock.service.provisioning import provision_company
from stockkeeper.tenancy.service import Actor, Role

AIM_ROWS = 100_000
AIM_S = 60.0
AIM_MB = 300.0
QUIET_S = 5.0


@dataclass
class Imported:
    kind: str
    rows: int
    seconds: float
    peak_mb: float
    state: str
    postings: int
    p95_ms: float


def _database(url: str, data_dir: str) -> Database:
    return Database(Settings(environment="test", database_url=url, data_dir=Path(data_dir)))


def _actor(company_id: str) -> Actor:
    return Actor(company_id=company_id, key_id=None, name="bench", role=Role.admin)


def _items_file(path: Path, rows: int) -> None:
    with path.open("w", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(["itemCode", "name", "type", "category", "costPrice", "sellingPrice"])
        for n in range(rows):
            category = f"Department {n % 20}/Shelf {n % 7}"
            writer.writerow([f"IMP-{n:06d}", f"Imported item {n}", "inventory", category, 1, 2])


def _stock_file(path: Path, rows: int, warehouse: str) -> None:
    with path.open("w", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(["location", "itemCode", "quantity", "unitCost"])
        for n in range(rows):
            writer.writerow([warehouse, f"IMP-{n:06d}", 5 + n % 10, "1.25"])


def _import(url: str, data_dir: str, company_id: str, kind: str, path: str, out: Any) -> None:
    """The child: one import job run to its end; its time, state and peak memory."""
    database = _database(url, data_dir)
    upload = NewImport(kind=kind, file_name=Path(path).name, content=Path(path).read_bytes())
    began = time.perf_counter()
    with database.unit_of_work() as session:
        job_id = jobs.create_import(session, _actor(company_id), upload=upload).id
    view = run_import(database, company_id, job_id)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    out.send((time.perf_counter() - began, view.state, peak))


def _post(
    url: str, data_dir: str, company_id: str, place: tuple[str, str], stop: Any, out: Any
) -> None:
    """The other client: one-line adjustments, in and out in turn, until told to stop."""
    database = _database(url, data_dir)
    actor = _actor(company_id)
    location, item = place
    latencies = []
    n = 0
    while not stop.is_set():
        line = AdjustmentLine(item_id=item, adjustment_quantity=Decimal(1 if n % 2 else -1))
        adjustment = NewAdjustment(reason="found", location_id=location, items=[line])
        began = time.perf_counter()
        with database.unit_of_work() as session:
            create_adjustment(session, actor, adjustment=adjustment)
        latencies.append(time.perf_counter() - began)
        n += 1
    out.send(latencies)


def _p95(latencies: list[float]) -> float:
    ordered = sorted(latencies)
    return ordered[int(len(ordered) * 0.95)] * 1000 if ordered else float("nan")


class Poster:
    """The posting client in a process of its own, started and stopped around a span."""

    def __init__(self, context: Any, args: tuple[Any, ...]) -> None:
        self.stop = context.Event()
        self.receive, send = context.Pipe(duplex=False)
        self.process = context.Process(target=_post, args=(*args, self.stop, send))
        self.process.start()

    def finish(self) -> list[float]:
        self.stop.set()
        latencies: list[float] = self.receive.recv()
        self.process.join()
        return latencies


def run_engine(engine: str, rows: int) -> tuple[str, float, list[Imported]]:
    context = multiprocessing.get_context("spawn")
    with scratch_database(engine) as database, TemporaryDirectory() as directory:
        url = database.engine.url.render_as_string(hide_password=False)
        data_dir = str(database.settings.data_dir)
        with database.unit_of_work() as session:
            company = provision_company(session, name="Import Benchmark Ltd", currency="MYR")
            actor = _actor(company.id)
            place = NewLocation(name="Warehouse", code="W1", type="warehouse")
            warehouse = locations.create_location(session, actor, location=place).id
            posted = NewItem(item_code="POSTED", name="Posted in a loop", type="inventory")
            item = create_item(session, actor, item=posted).item.id
        with database.unit_of_work() as session:
            stock = AdjustmentLine(item_id=item, adjustment_quantity=Decimal(100))
            opening = NewAdjustment(reason="initial_stock", location_id=warehouse, items=[stock])
            create_adjustment(session, actor, adjustment=opening)
        args = (url, data_dir, company.id, (warehouse, item))
        quiet = Poster(context, args)
        time.sleep(QUIET_S)
        quiet_p95 = _p95(quiet.finish())
        log(f"[{engine}] postings alone: p95 {quiet_p95:.1f} ms")
        results = []
        for kind in ("items", "stock"):
            if kind not in KINDS:
                log(f"[{engine}] no {kind} imports here: skipped")
                continue
            path = Path(directory) / f"{kind}.csv"
            (_items_file(path, rows) if kind == "items" else _stock_file(path, rows, "W1"))
            receive, send = context.Pipe(duplex=False)
            child = context.Process(
                target=_import, args=(url, data_dir, company.id, kind, str(path), send)
            )
            poster = Poster(context, args)
            child.start()
            seconds, state, peak = receive.recv()
            child.join()
            latencies = poster.finish()
            results.append(
                Imported(kind, rows, seconds, peak, state, len(latencies), _p95(latencies))
            )
            log(f"[{engine}] {rows:,} {kind} in {seconds:.1f} s ({state}), {peak:.0f} MB")
        return server_version(database), quiet_p95, results


def render(engine: str, version: str, quiet_p95: float, results: list[Imported], load: str) -> str:
    count = results[0].rows if results else 0
    lines = [
        "## Imports",
        "",
        f"{count:,} new items, then {count:,} opening-stock lines (one per item at a "
        "warehouse), imported from CSV files through import jobs as the worker runs them, "
        "each import in a process of its own (its peak memory read). Meanwhile another "
        "process posts one-line adjustments in a loop, each in its own transaction: their "
        "95th percentile latency is beside the import's time, and alone before the imports.",
        "",
        f"Aims ({engine}): each import in under {AIM_S:.0f} s, memory under {AIM_MB:.0f} MB.",
        "",
        f"- Command: `python -m bench imports --rows {count} --write-docs`",
        f"- Machine: {report.machine()}; load average {load} when the run started",
        f"- Date: {report.today()}",
        f"- Engine: {engine} {version}; one-line postings alone: p95 {quiet_p95:.1f} ms",
        "",
    ]
    rows = [
        [
            r.kind,
            f"{r.rows:,}",
            f"{r.seconds:.1f}",
            f"{r.rows / r.seconds:,.0f}",
            f"{r.peak_mb:.0f}",
            f"{r.postings:,}",
            f"{r.p95_ms:.1f}",
            _verdict(r),
        ]
        for r in results
    ]
    header = ["Import", "Rows", "Time s", "Rows/s", "Peak MB", "Postings meanwhile", "Their p95 ms"]
    lines.append(report.table([*header, "Aim"], rows))
    return "\n".join(lines) + "\n"


def _verdict(result: Imported) -> str:
    if result.rows < AIM_ROWS:
        return f"(aim at {AIM_ROWS:,} rows)"
    fast = result.seconds < AIM_S and result.peak_mb < AIM_MB
    return "met" if fast and result.state == "done" else "MISSED"


def parse(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench imports", description=__doc__)
    parser.add_argument("--engine", choices=[*ENGINES], default="sqlite")
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--write-docs", action="store_true")
    return parser.parse_args(argv)


def main(argv: Sequence[str]) -> int:
    options = parse(argv)
    load = report.load()
    engines = chosen_engines(options.engine)
    if engines is None:
        return 1
    [engine] = engines
    version, quiet_p95, results = run_engine(engine, options.rows)
    body = render(engine, version, quiet_p95, results, load)
    report.publish("imports", body, options.write_docs)
    return 0
