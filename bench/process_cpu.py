"""The processor time a server's processes take, read from ``/proc``: the process a
benchmark started and every process below it (a server's workers, the worker beside them)."""

from __future__ import annotations

import os
from pathlib import Path

_TICK = 1000 / os.sysconf("SC_CLK_TCK")  # milliseconds a clock tick


def _stat(pid: int) -> list[str]:
    text = Path(f"/proc/{pid}/stat").read_text()
    return text[text.rindex(")") + 2 :].split()  # the fields after the command's name


def tree(root: int) -> list[int]:
    """``root`` and every process below it."""
    parents: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parents.setdefault(int(_stat(int(entry.name))[1]), []).append(int(entry.name))
            except (OSError, ValueError):  # gone meanwhile
                continue
    found, waiting = [], [root]
    while waiting:
        pid = waiting.pop()
        found.append(pid)
        waiting += parents.get(pid, [])
    return found


def cpu_ms(pids: list[int]) -> dict[int, float]:
    """User and system time of each process so far, in milliseconds."""
    times = {}
    for pid in pids:
        try:
            fields = _stat(pid)
        except OSError:
            continue
        times[pid] = (int(fields[11]) + int(fields[12])) * _TICK  # utime, stime
    return times


def is_worker_beside(pid: int) -> bool:
    """The webhook worker ``stockkeeper serve`` starts beside its server processes."""
    try:
        return b"stockkeeper.worker" in Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return False
