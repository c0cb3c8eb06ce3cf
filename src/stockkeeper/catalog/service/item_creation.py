"""New items, one or many, checked and written together: the codes each takes read in one
query, the references each names once, the rows written in one flush. An import's chunk of
hundreds of items costs a few statements more than one item, and a single item goes the
same way, so that the two cannot drift apart.

A refusal of one of several items names it: its fields under ``items.N.``."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from stockkeeper.catalog.models import Item, ItemVariant
from stockkeeper.catalog.service.common import apply
from stockkeeper.catalog.service.item_prices import GOODS, CheckedPrices, set_prices
from stockkeeper.catalog.service.item_references import (
    check_item_references,
    existing_references,
)
from stockkeeper.catalog.service.items import (
    REQUIRED,
    check_rules,
    checked_prices,
    image_rows,
    item_columns,
    merge,
    search_text,
    variant_row,
)
from stockkeeper.catalog.values import NewItem
from stockkeeper.core.db import new_row
from stockkeeper.core.errors import DomainError, Duplicate, Invalid, field_error, rename_fields
from stockkeeper.core.ids import new_id
from stockkeeper.core.kept_rows import insert_kept
from stockkeeper.core.lists import is_listed, listed
from stockkeeper.core.sequences import next_numbers
from stockkeeper.tenancy.models import Company
from stockkeeper.tenancy.service import Actor, company_today, get_company, numbering_template


def add_item(session: Session, actor: Actor, *, item: NewItem) -> Item:
    """Checks a new item and writes it, numbered, with its variants, prices and images."""
    return add_items(session, actor, items=[item])[0]


def add_items(session: Session, actor: Actor, *, items: Sequence[NewItem]) -> list[Item]:
    """Checks the new items, each as ``add_item`` does and against the others (a code
    taken twice), then writes them, numbered in order."""
    company = get_company(session, actor.company_id)
    codes = _Codes(session, company.id, items)
    checked = []
    for n, item in enumerate(items):
        with named(n if len(items) > 1 else None):
            checked.append(_checked(session, company, item, codes))
    numbers = _article_numbers(session, company, len(checked))  # the last check passed
    for (row, _), number in zip(checked, numbers, strict=True):
        row.article_number = number
    for item, (row, _) in zip(items, checked, strict=True):
        row.search_text = search_text(row, item.variants or ())
    # the items first, past the unit of work's flush (which cost more than the statement):
    # their variants, prices and images refer to them
    insert_kept(session, *(row for row, _ in checked))
    for item, (row, prices) in zip(items, checked, strict=True):
        session.add_all(variant_row(row, variant) for variant in item.variants or ())
        set_prices(session, row, prices or CheckedPrices(None, ()), new=True)
        session.add_all(image_rows(row, item.images or ()))
    session.flush()
    return [row for row, _ in checked]


def _checked(
    session: Session, company: Company, item: NewItem, codes: _Codes
) -> tuple[Item, CheckedPrices | None]:
    """The item's row as it would be written (not numbered yet) and its prices, checked in
    the order ``add_item`` always checked them."""
    columns = item_columns(item)
    codes.claim(item.item_code, item.barcode)
    check_item_references(session, company.id, columns, known=codes.references)
    columns.setdefault("tracked", item.type == "inventory")
    columns.setdefault("tracking", "none")
    columns["accounting"] = merge(None, columns.get("accounting") or {})
    row = new_row(  # past the attribute events: the row is written as it stands
        Item,
        id=new_id("item"),
        company_id=company.id,
        unit="pcs",
        cost_price=0,
        selling_price=0,
        currency=company.currency,
        taxable=True,
        is_active=True,
        purchasable=True,
        sellable=True,
        search_text="",
        custom_fields=merge(None, item.custom_fields or {}),
    )
    apply(row, columns, required=REQUIRED)
    check_rules(row)
    prices = checked_prices(session, row, item)
    if item.variants and row.type not in GOODS:
        raise Invalid(
            "a service has no variants",
            errors=[field_error("variants", "not for services", "contradicts_item")],
        )
    for n, variant in enumerate(item.variants or ()):
        codes.claim(variant.item_code, variant.barcode, at=f"variants.{n}.")
    return row, prices


class _Codes:
    """The item codes and barcodes the new items name that items or variants hold already,
    read in one query each, and those the new items have claimed so far; and which of the
    categories and suppliers they name exist."""

    def __init__(self, session: Session, company_id: str, items: Sequence[NewItem]) -> None:
        named = [(item.item_code, item.barcode) for item in items]
        named += [(v.item_code, v.barcode) for item in items for v in item.variants or ()]
        self.taken = {
            field: _held(session, company_id, field, {pair[k] for pair in named} - {None})
            for k, field in enumerate(("item_code", "barcode"))
        }
        # (field, id) of the categories and suppliers named that exist
        self.references = existing_references(
            session,
            company_id,
            {
                "category_id": {i.category_id for i in items if i.category_id},
                "supplier_id": {i.supplier_id for i in items if i.supplier_id},
            },
        )

    def claim(self, item_code: str | None, barcode: str | None, *, at: str = "") -> None:
        for field, value in (("item_code", item_code), ("barcode", barcode)):
            if value is None:
                continue
            if value in self.taken[field]:
                raise Duplicate(field, value, "an item", at=at + field)
            self.taken[field].add(value)


def _held(session: Session, company_id: str, field: str, values: set[Any]) -> set[Any]:
    if not values:
        return set()
    dialect = session.get_bind().dialect.name
    held = set()
    for model in (Item, ItemVariant):
        column = getattr(model, field)
        statement = select(column).where(
            model.company_id == company_id, is_listed(column, "codes", dialect)
        )
        held |= set(session.scalars(statement, {"codes": listed(dialect, values)}))
    return held


def _article_numbers(session: Session, company: Company, count: int) -> list[str]:
    """The next ``count`` numbers of the company's item sequence not already taken (a format
    changed back could meet numbers given before)."""
    template = numbering_template(company, "item")
    today = company_today(company)
    numbers: list[str] = []
    while len(numbers) < count:
        wanted = next_numbers(
            session,
            company.id,
            name="item",
            template=template,
            today=today,
            count=count - len(numbers),
        )
        taken = set(
            session.scalars(
                select(Item.article_number).where(
                    Item.company_id == company.id, Item.article_number.in_(wanted)
                )
            )
        )
        numbers += [number for number in wanted if number not in taken]
    return numbers


@contextmanager
def named(index: int | None) -> Iterator[None]:
    """A refusal of one of several items, its fields named under ``items.N.``."""
    try:
        yield
    except DomainError as error:
        if index is not None:
            rename_fields(error, lambda field: f"items.{index}.{field}")
        raise
