"""Import jobs as the canonical API shows them, and the query of their list."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field

from stockkeeper.core.api_model import ApiModel

State = Literal["validating", "ready", "applying", "done", "failed"]


class ImportCounts(ApiModel):
    rows: int = Field(description="Data rows in the file (the heading row not counted)")
    valid: int
    invalid: int = Field(description="Rows at fault: refused by the checks, or when applied")
    created: int
    updated: int
    unchanged: int
    done: int = Field(description="Rows gone through so far, applied or skipped")


class ImportFault(ApiModel):
    row: int = Field(description="The row as a spreadsheet numbers it: the headings are row 1")
    column: str = Field(description="The column's heading; empty for the row as a whole")
    reason: str


class ImportRead(ApiModel):
    id: str
    kind: Literal["items", "stock", "prices"]
    state: State
    dry_run: bool
    skip_invalid: bool
    file_name: str
    file_format: Literal["csv", "xlsx"]
    counts: ImportCounts
    errors: list[ImportFault]
    created_by: str
    created_at: dt.datetime
    updated_at: dt.datetime
    finished_at: dt.datetime | None


class ImportListQuery(ApiModel):
    limit: int = Field(default=20, ge=1, le=100)


class ExportQuery(ApiModel):
    format: Literal["csv", "xlsx"] = "csv"
