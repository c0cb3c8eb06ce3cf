"""The worker face: ``python -m stockkeeper.worker`` (or ``stockkeeper worker``). Until it is
stopped (SIGINT or SIGTERM), it delivers webhooks from the outbox, runs the alerts' scheduled
check and sends their emails, and on a PostgreSQL server without autovacuum analyzes the
tables that changed. With ``--parent PID`` it also stops when that process is gone (the
server that started it)."""

from __future__ import annotations

import argparse
import os
import signal
import sys
import threading
from collections.abc import Sequence

from stockkeeper.alerts.tasks import tasks
from stockkeeper.core.db import Database
from stockkeeper.core.settings import load_settings
from stockkeeper.core.statistics import PlannerStatistics
from stockkeeper.webhooks.worker import Worker


def run(stop: threading.Event) -> None:
    database = Database(load_settings())
    upkeep = [*tasks(database, database.settings), PlannerStatistics(database).round]
    worker = Worker(database, database.settings, tasks=upkeep)
    try:
        worker.run(stop)
    finally:
        worker.close()
        database.dispose()


def _stop_without(parent: int, stop: threading.Event) -> None:
    while not stop.wait(1):
        if os.getppid() != parent:
            stop.set()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="stockkeeper worker", description=__doc__)
    parser.add_argument("--parent", type=int, help=argparse.SUPPRESS)
    options = parser.parse_args(argv)
    stop = threading.Event()
    for name in (signal.SIGINT, signal.SIGTERM):
        signal.signal(name, lambda *_: stop.set())
    if options.parent is not None:
        threading.Thread(target=_stop_without, args=(options.parent, stop), daemon=True).start()
    print("worker: delivering webhooks, checking alerts, sending alert emails", file=sys.stderr)
    run(stop)
    return 0


if __name__ == "__main__":
    sys.exit(main())
