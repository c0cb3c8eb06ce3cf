"""SQLite writers take turns: in the order they came within a process, and by a file lock
between processes."""

from __future__ import annotations

import itertools
import subprocess
import sys
import threading
import time
from pathlib import Path

from stockkeeper.core.sqlite import Turns, Writers


def test_waiters_get_their_turn_in_the_order_they_came_and_late_ones_do_not_barge() -> None:
    turns = Turns()
    assert turns.acquire(timeout=1)
    order: list[int] = []

    def wait(n: int) -> None:
        assert turns.acquire(timeout=5)
        order.append(n)
        turns.release()

    threads = []
    for n in range(5):
        thread = threading.Thread(target=wait, args=(n,))
        thread.start()
        threads.append(thread)
        while len(turns._waiting) <= n:  # queued before the next one starts
            time.sleep(0.001)
    turns.release()
    assert turns.acquire(timeout=5)  # a newcomer: served after everyone who was waiting
    order.append(99)
    turns.release()
    for thread in threads:
        thread.join()
    assert order == [0, 1, 2, 3, 4, 99]


def test_a_waiter_that_gives_up_leaves_the_queue() -> None:
    turns = Turns()
    assert turns.acquire(timeout=1)
    assert turns.acquire(timeout=0.05) is False
    assert not turns._waiting
    turns.release()
    assert turns.acquire(timeout=0)  # free again
    turns.release()


def test_writers_of_another_process_wait_for_the_file_lock(tmp_path: Path) -> None:
    database = str(tmp_path / "shop.db")
    probe = (
        "import sys; from stockkeeper.core.sqlite import Writers; "
        "print(Writers(sys.argv[1]).acquire(timeout=float(sys.argv[2])))"
    )

    def other_process_gets_a_turn(timeout: float) -> str:
        run = [sys.executable, "-c", probe, database, str(timeout)]
        return subprocess.run(run, capture_output=True, text=True, check=True).stdout.strip()

    writers = Writers(database)
    assert writers.acquire(timeout=1)
    assert other_process_gets_a_turn(0.2) == "False"  # gave up: the 503 busy of a request
    writers.release()
    assert other_process_gets_a_turn(5) == "True"
    assert writers.acquire(timeout=1)  # that process is gone, and its lock with it
    writers.release()


_BUSY_PROCESS = """
import pathlib, sys, threading, time
from stockkeeper.core.sqlite import Writers

database, name, log = sys.argv[1], sys.argv[2], sys.argv[3]
writers = Writers(database)
ready = pathlib.Path(sys.argv[4])
(ready / name).touch()
while len(list(ready.iterdir())) < 3:  # all start together, however slowly each came up
    time.sleep(0.001)

def write() -> None:
    for _ in range(15):
        assert writers.acquire(timeout=10)
        with open(log, "a") as file:  # what the turn guards: one writer at a time
            file.write(name)
        time.sleep(0.002)
        writers.release()

threads = [threading.Thread(target=write) for _ in range(2)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
"""


def test_busy_processes_take_strict_turns_and_none_takes_its_turn_straight_back(
    tmp_path: Path,
) -> None:
    """Two server processes and the worker beside them, each with a writer waiting whenever
    its last one let go: while all three write, the turn goes round."""
    database, log, ready = str(tmp_path / "shop.db"), tmp_path / "log", tmp_path / "ready"
    ready.mkdir()
    processes = [
        subprocess.Popen([sys.executable, "-c", _BUSY_PROCESS, database, name, str(log), ready])
        for name in "abc"
    ]
    for process in processes:
        assert process.wait(timeout=30) == 0
    order = log.read_text()
    assert sorted(order) == sorted("abc" * 30)
    # from when all three wrote until the first of them was done
    begun = max(order.index(name) for name in "abc")
    ended = min(order.rindex(name) for name in "abc")
    together = order[begun - 2 : ended + 1]
    # at least half the writes with all three at it (a loaded machine starts them unevenly)
    assert len(together) >= 45, order
    # none takes its turn straight back; and the turn goes round, but where a loaded machine
    # had a process not yet waiting when its turn came (the round's order then changes once)
    assert all(a != b for a, b in itertools.pairwise(together)), order
    windows = [together[n : n + 3] for n in range(len(together) - 2)]
    assert sum(len(set(window)) == 3 for window in windows) >= 0.9 * len(windows), order
