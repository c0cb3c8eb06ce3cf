"""What the catalogue refuses beyond the families every slice shares (``core.errors``)."""

from __future__ import annotations

from collections.abc import Sequence

from stockkeeper.core.errors import FieldError, Invalid, field_error


class CategoryCycle(Invalid):
    code = "category_cycle"
    example = "a category cannot be moved under itself or one of its descendants"

    def __init__(self) -> None:
        super().__init__(
            self.example, errors=[field_error("parent_id", "would make a cycle", "cycle")]
        )


class ContradictsItem(Invalid):
    """Two fields sent together that say different things of one figure of the item (its
    selling price, and its price in the group that holds it): each is named."""

    code = "contradicts_item"
    example = (
        "pricing.sellingPrice: 35, but 30 in Sales Price; pricing.priceGroups.0.price: 30, "
        "but the selling price sent is 35"
    )

    def __init__(self, errors: Sequence[FieldError]) -> None:
        super().__init__("", errors=errors)
        self.detail = "; ".join(f"{e.field}: {e.message}" for e in errors)
        self.detail_from_errors = True
