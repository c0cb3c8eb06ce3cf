"""The adjustment view in Zoho's shape: ``inventory_adjustment`` objects with ``line_items``,
their batches and storages (bins), and the ``{code, message, ...}`` envelope. Text Stockkeeper
does not have is an empty string, as Zoho writes it; a figure not known (the total of a draft's
line given no cost) is left out rather than shown as zero."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from stockkeeper.adjustments.views import AdjustmentView
from stockkeeper.api.responses import ExactJSONResponse
from stockkeeper.compat.zoho.parsing import STATUSES

ADDED = "Inventory Adjustment has been added"
DELETED = "Inventory Adjustment(s) has been deleted"
SUCCESS = "success"


def answer(message: str, status_code: int = 200, **more: Any) -> ExactJSONResponse:
    """Zoho's envelope: ``code`` 0 and a message, beside what the answer carries."""
    return ExactJSONResponse({"code": 0, "message": message, **more}, status_code=status_code)


def one(view: AdjustmentView, message: str = SUCCESS, status_code: int = 200) -> ExactJSONResponse:
    return answer(message, status_code, inventory_adjustment=adjustment(view))


def page(views: list[AdjustmentView], total: int, number: int, per_page: int) -> ExactJSONResponse:
    """A numbered page of the list, with Zoho's ``page_context``."""
    context = {
        "page": number,
        "per_page": per_page,
        "has_more_page": number * per_page < total,
        "report_name": "Inventory Adjustments",
        "sort_column": "date",
        "sort_order": "D",
    }
    return answer(
        SUCCESS,
        inventory_adjustments=[summary(view) for view in views],
        page_context=context,
    )


def summary(view: AdjustmentView) -> dict[str, Any]:
    """An adjustment as Zoho lists it: without its lines."""
    a = view.adjustment
    return _known(
        inventory_adjustment_id=a.id,
        date=a.adjustment_date.isoformat(),
        reason=a.reason_text or a.reason,
        reason_id=a.reason,
        description=a.notes or "",
        reference_number=a.reference or "",
        adjustment_type=a.adjustment_type,
        status=STATUSES[a.status],
        location_id=view.location.id,
        location_name=view.location.name,
        total=_total(view),
        custom_fields=[_custom_field(n, f) for n, f in enumerate(a.custom_fields)],
    )


def adjustment(view: AdjustmentView) -> dict[str, Any]:
    return {
        **summary(view),
        "line_items": [_line(view, line, item) for line, item in view.lines],
    }


def _custom_field(n: int, entry: dict[str, Any]) -> dict[str, Any]:
    """Zoho's values are text: a flag is ``true``/``false``, a number its exact digits."""
    value = entry.get("value")
    text = "" if value is None else str(value).lower() if isinstance(value, bool) else str(value)
    ident = entry.get("customfield_id") or str(n + 1)
    return {"customfield_id": ident, "label": entry["label"], "value": text}


def _line(view: AdjustmentView, line: Any, item: Any) -> dict[str, Any]:
    place = view.places[line.location_id]
    account = view.accounts.get(line.account_id) if line.account_id else None
    value = line.value_adjusted is not None
    removed = not value and line.adjustment_quantity < 0
    return _known(
        line_item_id=line.id,
        item_id=item.id,
        name=item.name,
        description=line.notes or "",
        quantity_adjusted=None if value else line.adjustment_quantity,
        value_adjusted=line.value_adjusted,
        item_total=_item_total(line),
        unit=item.unit,
        is_combo_product=False,
        adjustment_account_id=account.id if account else line.account_id or "",
        adjustment_account_name=account.name if account else "",
        location_id=place.id,
        location_name=place.name,
        serial_numbers=list(line.serial_numbers or ()),
        batches=[_batch(view, b, removed) for b in line.batches or ()],
        storages=[
            {**shelf, "serial_numbers": list(line.serial_numbers or ()) if line.bin_id else []}
            for shelf in _storages(view, _line_bins(line), removed)
        ],
    )


def _item_total(line: Any) -> Decimal | None:
    """As booked once posted; a draft's, at the cost it was given (unknown without one)."""
    booked: Decimal | None = line.total_cost
    revalued: Decimal | None = line.value_adjusted
    cost: Decimal | None = line.unit_cost
    if booked is not None or revalued is not None:
        return booked if booked is not None else revalued
    quantity: Decimal = line.adjustment_quantity
    return None if cost is None else quantity * cost


def _total(view: AdjustmentView) -> Decimal | None:
    """As booked once posted; a draft's, the sum of its lines' totals where all are known."""
    a = view.adjustment
    if a.posted_at:
        return a.total_value
    totals = [_item_total(line) for line, _ in view.lines]
    known = [t for t in totals if t is not None]
    return sum(known, Decimal(0)) if len(known) == len(totals) else None


def _line_bins(line: Any) -> list[dict[str, Any]]:
    if line.bin_id is not None:
        return [{"bin_id": line.bin_id, "quantity": abs(line.adjustment_quantity)}]
    return list(line.bins or ())


def _batch(view: AdjustmentView, batch: dict[str, Any], removed: bool) -> dict[str, Any]:
    made, expires = batch.get("manufacturer_date"), batch.get("expiry_date")
    return _known(
        batch_id=batch.get("batch_id") or "",
        batch_number=batch.get("batch_number") or "",
        external_batch_number=batch.get("external_batch_number") or "",
        manufacturer_date=str(made) if made else "",
        expiry_date=str(expires) if expires else "",
        **{_direction(removed): _number(batch["quantity"])},
        storages=_storages(view, batch.get("bins") or (), removed),
    )


def _storages(view: AdjustmentView, shares: Any, removed: bool) -> list[dict[str, Any]]:
    out = []
    for share in shares:
        shelf = view.bins.get(share["bin_id"])
        name = (shelf.name or shelf.code) if shelf is not None else ""
        quantity = _number(share["quantity"])
        out.append(
            {"storage_id": share["bin_id"], "storage_name": name, _direction(removed): quantity}
        )
    return out


def _number(stored: Any) -> Decimal:
    """A quantity as a line's JSON holds it, exactly."""
    return stored if isinstance(stored, Decimal) else Decimal(str(stored))


def _direction(removed: bool) -> str:
    return "out_quantity" if removed else "in_quantity"


def _known(**fields: Any) -> dict[str, Any]:
    """The fields whose value is known: Zoho leaves out what a document does not have."""
    return {name: value for name, value in fields.items() if value is not None}
