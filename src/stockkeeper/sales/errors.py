"""What sales documents refuse, beyond the stock's own refusals."""

from __future__ import annotations

from stockkeeper.core.errors import Invalid


class MoreThanIssued(Invalid):
    """A return of more than went out on the issue it names (less what came back already)."""

    code = "more_than_issued"
    example = "only 2 of this item from ISS-2026-0001 can come back"
