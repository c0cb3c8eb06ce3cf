"""The transfer use cases, each one service function that every face calls."""

from stockkeeper.transfers.service.documents import (
    create_transfer,
    get_transfer,
    list_transfers,
    update_transfer,
)
from stockkeeper.transfers.service.status import change_transfer_status

__all__ = [
    "change_transfer_status",
    "create_transfer",
    "get_transfer",
    "list_transfers",
    "update_transfer",
]
