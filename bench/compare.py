"""``python -m bench compare``: posting adjustments with the old and the new code side by side.

The old code is a git revision (``--baseline``, by default ``ab6d67b``, before the service
core), checked out in a temporary worktree; the new code is this working tree. Each engine
gets two scratch databases, migrated and filled alike by the current code (the current schema
is a superset of the old one); one real ``stockkeeper serve`` runs the old package
(``PYTHONPATH`` points at the worktree's ``src``), the other the new. They take the same
one-line adjustments as ``python -m bench postings`` posts, alternating within each round,
first from one client and then from 8.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from tempfile import TemporaryDirectory

import httpx

from bench.databases import chosen_engines, scratch_database, server_version
from bench.posting_report import CLIENTS, Figures
from bench.postings import Target, _ok, _rounds, _stockkeeper
from bench.report import load, machine, publish, table, today

ROOT = Path(__file__).resolve().parent.parent
AIM = 0.90  # the new median rate, at least this share of the old
# a path only the new code serves: how the servers show which code they run
NEW_ONLY_PATH = "/api/v1/audit-events"

INTRO = """\
Whether the service core (every use case a service function that writes its audit row and
its outbox events, the events written at commit in one statement, each posting announcing an
`inventory.level` event too) made posting slower. Two real `stockkeeper serve --no-access-log`
servers run side by side: the old code (the baseline revision, checked out in a temporary
worktree and put first on `PYTHONPATH`) and the new (this working tree). Each has a scratch
database of its own, migrated and filled alike by the current code (the current schema has
one index more than the old; the old code runs on it unchanged), and takes the same one-line
adjustments (`POST /api/v1/inventory/adjustments`, each with an Idempotency-Key) as the
postings benchmark sends, from httpx clients on the same machine. Before timing, each server's
`/openapi.json` shows which code it runs (only the new serves `{mark}`).
Old and new alternate within each round, one client and then {clients} concurrent clients,
the order swapped every other round so that neither always goes first; the figures are
medians over {rounds} rounds of {requests} requests.

Aim: the new median posting rate at least {aim:.2f} of the old, with one client and with
{clients}, on both engines."""


def _git(*args: str) -> str:
    done = subprocess.run(
        ["git", "-C", str(ROOT), *args],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode:
        raise RuntimeError(f"git {' '.join(args)}: {done.stderr.strip()}")
    return done.stdout.strip()


@dataclass
class Revisions:
    """What was compared: the baseline commit, the current one, and what was not committed."""

    baseline: str
    current: str
    uncommitted: list[str]  # paths, as git status names them

    @classmethod
    def of(cls, baseline: str) -> Revisions:
        status = _git("--no-optional-locks", "status", "--porcelain", "--untracked-files=all")
        return cls(
            baseline=_git("rev-parse", "--short", f"{baseline}^{{commit}}"),
            current=_git("rev-parse", "--short", "HEAD"),
            uncommitted=[line[3:] for line in status.splitlines()],
        )

    def describe(self) -> str:
        new = f"the working tree at `{self.current}`"
        if not self.uncommitted:
            return f"old `{self.baseline}`; new {new}, with no uncommitted changes"
        code = sum(1 for path in self.uncommitted if path.startswith("src/"))
        return (
            f"old `{self.baseline}`; new {new}, with uncommitted changes in "
            f"{len(self.uncommitted)} files ({code} of them under `src/`)"
        )


@contextmanager
def _worktree(revision: str) -> Iterator[Path]:
    """The revision checked out in a temporary directory; the worktree is removed afterwards."""
    with TemporaryDirectory(prefix="sk-bench-compare-") as directory:
        path = Path(directory) / "baseline"
        _git("worktree", "add", "--detach", str(path), revision)
        try:
            if not (path / "src" / "stockkeeper").is_dir():
                raise RuntimeError(f"{revision} has no src/stockkeeper")
            yield path
        finally:
            try:
                _git("worktree", "remove", "--force", str(path))
            except RuntimeError as error:
                print(f"could not remove the worktree {path}: {error}", file=sys.stderr)


def _check_code(target: Target, new: bool, mark: str) -> None:
    """Fails unless the server runs the code it should: only the new serves ``mark``."""
    response = httpx.get(f"{target.url}/openapi.json", timeout=30)
    response.raise_for_status()
    serves = mark in response.json()["paths"]
    if serves != new:
        which = "new" if new else "old"
        raise RuntimeError(
            f"the {which} server ({target.url}) {'does not serve' if new else 'serves'} "
            f"{mark}: it does not run the {which} code"
        )
    # and it posts: the old code must accept what the current code filled in
    with httpx.Client(base_url=target.url, headers=target.headers, timeout=30) as http:
        _ok(http.post(target.path, json=target.body(0)))


@dataclass
class Engine:
    """One engine's figures, keyed by ("old" or "new", clients), and its server version."""

    name: str
    version: str
    figures: dict[tuple[str, int], Figures]


