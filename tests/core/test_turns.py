"""SQLite writers take turns: in the order they came within a process, and by a file lock
between processes."""

from __future__ import annotations

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
