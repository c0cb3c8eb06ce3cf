"""Zoho's requests as the adjustment use cases take them: the slices' typed values, in the
domain's names. A value the domain refuses (checked as the values are built) is a 422 whose
fields the error shape spells with Zoho's names again."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any, TypeVar

from pydantic import ValidationError

from stockkeeper.adjustments.values import AdjustmentContent, AdjustmentFilters, NewAdjustment
from stockkeeper.compat.zoho import schemas
from stockkeeper.core.errors import Invalid, field_error
from stockkeeper.core.values import Values

V = TypeVar("V", bound=Values)

# Zoho's statuses and the canonical lifecycle's, both ways
STATUSES = {
    "draft": "draft",
    "pending_approval": "pending_approval",
    "approved": "approved",
    "rejected": "rejected",
    "posted": "adjusted",
    "reversed": "reversed",
}
_FILTERS = {f"Status.{''.join(p.title() for p in z.split('_'))}": c for c, z in STATUSES.items()}
_SIX_PLACES = Decimal("0.000001")


def content(body: schemas.Adjustment) -> AdjustmentContent:
    return _checked(AdjustmentContent, _content(body))


def new_adjustment(body: schemas.NewAdjustment) -> NewAdjustment:
    status = "draft" if body.status == "draft" else "posted"
    return _checked(NewAdjustment, {**_content(body), "status": status})


def filters(query: schemas.ListQuery) -> AdjustmentFilters:
    return _checked(
        AdjustmentFilters,
        _given(
            status=_FILTERS.get(query.filter_by),
            location_id=query.location_id,
            item_id=query.item_id,
            reason=query.reason_id,
            date_from=query.date_start,
            date_to=query.date_end,
        ),
    )


def _checked(model: type[V], given: dict[str, Any]) -> V:
    """The values, or a 422 naming each field the domain refuses (in its names, which the
    error shape spells as Zoho does)."""
    try:
        return model.model_validate(given)
    except ValidationError as refused:
        errors = [
            field_error(".".join(str(p) for p in e["loc"]) or "body", e["msg"], e["type"])
            for e in refused.errors()
        ]
        raise Invalid("; ".join(f"{e.field}: {e.message}" for e in errors), errors=errors) from None


def _given(**fields: Any) -> dict[str, Any]:
    """The fields that were given: one left out stays unset in the values."""
    return {name: value for name, value in fields.items() if value is not None}


def _content(body: schemas.Adjustment) -> dict[str, Any]:
    return _given(
        date=body.date,
        adjustment_type=body.adjustment_type,
        reason=body.reason or body.reason_id,
        reason_id=body.reason_id,
        location_id=body.location_id,
        reference=body.reference_number or None,
        notes=body.description or None,
        custom_fields=[_custom_field(f) for f in body.custom_fields],
        items=[_line(line) for line in body.line_items],
    )


def _custom_field(entry: schemas.CustomField) -> dict[str, Any]:
    label = entry.label or entry.customfield_id  # Zoho's clients may send the id alone
    return {**_given(customfield_id=entry.customfield_id, label=label), "value": entry.value}


def _line(line: schemas.LineItem) -> dict[str, Any]:
    storages = line.storages or ()
    # the line's serial numbers, and those its bins name (Zoho may say them twice)
    named = [*(line.serial_numbers or ()), *(s for x in storages for s in x.serial_numbers or ())]
    serials = list(dict.fromkeys(named))
    # a serial-tracked line lies in one bin (the domain spreads no serials over bins)
    one_bin = len(storages) == 1 and bool(serials)
    return _given(
        item_id=line.item_id,
        location_id=line.location_id,
        adjustment_quantity=line.quantity_adjusted,
        value_adjusted=line.value_adjusted,
        unit_cost=_unit_cost(line),
        account_id=line.adjustment_account_id,
        notes=line.description or None,
        serial_numbers=serials or None,
        batches=None if line.batches is None else [_batch(b) for b in line.batches],
        bin_id=storages[0].storage_id if one_bin else None,
        bins=None if one_bin or not storages else _bins(storages),
    )


def _unit_cost(line: schemas.LineItem) -> Decimal | None:
    """Stock added costs its ``item_total`` over its quantity (to six places); stock removed
    goes at the average cost, so a total sent with it is left."""
    quantity, total = line.quantity_adjusted, line.item_total
    if quantity is None or total is None or quantity <= 0 or line.value_adjusted is not None:
        return None
    return (total / quantity).quantize(_SIX_PLACES)


def _batch(batch: schemas.Batch) -> dict[str, Any]:
    return _given(
        batch_id=batch.batch_id,
        batch_number=batch.batch_number,
        external_batch_number=batch.external_batch_number,
        manufacturer_date=batch.manufacturer_date,
        expiry_date=batch.expiry_date,
        quantity=_moved(batch.in_quantity, batch.out_quantity),
        bins=_bins(batch.storages) if batch.storages else None,
    )


def _bins(storages: Sequence[schemas.Storage]) -> list[dict[str, Any]]:
    return [
        _given(bin_id=s.storage_id, quantity=_moved(s.in_quantity, s.out_quantity))
        for s in storages
    ]


def _moved(in_quantity: Decimal | None, out_quantity: Decimal | None) -> Decimal | None:
    """What goes in or out of a batch or a bin (the line's sign says which)."""
    return in_quantity if in_quantity is not None else out_quantity
