"""The sales use cases: issues to customers and returns from them."""

from stockkeeper.sales.service.documents import (
    create_issue,
    create_return,
    get_issue,
    get_return,
    list_issues,
    list_returns,
)

__all__ = [
    "create_issue",
    "create_return",
    "get_issue",
    "get_return",
    "list_issues",
    "list_returns",
]
