"""How the postings benchmark writes its figures into docs/benchmarks.md."""

from __future__ import annotations

import statistics
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field

from bench.report import load, machine, table, today
from stockkeeper.cli import cores

CLIENTS = 8
PROCESSES = cores()  # stockkeeper serve's default; the limit and the ceiling get as many
CPU_POSTINGS = 2000


@dataclass
class Figures:
    """Per-round figures of one scenario: requests per second and median latency (ms)."""

    rates: list[float] = field(default_factory=list)
    latencies: list[float] = field(default_factory=list)
    errors: int = 0

    def add(self, result: tuple[float, list[float], int]) -> None:
        rate, latencies, errors = result
        self.rates.append(rate)
        self.latencies.append(statistics.median(latencies))
        self.errors += errors

    @property
    def rate(self) -> float:
        return statistics.median(self.rates)

    @property
    def latency(self) -> float:
        return statistics.median(self.latencies)


INTRO = """\
One-line adjustments (`POST /api/v1/inventory/adjustments`, each with an Idempotency-Key)
through a real `stockkeeper serve --no-access-log` with its default of one server process per
core ({processes} here, and the worker beside them), from httpx clients on the same machine.
The limit is `bench/limit_app.py`: the same uvicorn with as many processes and the same
client, one SQLite insert a request, WAL with `synchronous=FULL` like Stockkeeper. The floor
is the same server answering `GET /health`, which reads nothing: what the framework costs a
request before any work. The ceiling is what a posting's database work alone allows: the
statements one real posting ran, replayed with fresh ids through the sqlite3 driver by the
limit's bare app with as many processes, its writers taking turns as Stockkeeper's do, on a
copy of Stockkeeper's database (`bench/limit_app.py`); a posting does everything else on top
of it. Targets alternate within each round; the figures are medians over {rounds} rounds of
{requests} requests.

Aims: with one client and with 8, at least half of the ceiling's rate with as many clients,
and no errors; the processor time a posting costs the server's processes (read from `/proc`
over {cpu} postings from 8 clients) at most 4 ms; PostgreSQL at least half of the SQLite
figure."""


def _row(
    label: str, figures: Figures, limit: Figures | None, ceiling: Figures | None = None
) -> list[str]:
    ratio = f"{figures.rate / limit.rate:.2f}" if limit else "-"
    to_ceiling = f"{figures.rate / ceiling.rate:.2f}" if ceiling else "-"
    rate, latency = f"{figures.rate:,.0f}", f"{figures.latency:.1f}"
    return [label, rate, latency, ratio, to_ceiling, str(figures.errors)]


def _cpu(out: dict[str, object], engines: Sequence[str]) -> str:
    parts = []
    for engine in engines:
        cpu = out[f"cpu:{engine}"]
        assert isinstance(cpu, tuple)
        total, beside = cpu
        parts.append(f"on {engine} {total:.2f} ms ({beside:.2f} ms of it in the worker beside)")
    ceiling_cpu = out["cpu:ceiling"]
    assert isinstance(ceiling_cpu, tuple)
    return (
        f"Processor time a posting cost the server's processes over {CPU_POSTINGS:,} postings "
        f"from {CLIENTS} clients: {'; '.join(parts)}; the ceiling's {ceiling_cpu[0]:.2f} ms. "
        "Aim: at most 4 ms."
    )


def render(
    out: dict[str, object],
    engines: Sequence[str],
    rounds: int,
    requests: int,
    history: Sequence[int],
    command: str,
) -> str:
    sqlite = out.get("figures:sqlite")
    assert isinstance(sqlite, dict)
    rows = []
    for clients in (1, CLIENTS):
        limit = sqlite[("limit", clients)]
        label = "one client" if clients == 1 else f"{clients} concurrent clients"
        rows.append(_row(f"limit (one SQLite insert a request), {label}", limit, None))
        rows.append(
            _row(f"Stockkeeper's floor (`GET /health`), {label}", sqlite[("floor", clients)], limit)
        )
        rows.append(
            _row(
                f"ceiling (a posting's statements alone), {label}",
                sqlite[("ceiling", clients)],
                limit,
            )
        )
        ceiling = sqlite[("ceiling", clients)]
        rows.append(
            _row(
                f"Stockkeeper on SQLite, {label}", sqlite[("stockkeeper", clients)], limit, ceiling
            )
        )
        postgres = out.get("figures:postgresql")
        if isinstance(postgres, dict):
            pg = postgres[("stockkeeper", clients)]
            ratio = pg.rate / sqlite[("stockkeeper", clients)].rate
            rows.append(
                [
                    f"Stockkeeper on PostgreSQL, {label}",
                    f"{pg.rate:,.0f}",
                    f"{pg.latency:.1f}",
                    f"{ratio:.2f} of SQLite",
                    f"{pg.rate / ceiling.rate:.2f}",
                    str(pg.errors),
                ]
            )
    history_rows = []
    for engine in engines:
        latencies = out[f"history:{engine}"]
        assert isinstance(latencies, list)
        history_rows += [
            [engine, f"{size:,}", f"{latency:.2f}", f"{latency / latencies[0]:.2f}"]
            for size, latency in zip(history, latencies, strict=True)
        ]
    large = "; ".join(f"{e} {out[f'large:{e}']:.0f} ms" for e in engines)
    workflow_rows = []
    for engine in engines:
        workflows = out[f"workflows:{engine}"]
        assert isinstance(workflows, dict)
        workflow_rows += [
            [engine, name, f"{ms:.1f}", f"{rate:,.0f}"] for name, (ms, rate) in workflows.items()
        ]
    versions = ", ".join(f"{e} {out[f'{e}:version']}" for e in engines)
    return "\n".join(
        [
            "## Posting adjustments",
            "",
            INTRO.format(rounds=rounds, requests=requests, processes=PROCESSES, cpu=CPU_POSTINGS),
            "",
            f"- Command: `{command}`",
            f"- Machine: {machine()}; load average {load()} when the run started",
            f"- Software: Python {sys.version.split()[0]}, {versions}",
            f"- Date: {today()}",
            "",
            table(
                [
                    "Scenario",
                    "Requests/s",
                    "Median latency ms",
                    "Ratio to the limit",
                    "Ratio to the ceiling",
                    "Errors",
                ],
                rows,
            ),
            "",
            _cpu(out, engines),
            "",
            "### A 500-line adjustment",
            "",
            f"Median time to post one adjustment of 500 lines (one client, 10 postings): {large}. "
            "Aim: at most 250 ms. Its statement count (the same as for 2 lines) is asserted by "
            "a test.",
            "",
            "### Documents with more than one step",
            "",
            "Whole workflows, one after another from one client (100 of each): the median time "
            "of one, and how many complete per second.",
            "",
            table(["Engine", "Workflow", "Median ms", "Per second"], workflow_rows),
            "",
            "### Write latency and the size of the ledger",
            "",
            "Median latency of one-line postings (one client) with that many movements of another "
            "item already in the ledger. Aim: at 1,000,000 at most 1.5 times the figure at 10,000 "
            "(nothing on the write path reads history).",
            "",
            table(
                ["Engine", "Movements in the ledger", "Median latency ms", "Ratio to the first"],
                history_rows,
            ),
        ]
    )
