"""``python -m bench <name> [options]``: runs one benchmark; with no name, lists them."""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Sequence
from typing import cast

# name -> (module with a ``main(argv) -> int``, one-line summary). Modules load on demand so
# that listing the benchmarks imports nothing heavy.
BENCHMARKS = {
    "items": ("bench.items", "fill a company with 100,000 items and time GET /api/v1/items"),
    "web": (
        "bench.web_pages",
        "the web UI's lists and forms over the item benchmark's company, over HTTP, p50/p95",
    ),
    "costing": (
        "bench.costing",
        "value 10,000 items over 1,000,000 movements; the period reports; a backdated receipt",
    ),
    "dashboard": (
        "bench.dashboard",
        "the web UI's dashboard and report screens over the costing benchmark's company, p50/p95",
    ),
    "journals": (
        "bench.journals",
        "the stock journals of a month and the tie-out over the costing benchmark's ledger",
    ),
    "counts": (
        "bench.counts",
        "open, count and post a stock count of 10,000 lines (approve + post timed)",
    ),
    "scans": (
        "bench.scans",
        "a scan's HTTP answer (counting, receiving) and the review pages of a 10,000-line count",
    ),
    "postings": (
        "bench.postings",
        "post adjustments through a real server, against the practical limit",
    ),
    "batches": (
        "bench.batches",
        "post batches of 100 issues of 10 lines through a real server, against their ceiling",
    ),
    "imports": (
        "bench.imports",
        "import 100,000 items, then 100,000 opening-stock lines, while another client posts",
    ),
    "alerts": (
        "bench.alerts",
        "posting with alerts and subscriptions active; commit to delivery; deliveries/s",
    ),
    "compare": (
        "bench.compare",
        "post adjustments with the old code (a git revision) and the new, side by side",
    ),
}


def usage() -> str:
    lines = ["usage: python -m bench <name> [options]   (<name> --help for its options)", ""]
    lines.append("benchmarks:")
    lines += [f"  {name:<10} {summary}" for name, (_, summary) in BENCHMARKS.items()]
    return "\n".join(lines)


def main(argv: Sequence[str]) -> int:
    if not argv or argv[0] in ("-h", "--help"):
        print(usage())
        return 0
    name, *rest = argv
    if name not in BENCHMARKS:
        print(f"unknown benchmark {name!r}\n\n{usage()}", file=sys.stderr)
        return 2
    module = importlib.import_module(BENCHMARKS[name][0])
    run = cast(Callable[[Sequence[str]], int], module.main)
    return run(rest)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
