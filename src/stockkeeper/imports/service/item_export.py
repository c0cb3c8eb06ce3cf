"""Items as rows of the item file (``item_layout``): what ``GET /exports/items`` writes, and
what an import compares its rows with, cell by cell, to leave unchanged items alone."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from stockkeeper.catalog.models import Item, ItemVariant
from stockkeeper.catalog.service.categories import CategoryTree
from stockkeeper.catalog.service.item_prices import PRICE_KIND
from stockkeeper.catalog.service.reads import ItemDetails, load_item_details
from stockkeeper.imports.service import cells
from stockkeeper.imports.service.files import ExportFile
from stockkeeper.imports.service.item_layout import HEADINGS
from stockkeeper.tenancy.service import Actor, company_today, get_company

PAGE = 500  # items read at a time
SELLING_GROUP = "_sellingGroup"  # not a column: the group whose price is the selling price

Cells = dict[str, Any]


def items_file(session: Session, actor: Actor) -> ExportFile:
    """Read whole inside the request's transaction, then written out as it is streamed."""
    day = company_today(get_company(session, actor.company_id))
    return ExportFile(day, list(export_items(session, actor)))


def export_items(session: Session, actor: Actor) -> Iterator[Cells]:
    """Every item of the company by item code, each followed by its variants: the cells as
    the file holds them (numbers as decimals, the rest as text)."""
    tree = CategoryTree.load(session, actor.company_id)
    after = ""
    while True:
        items = session.scalars(
            select(Item)
            .where(Item.company_id == actor.company_id, Item.item_code > after)
            .order_by(Item.item_code)
            .limit(PAGE)
        ).all()
        if not items:
            return
        for rows in item_rows(session, actor.company_id, items, tree).values():
            yield from (written(row) for row in rows)
        after = items[-1].item_code


def written(row: Cells) -> Cells:
    return {
        h: v if isinstance(v := row.get(h), Decimal) else cells.text_of(v) or None for h in HEADINGS
    }


def item_rows(
    session: Session, company_id: str, items: Sequence[Item], tree: CategoryTree
) -> dict[str, list[Cells]]:
    """Each item's rows, by item id: its own, then its variants'."""
    details = load_item_details(
        session, company_id, items, variants=True, images=False, categories=tree
    )
    found = {}
    for item in items:
        variants = (details.variants or {}).get(item.id, [])
        found[item.id] = [_item_cells(item, details)] + [_variant_cells(item, v) for v in variants]
    return found


def category_path(tree: CategoryTree, category_id: str | None) -> str | None:
    names: list[str] = []
    current = category_id
    while current in tree.by_id and len(names) <= len(tree.by_id):
        names.append(tree.by_id[current].name)
        current = tree.by_id[current].parent_id
    return cells.PATH.join(reversed(names)) or None


def _item_cells(item: Item, details: ItemDetails) -> Cells:
    supplier = details.suppliers.get(item.supplier_id or "")
    accounting = item.accounting or {}
    selling = details.selling_groups.get(PRICE_KIND[item.type])
    return {SELLING_GROUP: selling.name if selling else None} | dict(
        zip(
            HEADINGS,
            (
                item.item_code,
                None,
                item.name,
                item.type,
                item.description,
                item.unit,
                category_path(details.categories, item.category_id),
                item.cost_price,
                item.selling_price,
                {g.name: p.price for p, g in details.prices.get(item.id, [])},
                supplier.creditor_number if supplier else None,
                item.supplier_item_code,
                item.minimum_stock,
                item.maximum_stock,
                item.reorder_point,
                item.reorder_quantity,
                item.tracking,
                _code(details.references.accounts, accounting.get("income_account_id")),
                _code(details.references.accounts, accounting.get("expense_account_id")),
                _code(details.references.accounts, accounting.get("asset_account_id")),
                _code(details.references.tax_rates, item.sales_tax_code),
                _code(details.references.tax_rates, item.purchase_tax_code),
                item.barcode,
                None,
                item.is_active,
            ),
            strict=True,
        )
    )


def _variant_cells(item: Item, variant: ItemVariant) -> Cells:
    return dict.fromkeys(HEADINGS) | {
        "itemCode": item.item_code,
        "variantCode": variant.item_code,
        "name": variant.name,
        "costPrice": variant.cost_price,
        "sellingPrice": variant.selling_price,
        "barcode": variant.barcode,
        "attributes": dict(variant.attributes),
        "active": variant.is_active,
    }


def _code(rows: dict[str, Any], ref: str | None) -> str | None:
    """An account's or tax rate's code, from the id or code the item names it by."""
    row = rows.get(ref or "")
    return row.code if row is not None else ref
