"""What transfers refuse, one class per refusal, with the codes clients know them by."""

from __future__ import annotations

from stockkeeper.core.errors import Conflict, Forbidden, Invalid, field_error
from stockkeeper.stock.errors import InvalidLots


class AdminOnly(Forbidden):
    """Approving and rejecting a transfer are an admin's."""

    code = "role_too_weak"
    example = "a transfer is approved by an admin; the key has clerk"

    def __init__(self, status: str, role: str) -> None:
        super().__init__(f"a transfer is {status} by an admin; the key has {role}")


class ApprovalRequired(Conflict):
    """A transfer waiting for approval is shipped by an admin, whose shipping approves it;
    anyone else waits for the approval."""

    code = "approval_required"
    example = "the transfer waits for an admin's approval before it ships; the key has clerk"

    def __init__(self, role: str) -> None:
        super().__init__(
            f"the transfer waits for an admin's approval before it ships; the key has {role}"
        )


class SameLocations(Invalid):
    example = "a transfer goes between two different locations"

    def __init__(self) -> None:
        super().__init__(
            "a transfer goes between two different locations",
            errors=[field_error("to_location_id", "the same location as the source")],
        )


class ItemsNotExpected(Invalid):
    """Quantities per line belong to shipping and receiving alone."""

    example = "items are given only when shipping or receiving"

    def __init__(self, status: str) -> None:
        super().__init__(
            "items are given only when shipping or receiving",
            errors=[field_error("items", f"not allowed when the status becomes {status}")],
        )


class NothingToShip(Invalid):
    example = "nothing to ship"

    def __init__(self) -> None:
        super().__init__("nothing to ship", errors=[field_error("items", "every quantity is zero")])


class ArrivalsUnnamed(InvalidLots):
    """A batch- or serial-tracked line received short: which of its lots arrived is not
    something to guess."""

    example = "name the batches or serial numbers that arrived"

    def __init__(self, field: str) -> None:
        super().__init__(
            [field_error(field, "received short: say which arrived")],
            "name the batches or serial numbers that arrived",
        )
