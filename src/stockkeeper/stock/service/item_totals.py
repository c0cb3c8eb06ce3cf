"""The items' stock totals and purchase figures, kept by every posting in one statement."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from functools import cache
from typing import Any

from sqlalchemy import Integer, Update, bindparam, update
from sqlalchemy.orm import Session

from stockkeeper.catalog.models import Item, Location
from stockkeeper.core.db import table_of
from stockkeeper.core.executemany import run_many
from stockkeeper.core.types import Amount
from stockkeeper.stock.service import cost_figures
from stockkeeper.stock.service.levels import PHYSICAL, ZERO
from stockkeeper.stock.service.lines import Line


def update_items(
    session: Session,
    company_id: str,
    lines: list[Line],
    locations: dict[str, Location],
    bought: dict[str, dict[str, Any]],
    *,
    backdated: bool,
) -> None:
    """Keeps each item's on-hand total over warehouses and stores (for sorting and filtering
    lists) and its purchase figures (``cost_figures``), and, when the movements are
    ``backdated``, raises its cost revision; in one statement, in item id order so that
    concurrent postings take the rows in the same order."""
    deltas: dict[str, Decimal] = defaultdict(Decimal)
    for line in lines:
        sign = (locations[line.to_location_id].type in PHYSICAL) - (
            locations[line.from_location_id].type in PHYSICAL
        )
        deltas[line.item_id] += sign * line.quantity
    changed = sorted(
        {item_id for item_id, delta in deltas.items() if delta or backdated} | bought.keys()
    )
    if changed:
        statement, written = _item_totals()
        run_many(
            session,
            statement,
            [
                {
                    "b_company": company_id,
                    "b_item": item_id,
                    "delta": deltas.get(item_id, ZERO),
                    "revised": int(backdated),
                    **bought.get(item_id, cost_figures.NO_PURCHASE),
                }
                for item_id in changed
            ],
        )
        # the item rows the session holds (rows_by_id) would show the figures of before
        key = Item.__mapper__.identity_key_from_primary_key
        for item_id in changed:
            held = session.identity_map.get(key((company_id, item_id)))
            if held is not None:
                session.expire(held, written)


@cache
def _item_totals() -> tuple[Update, list[str]]:
    """The UPDATE of ``update_items``, and the item attributes it sets."""
    table = table_of(Item)
    values = {
        "stock_on_hand": table.c.stock_on_hand + bindparam("delta", type_=Amount()),
        "cost_revision": table.c.cost_revision + bindparam("revised", type_=Integer()),
        **cost_figures.columns(table),
    }
    statement = (
        update(table)
        .where(table.c.company_id == bindparam("b_company"), table.c.id == bindparam("b_item"))
        .values(values)
    )
    return statement, list(values)
