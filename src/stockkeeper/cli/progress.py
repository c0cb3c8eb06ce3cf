"""Progress for the commands that run long: a bar on a terminal (stderr), nothing when the
output goes to a file or a pipe, where a log reads better without it."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

Advance = Callable[[float], None]


@contextmanager
def progress(description: str, total: float | None = None) -> Iterator[Advance]:
    """``with progress("Backing up", total=n) as advance: ... advance(1)``."""
    if not sys.stderr.isatty():
        yield quiet
        return
    from rich.console import Console
    from rich.progress import Progress

    with Progress(console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task(description, total=total)

        def advance(step: float = 1) -> None:
            bar.advance(task, step)

        yield advance


def quiet(step: float = 1) -> None:
    """Off a terminal, progress is not shown."""
