"""What the ledger and stock documents refuse, one class per error code."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import date
from decimal import Decimal

from stockkeeper.core.errors import Conflict, FieldError, Invalid


@dataclass(frozen=True)
class Shortage:
    """One short line: the item (and variant, bin, batch or serial) at a location, what was
    asked for and what is available there."""

    item_id: str
    item_code: str
    variant_id: str | None
    location_id: str
    location_name: str
    bin_id: str | None
    batch_id: str | None
    serial_id: str | None
    requested: Decimal
    available: Decimal


class InsufficientStock(Conflict):
    """Not enough available stock: every short line, in one error."""

    code = "insufficient_stock"
    example = "not enough stock: WDG-001 at Main Warehouse: asked 5, available 3"

    def __init__(self, shortages: Sequence[Shortage]) -> None:
        detail = "; ".join(
            f"{s.item_code} at {s.location_name}: asked {s.requested}, available {s.available}"
            for s in shortages
        )
        super().__init__(f"not enough stock: {detail}", shortages=[asdict(s) for s in shortages])
        self.shortages = list(shortages)


class ItemCannotMove(Invalid):
    """A line names an item that is unknown, inactive, not stocked, or not of that variant."""

    code = "item_cannot_move"
    example = "items.0.item_id: SVC-1 is a service item whose stock is not tracked"

    def __init__(self, errors: Sequence[FieldError]) -> None:
        super().__init__("; ".join(e.message for e in errors), errors=errors)


class InvalidLots(Invalid):
    """Batches or serial numbers that do not fit the item or the line."""

    code = "invalid_lots"
    example = "LOT-1 is batch-tracked: name its batches"

    def __init__(self, errors: Sequence[FieldError], detail: str | None = None) -> None:
        super().__init__(detail or errors[0].message, errors=errors)


class SerialInStock(Conflict):
    code = "serial_in_stock"
    example = "serial number 'SN-0001' is in stock already"


class SerialNotInStock(Conflict):
    code = "serial_not_in_stock"
    example = "serial number 'SN-0001' is not in stock there"


class PeriodLocked(Conflict):
    """The books are closed up to the lock date: nothing may be dated on or before it."""

    code = "period_locked"
    example = "the books are closed up to 2026-06-30: nothing may be dated 2026-06-15"

    def __init__(self, lock_date: date, effective_date: date) -> None:
        super().__init__(
            f"the books are closed up to {lock_date}: nothing may be dated {effective_date}",
            errors=[FieldError("date", f"on or before the lock date {lock_date}")],
            lock_date=lock_date.isoformat(),
        )


class FutureDate(Invalid):
    """A movement dated after today in the company's time zone: stock moves when it moves, so
    a date to come would count in today's stock (and its availability) before it happened."""

    code = "future_date"
    example = (
        "a movement may not be dated after today (2026-06-30 in Asia/Kuala_Lumpur): 2026-07-01"
    )

    def __init__(self, today: date, effective_date: date, timezone: str) -> None:
        super().__init__(
            f"a movement may not be dated after today ({today} in {timezone}): {effective_date}",
            errors=[FieldError("date", f"after today, {today}", "future_date")],
            today=today.isoformat(),
        )


class NothingToRevalue(Conflict):
    code = "nothing_to_revalue"
    example = "WDG-001 has no stock at Main Warehouse to revalue"


class ValueBelowZero(Conflict):
    code = "value_below_zero"
    example = "WDG-001 at Main Warehouse is valued at 100: taking 120 off would leave less"


class ItemHasStock(Conflict):
    """A change of tracking that stock on hand or reserved forbids."""

    code = "item_has_stock"
    example = "the item holds stock: move it out before it stops being a tracked stock item"


class StockFromPurchaseOrders(Conflict):
    """An item's quantity on hand set directly where the company receives its stock on
    purchase orders (``purchase_orders_enabled``): only a company that does not may."""

    code = "purchase_orders_enabled"
    example = (
        "stock comes in on purchase orders here (purchase_orders_enabled): an item's quantity "
        "on hand is not set directly"
    )
