"""Stock rows valued by the company's costing method (the stock list's ``stockValue`` and
``averageCost``): the ledger's levels carry a moving average; the list shows the method's."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

from sqlalchemy.orm import Session

from stockkeeper.catalog.models import Item
from stockkeeper.catalog.service.categories import CategoryTree
from stockkeeper.core.currency import minor_unit
from stockkeeper.core.pagination import Listed, Listing, resume, text
from stockkeeper.costing.service import replay, snapshots
from stockkeeper.stock.service import rows as service
from stockkeeper.stock.service.queries import items_found_by
from stockkeeper.stock.values import StockListFilters
from stockkeeper.tenancy.service import Actor, company_today, get_company


def method_values(
    session: Session,
    company_id: str,
    revisions: dict[str, int],
    standard_costs: dict[str, Decimal],
) -> dict[tuple[str, str | None, str], Decimal]:
    """(item, variant, location) -> the value of its stock under the company's costing
    method, rounded to the currency's minor unit. ``revisions`` holds each item's cost
    revision, read before this runs."""
    if not revisions:
        return {}
    company = get_company(session, company_id)
    cent = minor_unit(company.currency)
    values = {}
    for history in snapshots.replays(
        session,
        company_id,
        revisions,
        company.costing_method,
        date.max,
        today=company_today(company),
    ):
        for location_id, position in history.outcome(standard_costs[history.item_id])[0].items():
            values[(history.item_id, history.variant_id, location_id)] = position.value.quantize(
                cent
            )
    return values


def valued(
    session: Session, company_id: str, rows: list[service.StockRow]
) -> list[service.StockRow]:
    """The rows with the value their stock has under the company's costing method."""
    items = {row.item.id: row.item for row in rows}
    values = method_values(
        session,
        company_id,
        {item_id: item.cost_revision for item_id, item in items.items()},
        {item_id: replay.standard_cost(item) for item_id, item in items.items()},
    )
    return _revalued(rows, values)


def _revalued(
    rows: list[service.StockRow], values: dict[tuple[str, str | None, str], Decimal]
) -> list[service.StockRow]:
    return [
        replace(row, value=values.get((row.item.id, row.variant_id, row.location.id), row.value))
        for row in rows
    ]


# what the stock list's rows show, not which rows: per request, like ``limit``
_SHOWN = ("include_reserved", "include_reorder_info")


def list_stock(
    session: Session,
    actor: Actor,
    *,
    filters: StockListFilters,
    limit: int,
    cursor: str | None,
    count: bool = True,
) -> Listed[service.StockRow]:
    """A page of the stock list: one row per item (and variant) and warehouse or store
    holding, reserving or awaiting stock, valued by the company's costing method; counted
    when ``count`` (a count sums the company's every level)."""
    listing = resume("stock", filters, cursor, shown=_SHOWN)
    filters = listing.filters
    company_id = actor.company_id
    categories = (
        CategoryTree.load(session, company_id).subtree(filters.category_id)
        if filters.category_id
        else None
    )
    return _valued_stock(
        session,
        company_id,
        service.StockFilters(
            item_id=filters.item_id,
            location_id=filters.location_id,
            category_ids=categories,
            low_stock=filters.low_stock,
            out_of_stock=filters.out_of_stock,
            negative=filters.negative,
            bin_id=filters.bin_id,
            items=items_found_by(session, company_id, filters.search) if filters.search else None,
        ),
        value_min=filters.value_min,
        value_max=filters.value_max,
        limit=limit,
        listing=listing,
        count=count,
    )


def _valued_stock(
    session: Session,
    company_id: str,
    filters: service.StockFilters,
    *,
    value_min: Decimal | None,
    value_max: Decimal | None,
    limit: int,
    listing: Listing[StockListFilters],
    count: bool,
) -> Listed[service.StockRow]:
    """With bounds on the value, every candidate row is valued first, then paged."""
    after = listing.after(text, text, text)
    if value_min is None and value_max is None:
        rows, last_key, total = service.list_stock(
            session, company_id, filters=filters, limit=limit, after=after, count=count
        )
        next_cursor = listing.next_cursor(*last_key) if last_key else None
        return Listed(valued(session, company_id, rows), next_cursor, total)
    figures = service.stock_figures(session, company_id, filters)
    items = replay.costed_items(
        session,
        [Item.company_id == company_id, Item.id.in_({f.key[0] for f in figures})],
    )
    values = method_values(
        session,
        company_id,
        {item_id: item.cost_revision for item_id, item in items.items()},
        {item_id: item.standard_cost for item_id, item in items.items()},
    )
    inside = [
        f
        for f in figures
        for value in [values.get((f.key[0], f.variant_id, f.key[2]), f.value)]
        if (value_min is None or value >= value_min) and (value_max is None or value <= value_max)
    ]
    rest = [f for f in inside if after is None or f.key > after]
    page = rest[:limit]
    next_cursor = listing.next_cursor(*page[-1].key) if len(rest) > limit else None
    rows = service.stock_rows(session, company_id, filters, [f.key for f in page])
    return Listed(_revalued(rows, values), next_cursor, len(inside))
