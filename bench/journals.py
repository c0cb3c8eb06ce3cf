"""``python -m bench journals``: the stock journals and their tie-out over a long ledger.

Builds the costing benchmark's company on each engine (``bench.costing.fill``: --items items
and --movements movements over two years, written in bulk, one item with --hot of its own).
Then times through the HTTP stack, in-process: the journals of the data's last full month
per account and day (``view=daily``), the tie-out of the valuation with the journals as of
today and as of the data's last day, which must come out at a difference of 0 (asserted: a
wrong answer's time is worth nothing), and last the month's journals line by line
(``view=lines``). Each after a first run
shown apart, then the median of --rounds runs; and the process's peak memory.
"""

from __future__ import annotations

import argparse
import contextlib
import ctypes
import gc
import hashlib
import multiprocessing
import resource
import subprocess
import warnings
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from functools import partial
from pathlib import Path
from typing import Any

from httpx import Response
from starlette.exceptions import StarletteDeprecationWarning

from bench import report
from bench.costing import END, Company, company_options, fill
from bench.databases import (
    ENGINES,
    postgres_problem,
    scratch_database,
    server_version,
)
from bench.report import log
from bench.timing import stopwatch
from stockkeeper.api.app import create_app
from stockkeeper.bookkeeping.service.check import check_tie_out
from stockkeeper.core.db import Database
from stockkeeper.core.settings import Settings

with warnings.catch_warnings():
    warnings.simplefilter("ignore", StarletteDeprecationWarning)
    from fastapi.testclient import TestClient

ACCOUNTING = "/api/v1/accounting"
AIM_JOURNALS_S = 2.0
AIM_RECONCILIATION_S = 2.0
AIM_MEMORY_MB = 300.0


@dataclass
class Timing:
    label: str
    first: float
    median: float
    note: str
    aim: float | None = None  # seconds, for the median on SQLite


@dataclass
class EngineRun:
    engine: str
    version: str
    company: Company
    method: str = ""
    timings: list[Timing] = field(default_factory=list)
    write_peak_mb: float = 0.0  # up to the end of the bulk write
    aimed_peak_mb: float = 0.0  # while the reports the aims name ran, from after the write
    reports_peak_mb: float = 0.0  # and when the month's lines were read too
    check_seconds: float = 0.0  # the whole journal summed once, as ``stockkeeper check`` does


def last_full_month(end: date) -> tuple[date, date]:
    """The last calendar month that ends on or before ``end``."""
    following = end + timedelta(days=1)
    last = following.replace(day=1) - timedelta(days=1) if following.day != 1 else end
    return last.replace(day=1), last


ROOT = Path(__file__).resolve().parent.parent
MEASURED = ("src/stockkeeper/bookkeeping", "src/stockkeeper/costing")


