"""What the import use cases take."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from stockkeeper.core.values import Values

ImportKind = Literal["items", "stock", "prices"]


class NewImport(Values):
    kind: ImportKind = "items"
    file_name: str = Field(max_length=255)
    content: bytes
    dry_run: bool = False
    skip_invalid: bool = False
