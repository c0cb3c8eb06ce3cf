"""Reads that compose the catalogue with stock levels: item lists and their stock figures.

The catalogue knows nothing of stock; these queries join the two. Items with no level rows
have zero stock, so the ledger only ever adds rows for these queries to find.
"""

from __future__ import annotations

import operator
import re
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    Column,
    ColumnElement,
    Integer,
    MetaData,
    Select,
    String,
    Table,
    Text,
    and_,
    exists,
    func,
    literal_column,
    or_,
    select,
)
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import UnaryExpression
from sqlalchemy.sql.operators import custom_op

from stockkeeper.catalog.models import Bin, Item
from stockkeeper.core.filters import given
from stockkeeper.core.pagination import Keyset, Listing, amount, text
from stockkeeper.stock.models import StockLevel
from stockkeeper.stock.values import ItemFilters, ItemListing, Sort

ZERO = Decimal(0)

# The SQLite search index over item.search_text, kept in step with the item table by triggers
# and created by the migrations only, so not in the models' metadata: two contentless
# full-text tables (trigrams for substrings, words with their short prefixes) whose rowid is
# the item's key in item_search_key.
_search_metadata = MetaData()
item_search_key = Table(
    "item_search_key",
    _search_metadata,
    Column("id", Integer, primary_key=True),
    Column("company_id", String),
    Column("item_id", String),
)
item_search, item_search_words = (
    Table(name, _search_metadata, Column("rowid", Integer), Column("search_text", Text))
    for name in ("item_search", "item_search_words")
)


@dataclass
class LocationFigures:
    on_hand: Decimal = ZERO
    reserved: Decimal = ZERO
    on_order: Decimal = ZERO
    bins: dict[str, Decimal] = field(default_factory=dict)  # on hand per bin code


@dataclass
class ItemStock:
    on_hand: Decimal = ZERO
    reserved: Decimal = ZERO
    on_order: Decimal = ZERO
    locations: dict[str, LocationFigures] = field(default_factory=dict)
    variants: dict[str, Decimal] = field(default_factory=dict)

    @property
    def available(self) -> Decimal:
        return self.on_hand - self.reserved


def _totals(company_id: str, location_id: str | None) -> Any:
    where = [StockLevel.company_id == company_id, StockLevel.physical.is_(True)]
    if location_id:
        where.append(StockLevel.location_id == location_id)
    return (
        select(
            StockLevel.item_id,
            func.sum(StockLevel.on_hand).label("on_hand"),
            func.sum(StockLevel.reserved).label("reserved"),
        )
        .where(*where)
        .group_by(StockLevel.item_id)
        .subquery("totals")
    )


@dataclass(frozen=True)
class _Search:
    condition: ColumnElement[bool]
    # SQLite: the ids the search index matched (read once per statement), and a statement
    # counting the index's matches in every company (at least this company's), up to one
    # more than _FEW
    matches: Any = None
    at_most: Select[Any] | None = None


def _search(session: Session, company_id: str, term: str) -> _Search:
    """Items whose search text holds the term: as a substring from three characters on, and
    below that at the start of a word (a substring of one or two characters is in nearly
    every item, and no index serves it)."""
    term = term.strip().lower()
    words = len(term) < 3 and re.search(r"\w", term) is not None
    if _sqlite(session) and (words or len(term) >= 3):
        index = item_search_words if words else item_search
        phrase = '"' + term.replace('"', '""') + '"' + ("*" if words else "")
        matched = index.c.search_text.op("MATCH")(phrase)
        matches = (
            select(item_search_key.c.item_id)
            .join(index, index.c.rowid == item_search_key.c.id)
            # the company's many keys are not where to start: the few matches are
            .where(matched, _unindexed(item_search_key.c.company_id) == company_id)
            .cte("matches")
            .prefix_with("MATERIALIZED")
        )
        # only whether they are few matters: counting stops past that
        matched_rows: Select[Any] = select(literal_column("1")).select_from(index).where(matched)
        at_most = select(func.count()).select_from(matched_rows.limit(_FEW + 1).subquery())
        return _Search(Item.id.in_(select(matches.c.item_id)), matches, at_most)
    if words:
        quoted = "'" + term.replace("\\", "\\\\").replace("'", "''") + "':*"
        return _Search(_words().op("@@")(func.to_tsquery(_SIMPLE, quoted)))
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return _Search(Item.search_text.like(f"%{escaped}%", escape="\\"))


