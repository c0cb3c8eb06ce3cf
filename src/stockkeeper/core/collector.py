"""The cyclic garbage collector held off while a large document is posted.

Posting thousands of lines makes hundreds of thousands of objects (rows, level figures, the
lines' views) that all live until the posting ends: none is garbage, and reference counting
frees them afterwards. CPython's collector still runs every few hundred allocations and, as
the survivors pile up, scans the whole heap: a fifth of a 2,000-line adjustment's time went to
collections that found nothing, and a 10,000-line count's more. Held off for a document of
``LARGE`` lines or more, it runs again as usual once the last such posting in the process
ends (postings in other threads meanwhile only keep it off a little longer).
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

LARGE = 1000  # lines; a posting of fewer makes too few objects for a collection to matter

_lock = threading.Lock()
_holders = 0
_was_enabled = False


@contextmanager
def held_off(lines: int) -> Iterator[None]:
    """Holds the collector off for the block when ``lines`` make a large document."""
    if lines < LARGE:
        yield
        return
    _hold()
    try:
        yield
    finally:
        _release()


def _hold() -> None:
    global _holders, _was_enabled
    with _lock:
        if _holders == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _holders += 1


def _release() -> None:
    global _holders
    with _lock:
        _holders -= 1
        if _holders == 0 and _was_enabled:
            gc.enable()