def run(
    engines: Sequence[str], baseline: Path, rounds: int, requests: int, mark: str = NEW_ONLY_PATH
) -> list[Engine]:
    path = [str(baseline / "src"), os.environ.get("PYTHONPATH", "")]
    old_env = {"PYTHONPATH": os.pathsep.join(p for p in path if p)}
    out = []
    for engine in engines:
        with ExitStack() as stack:
            old_db = stack.enter_context(scratch_database(engine))
            new_db = stack.enter_context(scratch_database(engine))
            old = stack.enter_context(_stockkeeper(old_db, "old", old_env))
            new = stack.enter_context(_stockkeeper(new_db, "new"))
            _check_code(old, new=False, mark=mark)
            _check_code(new, new=True, mark=mark)
            figures = _rounds([old, new], rounds, requests, swap=True)
            out.append(Engine(engine, server_version(new_db), figures))
        print(f"{engine}: rounds done", flush=True)
    return out


def _verdict(old: Figures, new: Figures) -> str:
    if old.errors or new.errors:
        return "unsound (errors)"
    return "yes" if new.rate >= AIM * old.rate else "no"


def render(
    results: Sequence[Engine],
    revisions: Revisions,
    rounds: int,
    requests: int,
    command: str,
    loads: tuple[str, str],
) -> str:
    rows, spread = [], []
    for engine in results:
        for clients in (1, CLIENTS):
            old, new = engine.figures[("old", clients)], engine.figures[("new", clients)]
            rows.append(
                [
                    engine.name,
                    str(clients),
                    f"{old.rate:,.0f}",
                    f"{new.rate:,.0f}",
                    f"{new.rate / old.rate:.2f}",
                    f"{old.latency:.1f}",
                    f"{new.latency:.1f}",
                    f"{old.errors} / {new.errors}",
                    _verdict(old, new),
                ]
            )
            for code, figures in (("old", old), ("new", new)):
                spread.append(
                    [engine.name, str(clients), code, *(f"{r:,.0f}" for r in figures.rates)]
                )
    verdicts = [row[-1] for row in rows]
    summary = (
        "Every row meets the aim."
        if all(v == "yes" for v in verdicts)
        else f"{sum(v != 'yes' for v in verdicts)} of {len(rows)} rows do not meet the aim."
    )
    versions = ", ".join(f"{e.name} {e.version}" for e in results)
    header = ["Engine", "Clients", "Old req/s", "New req/s", "New/old", "Old median ms"]
    header += ["New median ms", "Errors old / new", f"New/old >= {AIM:.2f}"]
    return "\n".join(
        [
            "## Old and new code side by side",
            "",
            INTRO.format(
                mark=NEW_ONLY_PATH, clients=CLIENTS, rounds=rounds, requests=requests, aim=AIM
            ),
            "",
            f"- Compared: {revisions.describe()}",
            f"- Command: `{command}`",
            f"- Machine: {machine()}; load average {loads[0]} when the run started, "
            f"{loads[1]} when it ended",
            f"- Software: Python {sys.version.split()[0]}, {versions}",
            f"- Date: {today()}",
            "",
            table(header, rows, right=1),
            "",
            summary,
            "",
            "### Each round",
            "",
            "Requests per second in each round, to show the spread behind the medians.",
            "",
            table(
                ["Engine", "Clients", "Code", *(f"Round {n + 1}" for n in range(rounds))],
                spread,
                right=3,
            ),
        ]
    )


def main(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench compare", description=__doc__)
    parser.add_argument("--baseline", default="ab6d67b", help="the old code's git revision")
    parser.add_argument("--engine", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--requests", type=int, default=400, help="per scenario and round")
    parser.add_argument(
        "--new-only-path",
        default=NEW_ONLY_PATH,
        help="a path only the new code serves (proves which code each server runs)",
    )
    parser.add_argument("--write-docs", action="store_true")
    args = parser.parse_args(argv)
    engines = chosen_engines(args.engine)
    if engines is None:
        return 1
    revisions = Revisions.of(args.baseline)
    started = load()
    with _worktree(args.baseline) as baseline:
        results = run(engines, baseline, args.rounds, args.requests, args.new_only_path)
    command = ("python -m bench compare " + " ".join(argv)).strip()
    section = render(results, revisions, args.rounds, args.requests, command, (started, load()))
    publish("compare", section, args.write_docs)
    return 0
