"""What the catalogue refuses beyond the families every slice shares (``core.errors``)."""

from __future__ import annotations

from stockkeeper.core.errors import Invalid, field_error


class CategoryCycle(Invalid):
    code = "category_cycle"
    example = "a category cannot be moved under itself or one of its descendants"

    def __init__(self) -> None:
        super().__init__(
            self.example, errors=[field_error("parent_id", "would make a cycle", "cycle")]
        )