def items_found_by(session: Session, company_id: str, term: str) -> ColumnElement[bool]:
    """The condition on ``Item`` of the item list's search for ``term``, for other lists of
    items (the stock list) to find items as it does."""
    return _search(session, company_id, term).condition


# The expression of PostgreSQL's word index (migration 0015), written out to the letter so
# that the index serves it: words split at anything but letters and digits, as on SQLite.
_SIMPLE: ColumnElement[Any] = literal_column("'simple'")


def _words() -> ColumnElement[Any]:
    split = func.regexp_replace(
        Item.search_text,
        literal_column("'[^[:alnum:]]+'"),
        literal_column("' '"),
        literal_column("'g'"),
    )
    return func.to_tsvector(_SIMPLE, split)


def _unindexed(column: Any) -> Any:
    """The column as SQLite's planner may not use it to choose an index (a unary plus)."""
    return UnaryExpression(column, operator=custom_op("+"), type_=column.type)


def _conditions(query: _Query, on_hand: Any) -> list[Any]:
    f = query.filters
    where: list[Any] = [Item.company_id == query.company_id]
    where += given(
        (f.type, Item.type, operator.eq),
        (f.tracked, Item.tracked, operator.eq),
        (f.active, Item.is_active, operator.eq),
        (f.supplier, Item.supplier_id, operator.eq),
        (f.cost_price_min, Item.cost_price, operator.ge),
        (f.cost_price_max, Item.cost_price, operator.le),
        (f.selling_price_min, Item.selling_price, operator.ge),
        (f.selling_price_max, Item.selling_price, operator.le),
        (f.updated_since, Item.updated_at, operator.ge),
        (f.updated_before, Item.updated_at, operator.lt),
    )
    if f.goods is not None:
        where.append((Item.type != "service") if f.goods else (Item.type == "service"))
    if query.search is not None:
        where.append(query.search.condition)
    if query.category_ids is not None:
        where.append(Item.category_id.in_(query.category_ids))
    tracked = and_(Item.type == "inventory", Item.tracked.is_(True))
    if f.low_stock is not None:
        low = and_(tracked, Item.minimum_stock.is_not(None), on_hand <= Item.minimum_stock)
        where.append(low if f.low_stock else ~low)
    if f.out_of_stock is not None:
        out = and_(tracked, on_hand <= 0)
        where.append(out if f.out_of_stock else ~out)
    return where


# SQLite plans a page without knowing how many items match, so it is told. Up to this many,
# the filters' indexes find them and sorting them costs little; above it, walking the sort
# order's index fills a page long before the last match, and sorting every match would not.
_FEW = 1000

_TEXT_SORTS: set[Sort] = {"name", "itemCode"}  # the others sort by an amount
_SORT_KEYS: dict[str, Any] = {
    "name": Item.sort_name,
    "itemCode": Item.item_code,
    "costPrice": Item.cost_price,
    "sellingPrice": Item.selling_price,
}


@dataclass(frozen=True)
class _Query:
    """One listing's filters, as the statements of its page and its count use them."""

    company_id: str
    filters: ItemFilters
    category_ids: set[str] | None
    search: _Search | None
    stock: Any  # with a location, its levels summed per item (a subquery)

    @classmethod
    def of(
        cls, session: Session, company_id: str, f: ItemFilters, category_ids: set[str] | None
    ) -> _Query:
        search = _search(session, company_id, f.search) if f.search else None
        stock = _totals(company_id, f.location) if f.location else None
        return cls(company_id, f, category_ids, search, stock)

    @property
    def on_hand(self) -> Any:
        """The stock it filters and sorts by: the items' own, or that at the location."""
        return Item.stock_on_hand if self.stock is None else self.stock.c.on_hand

    def counted(self, conditions: list[Any]) -> Select[Any]:
        count = select(func.count()).select_from(Item)
        if self.stock is not None:
            count = count.join(self.stock, self.stock.c.item_id == Item.id)
        return count.where(*conditions)

    @property
    def only_search(self) -> bool:
        others = (name for name in ItemFilters.model_fields if name != "search")
        return all(getattr(self.filters, name) is None for name in others)


