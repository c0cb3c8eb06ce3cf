"""An adjustment's content, checked and written into its rows: the locations (the adjustment's,
and each line's own), the lines' changes and the type they make, the reasons as filed, the
bins each line's stock lies in, the accounts the lines name, and the custom fields."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from stockkeeper.accounting.service.references import check_references
from stockkeeper.adjustments.models import StockAdjustment, StockAdjustmentLine
from stockkeeper.adjustments.service.reasons import Filed, file_reasons
from stockkeeper.adjustments.values import AdjustmentContent, AdjustmentLine, CustomField
from stockkeeper.catalog.models import Location
from stockkeeper.catalog.service.common import rows_by_id
from stockkeeper.catalog.service.locations import PHYSICAL_TYPES, check_bins, location_or_default
from stockkeeper.core.db import new_row
from stockkeeper.core.errors import Invalid, UnknownReference, field_error
from stockkeeper.core.ids import new_id
from stockkeeper.stock.service import lots
from stockkeeper.stock.service.locations import virtual_locations
from stockkeeper.tenancy.service import Actor


def fill(
    session: Session, actor: Actor, row: StockAdjustment, content: AdjustmentContent, today: date
) -> list[StockAdjustmentLine]:
    """Checks the content and writes it into the adjustment; returns its new line rows."""
    location = location_of(session, actor, content.location_id)
    lines = content.items
    places = _line_locations(session, actor, lines, location)
    derived = derive_type(_changes(content.adjustment_type, lines))
    if content.type not in (None, derived):
        raise Invalid(
            f"the lines make a {derived} adjustment, not {content.type}",
            errors=[field_error("type", f"the lines make it {derived}", "contradicts_lines")],
        )
    reasons = file_reasons(
        session,
        actor,
        {"reason": content.reason}
        | {f"items.{n}.reason": line.reason for n, line in enumerate(lines) if line.reason},
        {"reason": content.reason_id} if content.reason_id else None,
    )
    _check_bins(session, actor, lines, places)
    _check_accounts(session, actor, lines)
    row.adjustment_date = content.date or today
    row.type = derived
    row.adjustment_type = content.adjustment_type
    row.reason, row.reason_text = reasons["reason"].code, reasons["reason"].text
    row.location_id = location.id
    row.reference = content.reference
    row.notes = content.notes
    row.custom_fields = _custom_fields(content.custom_fields)
    row.total_value = Decimal(0)
    return [
        _line_row(actor, row, n, line, places[n], reasons.get(f"items.{n}.reason"))
        for n, line in enumerate(lines)
    ]


def location_of(session: Session, actor: Actor, location_id: str | None) -> Location:
    """The location named, else the company's default warehouse."""
    if location_id is not None:
        # read with the virtual locations its stock comes from or goes to: one query, not two
        virtual = virtual_locations(session, actor.company_id)
        rows_by_id(
            session, Location, actor.company_id, {location_id, virtual["loss"], virtual["opening"]}
        )
    return location_or_default(session, actor, location_id, "location_id")


def derive_type(changes: list[Decimal]) -> str:
    if all(q > 0 for q in changes):
        return "positive"
    if all(q < 0 for q in changes):
        return "negative"
    return "mixed"


def _line_locations(
    session: Session, actor: Actor, lines: Sequence[AdjustmentLine], default: Location
) -> list[Location]:
    """Each line's location: the warehouse or store it names (a 422 ``unknown_location`` on
    it where the company has none of that id), else the adjustment's."""
    named = {line.location_id for line in lines if line.location_id}
    found = rows_by_id(session, Location, actor.company_id, named) if named else {}
    places = {ident: row for ident, row in found.items() if row.type in PHYSICAL_TYPES}
    errors = [
        field_error(f"items.{n}.location_id", "no such warehouse or store", "unknown_reference")
        for n, line in enumerate(lines)
        if line.location_id and line.location_id not in places
    ]
    if errors:
        raise UnknownReference("location", errors)
    return [places[line.location_id] if line.location_id else default for line in lines]


