"""What purchasing refuses, one class per error code."""

from __future__ import annotations

from collections.abc import Sequence

from stockkeeper.core.errors import Conflict, FieldError, Invalid, UnknownReference, field_error


def _shown(status: str) -> str:
    return status.replace("_", " ")


class InactiveSupplier(Invalid):
    code = "inactive_supplier"
    example = "supplier Acme Supplies is inactive"

    def __init__(self, name: str) -> None:
        super().__init__(
            f"supplier {name} is inactive",
            errors=[field_error("supplier_id", "inactive", "inactive_supplier")],
        )


class UnknownStaff(UnknownReference):
    """The buyer named is no API key of the company."""

    code = "unknown_staff"
    example = "no API key 'key_01...' in this company"

    def __init__(self, staff_id: str) -> None:
        super().__init__(
            "staff",
            [field_error("staff_id", "no such API key", "unknown_reference")],
            f"no API key {staff_id!r} in this company",
        )


class UnknownOrderLine(Invalid):
    """A receipt or return entry that names no line of the order, or more than one."""

    code = "unknown_order_line"
    example = "items.0.item_id: not on this order"

    def __init__(self, errors: Sequence[FieldError]) -> None:
        super().__init__(errors[0].message, errors=errors)


class OrderNotEditable(Conflict):
    code = "order_not_editable"
    example = (
        "a received purchase order cannot have its lines replaced; only created or ordered ones can"
    )

    def __init__(self, status: str) -> None:
        super().__init__(
            f"a {_shown(status)} purchase order cannot have its lines replaced; "
            "only created or ordered ones can",
            current_status=status,
        )


class OrderNotOpen(Conflict):
    code = "order_not_open"
    example = (
        "a created purchase order cannot be received; only ordered or partially received ones can"
    )

    def __init__(self, status: str) -> None:
        super().__init__(
            f"a {_shown(status)} purchase order cannot be received; "
            "only ordered or partially received ones can",
            current_status=status,
        )


class OrderNotReceived(Conflict):
    """Nothing of the order has been received: no packing slip to store, nothing to return."""

    code = "order_not_received"
    example = "a packing slip belongs to a received or partially received order"

    def __init__(self, detail: str, status: str) -> None:
        super().__init__(detail, current_status=status)

    @classmethod
    def for_slip(cls, status: str) -> OrderNotReceived:
        return cls("a packing slip belongs to a received or partially received order", status)

    @classmethod
    def for_return(cls, status: str) -> OrderNotReceived:
        return cls(
            f"nothing of a {_shown(status)} purchase order has been received to return", status
        )


class NothingToReceive(Conflict):
    code = "nothing_to_receive"
    example = "nothing is left to receive on this order"

    def __init__(self) -> None:
        super().__init__(self.example)


class OverReceipt(Conflict):
    """More than a line's quantity and its tolerance allow."""

    code = "over_receipt"
    example = "more than was ordered: 6 of 10 already received; at most 5 more (tolerance 10%)"

    def __init__(self, errors: Sequence[FieldError]) -> None:
        super().__init__("more than was ordered: " + errors[0].message, errors=errors)


class MoreThanReceived(Conflict):
    """A return of more than was received less what went back already."""

    code = "more_than_received"
    example = "more than was received: at most 7 left to return"

    def __init__(self, errors: Sequence[FieldError]) -> None:
        super().__init__("more than was received: " + errors[0].message, errors=errors)
