"""The checks of a whole price list before anything is applied: each row's cells, its item
(and variant) by code, its price group among the groups of the item's kind, and a price
named twice. Every fault is reported with its row and column."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from stockkeeper.catalog.models import PriceGroup
from stockkeeper.catalog.service.item_prices import PRICE_KIND
from stockkeeper.imports.service.headings import Fault
from stockkeeper.imports.service.item_catalogue import Known, known_codes
from stockkeeper.imports.service.price_layout import Row


def check_rows(session: Session, company_id: str, rows: Sequence[Row]) -> list[Fault]:
    codes = {r.item_code for r in rows} | {r.variant_code for r in rows if r.variant_code}
    known = known_codes(session, company_id, "item_code", codes)
    groups = {
        (g.kind, g.name): g
        for g in session.scalars(select(PriceGroup).where(PriceGroup.company_id == company_id))
    }
    first: dict[tuple[str, str | None, str], int] = {}
    for row in rows:
        if not row.errors:
            _check_row(row, known, groups)
        place = (row.item_code, row.variant_code, row.group)
        earlier = first.setdefault(place, row.number)
        if earlier != row.number:
            row.errors.append(("priceGroup", f"this price is already on row {earlier}"))
    return [(row.number, column, reason) for row in rows for column, reason in row.errors]


def _check_row(
    row: Row, known: dict[str, Known], groups: dict[tuple[str, str], PriceGroup]
) -> None:
    item = known.get(row.item_code)
    if item is None:
        row.errors.append(("itemCode", "no item with this code"))
        return
    if item.is_variant:
        row.errors.append(("itemCode", "a variant's code: its item's code goes here"))
        return
    row.item_id = item.id
    kind = PRICE_KIND[item.item_type]
    group = groups.get((kind, row.group))
    if group is None:
        row.errors.append(("priceGroup", f"no {kind.replace('_', ' ')} group of this name"))
        return
    row.group_id, row.holds_selling_price = group.id, group.holds_selling_price
    if row.variant_code is None:
        return
    variant = known.get(row.variant_code)
    if variant is None or not variant.is_variant or variant.item_id != item.id:
        row.errors.append(("variantCode", "no variant of this item with this code"))
    elif not group.holds_selling_price:
        row.errors.append(("priceGroup", "a variant has its own selling price only"))
    elif row.includes_tax is not None:
        row.errors.append(("includesTax", "a variant's price includes tax as its item's does"))
    else:
        row.variant_id = variant.id
