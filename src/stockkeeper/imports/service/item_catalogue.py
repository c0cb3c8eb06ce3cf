"""What an item file's rows name in the catalogue, read once for the whole file: the items and
variants of its codes, the owners of its barcodes, and the price groups, suppliers, accounts
and tax rates of the company."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from stockkeeper.accounting.models import Account, TaxRate
from stockkeeper.catalog.models import Item, ItemVariant, PriceGroup, Supplier
from stockkeeper.imports.service.item_layout import Row

_BATCH = 500  # codes asked for in one statement


@dataclass(frozen=True)
class Known:
    """An item or variant the catalogue holds: its id, its item's id, its item's type."""

    id: str
    item_id: str
    item_type: str
    is_variant: bool


@dataclass
class Catalogue:
    codes: dict[str, Known]  # item and variant codes share one namespace
    barcodes: dict[str, Known]
    groups: dict[tuple[str, str], str]  # (kind, name) -> price group id
    suppliers: dict[str, str]  # creditor number -> id
    accounts: set[str]  # codes and ids
    tax_rates: set[str]

    @classmethod
    def load(cls, session: Session, company_id: str, rows: Sequence[Row]) -> Catalogue:
        codes = {r.item_code for r in rows} | {r.variant_code for r in rows if r.variant_code}
        barcodes = {r.values["barcode"] for r in rows if r.values.get("barcode")}
        return cls(
            codes=known_codes(session, company_id, "item_code", codes),
            barcodes=known_codes(session, company_id, "barcode", barcodes),
            groups={
                (g.kind, g.name): g.id
                for g in session.scalars(
                    select(PriceGroup).where(PriceGroup.company_id == company_id)
                )
            },
            suppliers=dict(_pairs(session, Supplier.creditor_number, Supplier.id, company_id)),
            accounts=_names(session, Account, company_id),
            tax_rates=_names(session, TaxRate, company_id),
        )

    def item(self, code: str) -> Known | None:
        known = self.codes.get(code)
        return known if known is not None and not known.is_variant else None


def known_codes(
    session: Session, company_id: str, column: str, values: set[str]
) -> dict[str, Known]:
    """The items and variants whose ``column`` (item code or barcode) is one of ``values``."""
    found: dict[str, Known] = {}
    for batch in _batches(sorted(values)):
        items = select(Item.id, Item.id, Item.type, getattr(Item, column)).where(
            Item.company_id == company_id, getattr(Item, column).in_(batch)
        )
        for ident, item_id, kind, value in session.execute(items):
            found[value] = Known(ident, item_id, kind, False)
        variants = (
            select(ItemVariant.id, Item.id, Item.type, getattr(ItemVariant, column))
            .join(
                Item, (Item.company_id == ItemVariant.company_id) & (Item.id == ItemVariant.item_id)
            )
            .where(ItemVariant.company_id == company_id, getattr(ItemVariant, column).in_(batch))
        )
        for ident, item_id, kind, value in session.execute(variants):
            found[value] = Known(ident, item_id, kind, True)
    return found


def _batches(values: list[str]) -> Iterator[list[str]]:
    for start in range(0, len(values), _BATCH):
        yield values[start : start + _BATCH]


def _pairs(session: Session, key: Any, value: Any, company_id: str) -> Iterable[tuple[str, str]]:
    statement = select(key, value).where(key.class_.company_id == company_id)
    return ((k, v) for k, v in session.execute(statement))


def _names(session: Session, model: type[Account] | type[TaxRate], company_id: str) -> set[str]:
    rows = session.execute(select(model.id, model.code).where(model.company_id == company_id))
    return {name for row in rows for name in row}
