"""The purchasing use cases, each one service function that every face calls."""

from stockkeeper.purchasing.service.lifecycle import update_order
from stockkeeper.purchasing.service.orders import create_order, delete_order, replace_order_lines
from stockkeeper.purchasing.service.packing_slips import (
    attach_packing_slip,
    packing_slip_file,
    packing_slips_archive,
)
from stockkeeper.purchasing.service.reads import (
    get_order,
    get_supplier_with_orders,
    list_orders,
    recent_orders,
)
from stockkeeper.purchasing.service.receiving import receive_order, return_to_supplier
from stockkeeper.purchasing.service.reorder import create_orders_from_reorder
from stockkeeper.purchasing.service.scanning import check_receipt_scan, receive_scans

__all__ = [
    "attach_packing_slip",
    "check_receipt_scan",
    "create_order",
    "create_orders_from_reorder",
    "delete_order",
    "get_order",
    "get_supplier_with_orders",
    "list_orders",
    "packing_slip_file",
    "packing_slips_archive",
    "receive_order",
    "receive_scans",
    "recent_orders",
    "replace_order_lines",
    "return_to_supplier",
    "update_order",
]
