"""Loads what an item page shows besides the item rows, in a fixed number of queries."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from stockkeeper.accounting.models import TaxRate
from stockkeeper.accounting.service.defaults import load_with_default_tax
from stockkeeper.accounting.service.references import References
from stockkeeper.catalog.models import Item, ItemImage, ItemPrice, ItemVariant, PriceGroup, Supplier
from stockkeeper.catalog.service.categories import CategoryTree

R = TypeVar("R", ItemVariant, ItemImage)


@dataclass
class ItemDetails:
    """Related rows for a set of items, grouped by item id."""

    categories: CategoryTree
    suppliers: dict[str, Supplier]
    prices: dict[str, list[tuple[ItemPrice, PriceGroup]]] = field(default_factory=dict)
    # by kind: the groups whose price is the items' selling price (Sales Price, Rate)
    selling_groups: dict[str, PriceGroup] = field(default_factory=dict)
    variants: dict[str, list[ItemVariant]] | None = None
    images: dict[str, list[ItemImage]] | None = None
    references: References = field(default_factory=References)  # accounts and tax rates
    # the company's default tax rates (``sales_tax_code``, ...): what an item naming none uses
    default_tax: dict[str, str | None] = field(default_factory=dict)
    # each rate's effective rate (the sum of its components), worked out once for the items
    effective_rates: dict[str, Decimal] = field(default_factory=dict)

    def effective_rate(self, rate: TaxRate) -> Decimal:
        found = self.effective_rates.get(rate.id)
        if found is None:
            found = self.effective_rates[rate.id] = rate.effective_rate
        return found


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
    details.references, details.default_tax = _references(session, company_id, items)
    _load_prices(session, company_id, ids, details)
    if variants:
        details.variants = _by_item(session, ItemVariant, company_id, ids, ItemVariant.id)
    if images:
        details.images = _by_item(session, ItemImage, company_id, ids, ItemImage.position)
    return details


def _load_prices(session: Session, company_id: str, ids: list[str], details: ItemDetails) -> None:
    """The items' prices in the groups, and (in the same statement) the groups that hold
    their selling prices, which have no prices of their own."""
    rows = session.execute(
        select(ItemPrice, PriceGroup)
        .select_from(PriceGroup)
        .outerjoin(
            ItemPrice,
            (ItemPrice.company_id == PriceGroup.company_id)
            & (ItemPrice.price_group_id == PriceGroup.id)
            & ItemPrice.item_id.in_(ids),
        )
        .where(
            PriceGroup.company_id == company_id,
            ItemPrice.item_id.is_not(None) | PriceGroup.holds_selling_price.is_(True),
        )
        .order_by(PriceGroup.name, PriceGroup.id)
    )
    for price, group in rows:
        if price is not None:
            details.prices.setdefault(price.item_id, []).append((price, group))
        elif group.kind not in details.selling_groups:
            details.selling_groups[group.kind] = group


def _references(
    session: Session, company_id: str, items: Sequence[Item]
) -> tuple[References, dict[str, str | None]]:
    """The accounts and tax rates the items name, by id or code, and the default rates."""
    accounts = {ref for i in items for ref in (i.accounting or {}).values() if ref}
    rates = {ref for i in items for ref in (i.sales_tax_code, i.purchase_tax_code) if ref}
    return load_with_default_tax(session, company_id, accounts=accounts, tax_rates=rates)


def _by_item(
    session: Session, model: type[R], company_id: str, ids: list[str], order: Any
) -> dict[str, list[R]]:
    """The items' rows of ``model`` (variants, images), in ``order``, by item."""
    found: dict[str, list[R]] = defaultdict(list)
    where = (model.company_id == company_id, model.item_id.in_(ids))
    for row in session.scalars(select(model).where(*where).order_by(order)):
        found[row.item_id].append(row)
    return found
