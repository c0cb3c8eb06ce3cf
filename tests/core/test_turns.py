"""The SQLite writers' lock hands itself over in the order it was asked for."""

from __future__ import annotations

import threading
import time

from stockkeeper.core.db import Turns


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
