"""The count use cases, each one service function that every face calls."""

from stockkeeper.counts.service.counting import count_lines, recount_lines
from stockkeeper.counts.service.lifecycle import (
    approve_count,
    cancel_count,
    post_count,
    submit_count,
)
from stockkeeper.counts.service.opening import open_count
from stockkeeper.counts.service.reading import get_count, list_counts
from stockkeeper.counts.service.review import review_count
from stockkeeper.counts.service.scanning import scan_count

__all__ = [
    "approve_count",
    "cancel_count",
    "count_lines",
    "get_count",
    "list_counts",
    "open_count",
    "post_count",
    "recount_lines",
    "review_count",
    "scan_count",
    "submit_count",
]
