"""The adjustment use cases, each one service function that every face calls."""

from stockkeeper.adjustments.service.counts import count_stock
from stockkeeper.adjustments.service.documents import (
    create_adjustment,
    delete_adjustment,
    get_adjustment,
    list_adjustments,
    update_adjustment,
)
from stockkeeper.adjustments.service.lifecycle import (
    approve_adjustment,
    post_adjustment,
    reject_adjustment,
    reverse_adjustment,
    submit_adjustment,
)

__all__ = [
    "approve_adjustment",
    "count_stock",
    "create_adjustment",
    "delete_adjustment",
    "get_adjustment",
    "list_adjustments",
    "post_adjustment",
    "reject_adjustment",
    "reverse_adjustment",
    "submit_adjustment",
    "update_adjustment",
]