def list_items(
    session: Session,
    company_id: str,
    *,
    listing: Listing[ItemListing],
    category_ids: set[str] | None,
    limit: int,
    offset: int = 0,
) -> tuple[list[Item], str | None, int]:
    """A page of items and the next cursor and total count, as ``listing`` (its cursor
    resolved) asks; ``category_ids`` is the category filter's subtree. ``offset`` skips
    that many items first (a page by number, for the faces that page so; with no cursor).

    Stock figures are the items' own totals, or with a location, that location's levels
    (and then only items with stock history there are listed)."""
    filters, sort = listing.filters, listing.filters.sort
    query = _Query.of(session, company_id, filters, category_ids)
    on_hand = query.on_hand
    sort_key = {**_SORT_KEYS, "stock": on_hand}[sort]
    where = _conditions(query, on_hand)
    # a search on SQLite reads its index once, for the page and the total in one statement
    matches = query.search.matches if query.search is not None else None
    total = None if matches is not None else session.scalar(query.counted(where)) or 0
    order_key = sort_key
    if _sqlite(session):
        at_most = query.search.at_most if query.search is not None else None
        matching = session.scalar(at_most) if at_most is not None else total
        if matching is not None and matching <= _FEW:
            order_key = _unindexed(order_key)
        elif query.search is None and query.stock is None and sort != "stock":
            where = _conditions(query, _unindexed(on_hand))
    page: Select[Any] = select(Item, sort_key)
    if matches is not None:
        only = query.only_search
        whole = select(func.count()).select_from(matches) if only else query.counted(where)
        page = page.add_columns(whole.scalar_subquery())
    if query.stock is not None:
        page = page.join(query.stock, query.stock.c.item_id == Item.id)
    keyset = Keyset(key=order_key, ident=Item.id, descending=filters.order == "desc")
    rows, next_cursor = _page(
        session, page.where(*where), keyset, listing, limit=limit, offset=offset
    )
    if total is None:
        total = rows[0][2] if rows else session.scalar(query.counted(where)) or 0
    return [row[0] for row in rows], next_cursor, total


def _page(
    session: Session,
    page: Select[Any],
    keyset: Keyset,
    listing: Listing[ItemListing],
    *,
    limit: int,
    offset: int = 0,
) -> tuple[list[Any], str | None]:
    """The page's rows after the cursor (or after ``offset`` rows), and the cursor of the
    next page (None if last)."""
    after = listing.after(text if listing.filters.sort in _TEXT_SORTS else amount, text)
    if after is not None:
        page = page.where(keyset.after(*after))
    page = page.order_by(*keyset.order_by()).limit(limit + 1)
    rows = list(session.execute(page.offset(offset) if offset else page).all())
    if len(rows) <= limit:
        return rows, None
    last_item, last_key = rows[limit - 1][:2]
    return rows[:limit], listing.next_cursor(last_key, last_item.id)


def _sqlite(session: Session) -> bool:
    return session.get_bind().dialect.name == "sqlite"


def item_stock(session: Session, company_id: str, item_ids: list[str]) -> dict[str, ItemStock]:
    """Stock figures per item: totals, per physical location (with what lies in each bin),
    per variant."""
    rows = session.execute(
        select(
            StockLevel.item_id,
            StockLevel.variant_id,
            StockLevel.location_id,
            Bin.code,
            func.sum(StockLevel.on_hand),
            func.sum(StockLevel.reserved),
            func.sum(StockLevel.on_order),
        )
        .outerjoin(Bin, and_(Bin.company_id == StockLevel.company_id, Bin.id == StockLevel.bin_id))
        .where(
            StockLevel.company_id == company_id,
            StockLevel.item_id.in_(item_ids),
            StockLevel.physical.is_(True),
        )
        .group_by(StockLevel.item_id, StockLevel.variant_id, StockLevel.location_id, Bin.code)
        .order_by(StockLevel.location_id)
    )
    figures: dict[str, ItemStock] = defaultdict(ItemStock)
    for item_id, variant_id, location_id, bin_code, on_hand, reserved, on_order in rows:
        stock = figures[item_id]
        stock.on_hand += on_hand
        stock.reserved += reserved
        stock.on_order += on_order
        at = stock.locations.setdefault(location_id, LocationFigures())
        at.on_hand += on_hand
        at.reserved += reserved
        at.on_order += on_order
        if bin_code is not None and on_hand:
            at.bins[bin_code] = at.bins.get(bin_code, ZERO) + on_hand
        if variant_id is not None:
            stock.variants[variant_id] = stock.variants.get(variant_id, ZERO) + on_hand
    return figures


def holds_stock(session: Session, company_id: str, item_id: str) -> bool:
    """Whether the item has stock on hand or reserved at any warehouse or store."""
    held = exists().where(
        StockLevel.company_id == company_id,
        StockLevel.item_id == item_id,
        StockLevel.physical.is_(True),
        or_(StockLevel.on_hand != 0, StockLevel.reserved != 0),
    )
    return bool(session.scalar(select(held)))
