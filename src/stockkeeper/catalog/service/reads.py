"""Loads what an item page shows besides the item rows, in a fixed number of queries."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from stockkeeper.catalog.models import Item, ItemImage, ItemPrice, ItemVariant, PriceGroup, Supplier
from stockkeeper.catalog.service.categories import CategoryTree


@dataclass
class ItemDetails:
    """Related rows for a set of items, grouped by item id."""

    categories: CategoryTree
    suppliers: dict[str, Supplier]
    prices: dict[str, list[tuple[ItemPrice, PriceGroup]]] = field(default_factory=dict)
    variants: dict[str, list[ItemVariant]] | None = None
    images: dict[str, list[ItemImage]] | None = None


def load_item_details(
    session: Session,
    company_id: str,
    items: Sequence[Item],
    *,
    variants: bool,
    images: bool,
    categories: CategoryTree | None = None,
) -> ItemDetails:
    ids = [i.id for i in items]
    supplier_ids = {i.supplier_id for i in items if i.supplier_id}
    suppliers = {
        s.id: s
        for s in session.scalars(
            select(Supplier).where(Supplier.company_id == company_id, Supplier.id.in_(supplier_ids))
        )
    }
    details = ItemDetails(categories or CategoryTree.load(session, company_id), suppliers)
    price_rows = session.execute(
        select(ItemPrice, PriceGroup)
        .join(
            PriceGroup,
            (PriceGroup.company_id == ItemPrice.company_id)
            & (PriceGroup.id == ItemPrice.price_group_id),
        )
        .where(ItemPrice.company_id == company_id, ItemPrice.item_id.in_(ids))
        .order_by(PriceGroup.name)
    )
    grouped: dict[str, list[tuple[ItemPrice, PriceGroup]]] = defaultdict(list)
    for price, group in price_rows:
        grouped[price.item_id].append((price, group))
    details.prices = grouped
    if variants:
        details.variants = defaultdict(list)
        for variant in session.scalars(
            select(ItemVariant)
            .where(ItemVariant.company_id == company_id, ItemVariant.item_id.in_(ids))
            .order_by(ItemVariant.id)
        ):
            details.variants[variant.item_id].append(variant)
    if images:
        details.images = defaultdict(list)
        for image in session.scalars(
            select(ItemImage)
            .where(ItemImage.company_id == company_id, ItemImage.item_id.in_(ids))
            .order_by(ItemImage.position)
        ):
            details.images[image.item_id].append(image)
    return details
