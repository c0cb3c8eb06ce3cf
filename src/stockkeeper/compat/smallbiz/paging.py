"""smallbiz's paging: ``page`` (from 1) turns it on, ``limit`` rows a page (50 unless said);
without ``page`` a list is answered whole."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, TypeVar

from pydantic import BaseModel, Field

T = TypeVar("T")

DEFAULT_LIMIT = 50


class Paging(BaseModel):
    # at most a million: past it the rows to skip would not fit the database's integers
    page: Annotated[int, Field(ge=1, le=1_000_000)] | None = None
    limit: Annotated[int, Field(ge=1, le=1000)] = DEFAULT_LIMIT

    def window(self) -> tuple[int, int | None]:
        """The rows to skip and how many to take (None: all of them)."""
        if self.page is None:
            return 0, None
        return (self.page - 1) * self.limit, self.limit

    def of(self, rows: Sequence[T]) -> list[T]:
        """This page of rows listed whole."""
        skip, take = self.window()
        return list(rows[skip:] if take is None else rows[skip : skip + take])
