"""Applying a price list's rows, an item (with its variants' rows) at a time, through the
item use cases, so that each change has the checks, audit row and event of its own route:
the item's prices in the groups the file names are set, the others kept. A row that says
what the item holds changes nothing, so importing a list twice changes nothing the second
time."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from stockkeeper.catalog.models import Item, ItemPrice, ItemVariant
from stockkeeper.catalog.values import ItemChanges, VariantChanges
from stockkeeper.core.errors import DomainError
from stockkeeper.imports.service.grouping import Applied, Group, in_turn
from stockkeeper.imports.service.price_layout import Row
from stockkeeper.stock.service import items as use_cases
from stockkeeper.tenancy.service import Actor

Price = tuple[Decimal, bool | None]  # a price and whether it includes tax (None: as its group)
ZERO = Decimal(0)


def apply_groups(
    session: Session,
    actor: Actor,
    groups: Sequence[Group],
    *,
    skip: set[int],
    write: bool,
    seconds: float | None = None,
) -> Applied:
    """Applies the groups' rows, but those in ``skip``; with ``write`` false only counts
    what would be updated and left unchanged. With ``seconds``, stops after the group that
    reaches that time: ``rows`` says how far."""
    applied = Applied()
    for valid in in_turn(groups, skip, seconds, applied):
        _apply_item(session, actor, valid, write, applied)
    return applied


def _apply_item(
    session: Session, actor: Actor, rows: list[Row], write: bool, applied: Applied
) -> None:
    """In a savepoint: what the use cases refuse undoes the item's rows alone, and is
    reported at its first row."""
    item_id = rows[0].item_id or ""
    selling, prices = _prices(session, actor.company_id, item_id)
    changed = [
        r
        for r in rows
        if r.variant_id is None
        and (selling if r.holds_selling_price else prices.get(r.group_id or ""))
        != (r.price, r.includes_tax)
    ]
    variants = _variant_prices(session, actor.company_id, {r.variant_id for r in rows})
    moved = [r for r in rows if r.variant_id and variants.get(r.variant_id) != r.price]
    applied.counts["unchanged"] += len(rows) - len(changed) - len(moved)
    if not write:
        applied.counts["updated"] += len(changed) + len(moved)
        return
    try:
        with session.begin_nested():
            _write(session, actor, item_id, prices, changed, moved)
        applied.counts["updated"] += len(changed) + len(moved)
    except DomainError as error:
        applied.faults.append((rows[0].number, "", error.detail))
        applied.counts["refused"] += len(changed) + len(moved)


def _write(
    session: Session,
    actor: Actor,
    item_id: str,
    prices: dict[str, Price],
    changed: list[Row],
    moved: list[Row],
) -> None:
    """The item's prices in the groups, those of the changed rows replacing theirs (the
    selling price among them when a row names its group); the variants' selling prices."""
    if changed:
        listed = prices | {r.group_id or "": (r.price or ZERO, r.includes_tax) for r in changed}
        groups = [
            {"group_id": group, "price": price, "includes_tax": includes}
            for group, (price, includes) in listed.items()
        ]
        changes = ItemChanges.model_validate({"pricing": {"price_groups": groups}})
        use_cases.update_item(session, actor, item_id=item_id, changes=changes)
    for row in moved:
        use_cases.update_variant(
            session,
            actor,
            item_id=item_id,
            variant_id=row.variant_id or "",
            changes=VariantChanges(selling_price=row.price),
        )


def _prices(session: Session, company_id: str, item_id: str) -> tuple[Price, dict[str, Price]]:
    """The item's selling price, and its prices in the other groups by group."""
    item = session.get(Item, (company_id, item_id))
    assert item is not None  # the checks found it
    rows = session.execute(
        select(ItemPrice.price_group_id, ItemPrice.price, ItemPrice.includes_tax).where(
            ItemPrice.company_id == company_id, ItemPrice.item_id == item_id
        )
    )
    selling = (item.selling_price, item.selling_price_includes_tax)
    return selling, {group: (price, includes) for group, price, includes in rows}


def _variant_prices(
    session: Session, company_id: str, variant_ids: set[str | None]
) -> dict[str, Decimal | None]:
    wanted = {ident for ident in variant_ids if ident}
    if not wanted:
        return {}
    rows = session.execute(
        select(ItemVariant.id, ItemVariant.selling_price).where(
            ItemVariant.company_id == company_id, ItemVariant.id.in_(wanted)
        )
    )
    return {ident: price for ident, price in rows}
