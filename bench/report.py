"""What the benchmarks share for reporting: the machine, markdown tables, docs/benchmarks.md.

Each benchmark owns one section of the docs page, between ``<!-- bench:<name>:start -->`` and
``<!-- bench:<name>:end -->``; writing a section leaves the rest of the page as it was.
"""

from __future__ import annotations

import os
import platform
import sys
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

DOCS = Path(__file__).resolve().parent.parent / "docs" / "benchmarks.md"

INTRO = """\
# Benchmarks

Run them with `make bench` (lists the benchmarks) or one at a time, for example
`.venv/bin/python -m bench items`; `--help` after the name shows its options. Each benchmark
builds its own scratch databases (a temporary SQLite file and, when the local server answers,
a PostgreSQL database created for the run) and removes them afterwards.

The sections below are written by the benchmarks themselves when run with `--write-docs`;
edit the code in `bench/`, not the tables.
"""


def _read(path: str, prefix: str) -> str | None:
    try:
        for line in Path(path).read_text().splitlines():
            if line.startswith(prefix):
                return line.split(":", 1)[1].strip()
    except OSError:
        return None
    return None


def machine() -> str:
    cpu = _read("/proc/cpuinfo", "model name") or platform.processor() or platform.machine()
    memory = _read("/proc/meminfo", "MemTotal")
    ram = f"{int(memory.split()[0]) / 1024**2:.0f} GiB RAM" if memory else "RAM unknown"
    return f"{cpu}, {os.cpu_count()} cores, {ram}, {platform.system()} {platform.release()}"


def load() -> str:
    """The 1-minute load average: other work on the machine skews the timings."""
    try:
        return f"{os.getloadavg()[0]:.2f}"
    except OSError:
        return "unknown"


def today() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%d")


def table(header: Sequence[str], rows: Sequence[Sequence[str]], right: int = 1) -> str:
    """A markdown table; columns from index ``right`` on are numbers, aligned right."""
    align = ["---" if i < right else "---:" for i in range(len(header))]
    lines = [header, align, *rows]
    return "\n".join("| " + " | ".join(cells) + " |" for cells in lines)


def replace_section(page: str, name: str, body: str) -> str:
    start, end = f"<!-- bench:{name}:start -->", f"<!-- bench:{name}:end -->"
    section = f"{start}\n{body.strip()}\n{end}"
    if start in page and end in page:
        before, rest = page.split(start, 1)
        return before + section + rest.split(end, 1)[1]
    return page.rstrip() + "\n\n" + section + "\n"


def write_section(name: str, body: str, path: Path = DOCS) -> None:
    page = path.read_text() if path.exists() else INTRO
    path.write_text(replace_section(page, name, body))


def log(message: str) -> None:
    """Progress, on stderr: stdout carries the section alone."""
    print(message, file=sys.stderr, flush=True)


def publish(name: str, body: str, write_docs: bool) -> None:
    """Prints the benchmark's section and, if asked, writes it into docs/benchmarks.md."""
    print(body)
    if write_docs:
        write_section(name, body)
        log(f"wrote {DOCS}")
