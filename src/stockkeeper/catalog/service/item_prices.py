"""An item's prices in the price groups: each in a group of the kind its type takes (sales
prices for goods, service rates for services), each saying whether it includes tax or leaving
that to its group.

The group of each kind that holds the selling price (Sales Price, Rate) keeps no prices of its
own: an item's price there is its ``selling_price``, and whether that includes tax its
``selling_price_includes_tax``. So ``pricing.selling_price`` and that price are one figure,
whichever of the two is sent; sent both, they must agree.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from stockkeeper.catalog.errors import ContradictsItem
from stockkeeper.catalog.models import Item, ItemPrice, PriceGroup
from stockkeeper.catalog.values import GroupPrice
from stockkeeper.core.errors import Invalid, UnknownReference, field_error

GOODS = ("inventory", "non_inventory")
PRICE_KIND = dict.fromkeys(GOODS, "sales_price") | {"service": "service_rate"}
_PRICES = "pricing.price_groups"


@dataclass(frozen=True)
class CheckedPrices:
    """Prices checked against their groups: the selling price among them (with whether it
    includes tax), if the list has it, and the others, to be kept as the item's rows."""

    selling: GroupPrice | None
    others: Sequence[GroupPrice]


def check_prices(
    session: Session,
    company_id: str,
    item_type: str,
    prices: Sequence[GroupPrice],
    *,
    selling_price: Decimal | None,
) -> CheckedPrices:
    """Refuses a group named twice, unknown, or of the other kind, and a selling price sent
    (``selling_price``) that is not the price in the group holding it."""
    ids = [p.group_id for p in prices]
    if len(set(ids)) != len(ids):
        raise Invalid(
            "a price group appears twice",
            errors=[field_error(_PRICES, "the same group twice", "duplicate")],
        )
    groups = {
        g.id: g
        for g in session.scalars(
            select(PriceGroup).where(PriceGroup.company_id == company_id, PriceGroup.id.in_(ids))
        )
    }
    kind = PRICE_KIND[item_type]
    selling = None
    for index, price in enumerate(prices):
        at = f"{_PRICES}.{index}"
        group = groups.get(price.group_id)
        if group is None:
            raise UnknownReference.at(f"{at}.group_id", "price group", price.group_id)
        if group.kind != kind:
            raise Invalid(
                f"price group {group.name!r} is a {group.kind}; a {item_type} item takes "
                f"{kind} groups",
                errors=[field_error(f"{at}.group_id", "wrong kind of group")],
            )
        if group.holds_selling_price:
            _agree(selling_price, price.price, group, at)
            selling = price
    others = [p for p in prices if p is not selling]
    return CheckedPrices(selling, others)


def _agree(selling_price: Decimal | None, price: Decimal, group: PriceGroup, at: str) -> None:
    """The selling price and the price in the group holding it are one figure."""
    if selling_price is None or selling_price == price:
        return
    code = ContradictsItem.code
    raise ContradictsItem(
        [
            field_error(
                "pricing.selling_price", f"{selling_price}, but {price} in {group.name}", code
            ),
            field_error(
                f"{at}.price", f"{price}, but the selling price sent is {selling_price}", code
            ),
        ]
    )


def set_prices(
    session: Session,
    item: Item,
    prices: CheckedPrices,
    *,
    new: bool = False,
    by_group: bool = False,
) -> None:
    """Replaces the item's prices (a ``new`` item has none yet), or ``by_group`` only those
    in the groups the list names; the selling price is set when the list has it, and kept
    (with whether it includes tax) when not."""
    if prices.selling is not None:
        item.selling_price = prices.selling.price
        item.selling_price_includes_tax = prices.selling.includes_tax
    if by_group:
        drop_prices(session, item, [p.group_id for p in prices.others])
    elif not new:
        drop_prices(session, item)
    session.add_all(
        ItemPrice(
            company_id=item.company_id,
            item_id=item.id,
            price_group_id=p.group_id,
            price=p.price,
            includes_tax=p.includes_tax,
        )
        for p in prices.others
    )


def drop_prices(session: Session, item: Item, groups: Sequence[str] | None = None) -> None:
    """Removes the item's prices in the groups, or in these ``groups`` (its selling price
    stays)."""
    statement = delete(ItemPrice).where(
        ItemPrice.company_id == item.company_id, ItemPrice.item_id == item.id
    )
    if groups is not None:
        statement = statement.where(ItemPrice.price_group_id.in_(groups))
    session.execute(statement)