def _changes(adjustment_type: str, lines: Sequence[AdjustmentLine]) -> list[Decimal]:
    """Each line's change (quantity or value, as the adjustment type says), after checking
    that every line carries the right one."""
    wanted, other = (
        ("value_adjusted", "adjustment_quantity")
        if adjustment_type == "value"
        else ("adjustment_quantity", "value_adjusted")
    )
    # a revaluation moves no stock: no cost of stock added, no bins it lies in
    unwanted = (other, "unit_cost", "bins") if adjustment_type == "value" else (other,)
    errors = []
    for n, line in enumerate(lines):
        if getattr(line, wanted) is None:
            errors.append(
                field_error(
                    f"items.{n}.{wanted}", f"required on {adjustment_type} lines", "wrong_kind"
                )
            )
        errors += [
            field_error(
                f"items.{n}.{name}", f"not allowed on {adjustment_type} lines", "wrong_kind"
            )
            for name in unwanted
            if getattr(line, name) is not None
        ]
    if errors:
        raise Invalid(errors[0].message, errors=errors)
    return [getattr(line, wanted) for line in lines]


def _check_bins(
    session: Session, actor: Actor, lines: Sequence[AdjustmentLine], places: list[Location]
) -> None:
    """Every bin a line names (its bin, its bins, its batches' bins) is one of its location's
    (a 422 ``unknown_bin`` on each that is not)."""
    named: list[tuple[str, str, Location]] = []
    for n, (line, place) in enumerate(zip(lines, places, strict=True)):
        if line.bin_id:
            named.append((f"items.{n}.bin_id", line.bin_id, place))
        named += [
            (f"items.{n}.bins.{m}.bin_id", share.bin_id, place)
            for m, share in enumerate(line.bins or ())
        ]
        named += [
            (f"items.{n}.batches.{k}.bins.{m}.bin_id", share.bin_id, place)
            for k, batch in enumerate(line.batches or ())
            for m, share in enumerate(batch.bins or ())
        ]
    check_bins(session, actor.company_id, named)


def _check_accounts(session: Session, actor: Actor, lines: Sequence[AdjustmentLine]) -> None:
    """The accounts lines name are active accounts of the chart (422 ``unknown_account``)."""
    named = {f"items.{n}.account_id": line.account_id for n, line in enumerate(lines)}
    accounts = {field: ref for field, ref in named.items() if ref is not None}
    if accounts:
        check_references(session, actor.company_id, accounts=accounts, tax_rates={})


def _custom_fields(fields: Sequence[CustomField]) -> list[dict[str, Any]]:
    seen: set[str] = set()
    for n, entry in enumerate(fields):
        label = entry.label.casefold()
        if label in seen:
            raise Invalid(
                f"custom field {entry.label!r} is given twice",
                errors=[field_error(f"custom_fields.{n}.label", "given twice", "duplicate")],
            )
        seen.add(label)
    return [entry.model_dump(exclude_unset=True) for entry in fields]


def _line_row(
    actor: Actor,
    row: StockAdjustment,
    n: int,
    line: AdjustmentLine,
    place: Location,
    reason: Filed | None,
) -> StockAdjustmentLine:
    """A line as given; with no reason of its own, the adjustment's (and its words)."""
    given = lots.Lots.given(line)
    return new_row(
        StockAdjustmentLine,
        id=new_id("adjitem"),
        company_id=actor.company_id,
        adjustment_id=row.id,
        position=n,
        item_id=line.item_id,
        variant_id=line.variant_id,
        location_id=place.id,
        bin_id=line.bin_id,
        bins=given.bins,
        adjustment_quantity=line.adjustment_quantity or Decimal(0),
        value_adjusted=line.value_adjusted,
        unit_cost=line.unit_cost,
        reason=reason.code if reason else row.reason,
        reason_text=reason.text if reason else row.reason_text,
        account_id=line.account_id,
        notes=line.notes,
        batches=given.batches,
        serial_numbers=given.serial_numbers,
    )