def code_state() -> str:
    """Which code was measured: the commit, and a digest of the slices timed here as they
    were when the run started (they may be uncommitted)."""
    digest = hashlib.sha256()
    for folder in MEASURED:
        for path in sorted((ROOT / folder).rglob("*.py")):
            digest.update(path.relative_to(ROOT).as_posix().encode() + path.read_bytes())
    try:
        head = subprocess.run(
            ["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "-C", str(ROOT), "status", "--porcelain", "--", *MEASURED],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        head, dirty = "unknown", ""
    changes = "with uncommitted changes in them" if dirty else "as committed"
    folders = " and ".join(f"`{folder}/`" for folder in MEASURED)
    return f"the working tree at `{head}`; {folders} {changes} (digest `{digest.hexdigest()[:12]}`)"


def _reset_peak() -> None:
    """Starts the kernel's resident high-water mark (VmHWM) afresh (Linux only), after
    handing what the last engine's run freed back to the system (glibc), so that one
    engine's figure does not carry the other's."""
    gc.collect()
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")


def _peak_mb() -> float:
    """VmHWM since the last reset; the process's ru_maxrss where /proc is missing."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _timed(call: Callable[[], Any], rounds: int) -> tuple[float, float, Any]:
    """The first call's seconds, the median of ``rounds`` more, and the first's answer.
    Garbage is collected before each call, so that none of a previous one is on its clock."""
    gc.collect()
    clock = stopwatch()
    answer = call()
    first = clock()
    samples = []
    for _ in range(rounds):
        gc.collect()
        clock = stopwatch()
        call()
        samples.append(clock())
    return first, sorted(samples)[len(samples) // 2], answer


def _data(answer: Response) -> Any:
    return answer.json(parse_float=Decimal)["data"]


def _size(answer: Response) -> str:
    size = len(answer.content)
    return f"{size / 1e6:.1f} MB of JSON" if size >= 100_000 else f"{size / 1e3:.0f} kB of JSON"


def _check_journal(document: dict[str, Any]) -> None:
    debit, credit = document["totalDebit"], document["totalCredit"]
    assert debit == credit, f"the journals do not balance: debit {debit}, credit {credit}"
    if document["view"] == "daily":
        days = document["days"]
        assert sum(d["debit"] for d in days) == debit, "the days' debits differ from the total"
        assert sum(d["credit"] for d in days) == credit, "the days' credits differ from the total"


def _check_tie_out(document: dict[str, Any]) -> None:
    difference = document["difference"]
    assert difference == 0, (
        f"the tie-out is off by {difference}: valuation {document['valuation']}, journals "
        f"{document['journalBalance']}; first causes: {document['causes'][:5]}"
    )
    assert document["valuation"] > 0, "nothing valued: the tie-out proves nothing"


def time_reports(client: TestClient, run: EngineRun, rounds: int) -> None:
    company = run.company
    headers = {"Authorization": f"Bearer {company.token}", "X-Company-Id": company.company_id}

    def get(path: str, **params: Any) -> Response:
        """The answer, its body read; reading its JSON is the client's business, not timed."""
        response: Response = client.get(path, params=params, headers=headers)
        assert response.status_code == 200, response.text
        return response

    start, end = last_full_month(END)
    month = {"dateFrom": start.isoformat(), "dateTo": end.isoformat()}
    time_journals(run, partial(get, f"{ACCOUNTING}/journals", view="daily", **month), rounds)
    for day, aim in ((date.today(), AIM_RECONCILIATION_S), (END, None)):
        reconciliation = partial(get, f"{ACCOUNTING}/reconciliation", asOfDate=day.isoformat())
        first, median, answer = _timed(reconciliation, rounds)
        document = _data(answer)
        _check_tie_out(document)
        note = (
            f"valuation {document['valuation']:,.2f} = journals "
            f"{document['journalBalance']:,.2f}, {len(document['locations'])} locations"
        )
        label = f"reconciliation as of {'today, ' if aim else ''}{day.isoformat()}"
        log(f"[{run.engine}] {label}: first {first:.2f} s, then {median:.2f} s ({note})")
        run.timings.append(Timing(label, first, median, note, aim))
    run.aimed_peak_mb = _peak_mb()
    # a month line by line: beside the aims, a hundred thousand lines in one document
    time_journals(run, partial(get, f"{ACCOUNTING}/journals", view="lines", **month), rounds)


def time_journals(run: EngineRun, journals: Callable[[], Response], rounds: int) -> None:
    first, median, answer = _timed(journals, rounds)
    document = _data(answer)
    _check_journal(document)
    run.method = document["valuationMethod"]
    daily = document["view"] == "daily"
    start = date.fromisoformat(document["dateFrom"])
    note = (
        f"{len(document['days']):,} account-days" if daily else f"{len(document['lines']):,} lines"
    )
    note += f"; debits {document['totalDebit']:,.2f}; {_size(answer)}"
    label = f"journals of {start.strftime('%B %Y')}, view={document['view']}"
    log(f"[{run.engine}] {label}: first {first:.2f} s, then {median:.2f} s ({note})")
    run.timings.append(Timing(label, first, median, note, AIM_JOURNALS_S if daily else None))


def check_whole_journal(database: Database, company: Company) -> float:
    """Sums every journal line from the first (the tie-out of ``stockkeeper check``), since
    the reconciliation takes the balance up to the latest month end from the snapshots:
    asserts that it agrees with the valuation too. Returns its seconds (not an aim's)."""
    clock = stopwatch()
    with database.unit_of_work(write=False) as session:
        problems = check_tie_out(session, company.company_id)
    assert not problems, f"the whole journal does not tie out: {problems[:5]}"
    return clock()


def answer_reports(settings: Settings, run: EngineRun, rounds: int) -> EngineRun:
    """Times the reports in a new process on the benchmark's database, with its peaks."""
    database = Database(settings)
    try:
        _reset_peak()
        with TestClient(create_app(settings, database)) as client:
            time_reports(client, run, rounds)
        run.reports_peak_mb = _peak_mb()
    finally:
        database.dispose()
    return run


def run_engine(engine: str, options: argparse.Namespace) -> EngineRun:
    _reset_peak()
    with scratch_database(engine, options.postgres_url) as database:
        log(f"[{engine}] writing {options.items:,} items and {options.movements:,} movements ...")
        company = fill(database, options.items, options.movements, options.hot, options.seed)
        log(f"[{engine}] written in {company.seconds:.0f} s")
        run = EngineRun(engine, server_version(database), company)
        run.write_peak_mb = _peak_mb()
        # the reports are answered by a process of their own, as a server's would be: what
        # the bulk write left in this one is not theirs
        with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
            run = pool.submit(answer_reports, database.settings, run, options.rounds).result()
        run.check_seconds = check_whole_journal(database, company)
        log(f"[{engine}] peak memory {run.reports_peak_mb:.0f} MB while reporting")
    return run


def _verdicts(run: EngineRun) -> list[str]:
    said = [
        f"{t.label}: {t.median:.2f} s, aim under {t.aim:.0f} s, "
        + ("met" if t.median < t.aim else "**missed**")
        for t in run.timings
        if t.aim is not None
    ]
    met = "met" if run.aimed_peak_mb < AIM_MEMORY_MB else "**missed**"
    said.append(f"memory: {run.aimed_peak_mb:.0f} MB, aim under {AIM_MEMORY_MB:.0f} MB, {met}")
    return said


def render(runs: list[EngineRun], options: argparse.Namespace, load: str, code: str) -> str:
    start, end = last_full_month(END)
    lines = [
        "## Stock journals and the tie-out",
        "",
        "`GET /api/v1/accounting/journals` and `GET /api/v1/accounting/reconciliation` over "
        "the costing benchmark's company (built by the same code, `bench.costing.fill`): "
        f"{options.items:,} items and about {options.movements:,} movements over two years "
        "(receipts, sales and transfers between three warehouses, written in bulk), one item "
        f"with {options.hot:,} of them. The journals are those of the data's last full month "
        f"({start.isoformat()} to {end.isoformat()}), per account and day (`view=daily`) and "
        "line by line (`view=lines`, beside the aims: a hundred thousand lines in one "
        "document, read last); the reconciliation as of today and as of the data's last day "
        f"({END.isoformat()}). No books are closed, so every line is derived from the "
        "costing replay. The benchmark asserts that each journal's debits equal its credits "
        "and that the reconciliation's difference is 0; since the reconciliation takes the "
        "balance up to the latest day the costing keeps snapshots at from them (decision "
        "26), it also sums the whole journal from the first line once, as `stockkeeper "
        "check` does (`bookkeeping/service/check.py`, a service call, not timed against an "
        "aim), and asserts that it ties out too. Each figure is the median of "
        f"{options.rounds} runs through the HTTP stack, in-process, after a first run shown "
        "apart (the first journals run replays the ledger and takes the costing snapshots "
        "that later runs start from, and keeps each item's sums of the month per day, which "
        "the later daily views read); a run is the request until its body is read, the "
        "client's reading of the JSON not included. The reports are answered by a process of "
        "their own, started after the bulk write, as a server's would be. Peak memory is that "
        "process's resident high-water mark while the reports the aims name ran, then with "
        "the lines too (the bulk write's own peak, in the benchmark's process, is shown "
        "beside it). Garbage is collected before each timed run.",
        "",
        f"Aims (SQLite, medians): a month's journals in under {AIM_JOURNALS_S:.0f} s, the "
        f"reconciliation in under {AIM_RECONCILIATION_S:.0f} s, memory under "
        f"{AIM_MEMORY_MB:.0f} MB.",
        "",
        f"- Command: `python -m bench journals --items {options.items} --movements "
        f"{options.movements} --rounds {options.rounds} --write-docs`",
        f"- Code: {code}",
        f"- Machine: {report.machine()}; load average {load} when the run started",
        f"- Date: {report.today()}",
        "",
    ]
    for run in runs:
        lines += [
            f"### {run.engine} {run.version}",
            "",
            f"Written in {run.company.seconds:.0f} s ({run.company.movements:,} movements); "
            f"costing method {run.method}. Peak memory while reporting: "
            f"{run.aimed_peak_mb:.0f} MB, {run.reports_peak_mb:.0f} MB with the month's "
            f"lines (the bulk write's: "
            f"{run.write_peak_mb:.0f} MB). The whole journal summed once ties out "
            f"({run.check_seconds:.0f} s).",
            "",
            report.table(
                ["Scenario", "First run s", "Median s", "Note"],
                [[t.label, f"{t.first:.3f}", f"{t.median:.3f}", t.note] for t in run.timings],
                right=1,
            ),
            "",
        ]
    sqlite = [run for run in runs if run.engine == "sqlite"]
    if sqlite:
        lines += ["Against the aims (SQLite):", ""]
        lines += [f"- {said}" for said in _verdicts(sqlite[0])]
    return "\n".join(lines)


def parse(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench journals", description=__doc__)
    return company_options(parser).parse_args(argv)


def main(argv: Sequence[str]) -> int:
    options = parse(argv)
    load, code = report.load(), code_state()
    engines = list(ENGINES) if options.engine == "both" else [options.engine]
    if "postgresql" in engines and (problem := postgres_problem(options.postgres_url)):
        log(f"skipping PostgreSQL: {problem}")
        engines.remove("postgresql")
    runs = [run_engine(engine, options) for engine in engines]
    body = render(runs, options, load, code)
    report.publish("journals", body, options.write_docs)
    return 0
