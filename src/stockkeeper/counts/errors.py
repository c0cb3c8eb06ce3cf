"""What the count use cases refuse, beside the kinds every slice shares."""

from __future__ import annotations

from collections.abc import Sequence

from stockkeeper.core.errors import FieldError, Invalid


class InvalidEntries(Invalid):
    """Counted entries refused, every one of them in one answer (nothing of the list is
    applied): each error names the entry by its index and says why."""

    code = "invalid_count_entries"
    example = "entries.0.code: no item, variant or serial number has the code 'XYZ'"

    def __init__(self, errors: Sequence[FieldError]) -> None:
        super().__init__("; ".join(f"{e.field}: {e.message}" for e in errors), errors=errors)
        self.detail_from_errors = True
