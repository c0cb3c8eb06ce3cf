"""Which account a stock movement posts to: what the item names, else what its location
names, else its category, else the company's default (decision 26).

Records name accounts by id or code; journals show the account's id. A name that matches no
account (one written before names were checked) is shown as it was written."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from stockkeeper.accounting.models import Account
from stockkeeper.accounting.service.defaults import read_defaults
from stockkeeper.adjustments.models import StockAdjustmentLine
from stockkeeper.catalog.models import AdjustmentReason, Category, Item, Location

if TYPE_CHECKING:
    from stockkeeper.bookkeeping.service.entries import JournalLine

TRANSIT = "transit"


@dataclass(frozen=True)
class ItemAccounts:
    category_id: str | None
    inventory: str | None  # the item's own asset account
    cost_of_sales: str | None  # its own expense account


@dataclass
class PostingAccounts:
    """The company's accounts as movements need them, read once per journal."""

    ids: dict[str, str]  # an id or code -> the account's id
    defaults: dict[str, str | None]  # a default's column -> what it names
    location_accounts: dict[str, str | None]  # location -> its own inventory account
    location_types: dict[str, str]
    category_accounts: dict[str, str | None]
    reason_accounts: dict[str, str | None]
    line_accounts: dict[str, str]  # adjustment line -> the account it names
    items: dict[str, ItemAccounts]
    _inventory: dict[tuple[str, str], str] = field(default_factory=dict)  # looked up once

    @classmethod
    def load(cls, session: Session, company_id: str) -> PostingAccounts:
        defaults = read_defaults(session, company_id)
        accounts = session.execute(
            select(Account.id, Account.code).where(Account.company_id == company_id)
        ).all()
        locations = session.execute(
            select(Location.id, Location.type, Location.inventory_account_id).where(
                Location.company_id == company_id
            )
        ).all()
        line = StockAdjustmentLine
        return cls(
            ids={code: ident for ident, code in accounts} | {ident: ident for ident, _ in accounts},
            defaults={
                column.name: getattr(defaults, column.name)
                for column in defaults.__table__.columns
                if column.name.endswith("_account_id")
            },
            location_accounts={row.id: row.inventory_account_id for row in locations},
            location_types={row.id: row.type for row in locations},
            category_accounts=dict(
                session.execute(
                    select(Category.id, Category.inventory_account_id).where(
                        Category.company_id == company_id
                    )
                ).all()
            ),
            reason_accounts=dict(
                session.execute(
                    select(AdjustmentReason.code, AdjustmentReason.account_id).where(
                        AdjustmentReason.company_id == company_id
                    )
                ).all()
            ),
            line_accounts={
                ident: account
                for ident, account in session.execute(
                    select(line.id, line.account_id).where(
                        line.company_id == company_id, line.account_id.is_not(None)
                    )
                )
                if account
            },
            items={},
        )

    def load_items(self, session: Session, company_id: str, item_ids: set[str]) -> None:
        """Reads what the items name, for those not read yet."""
        wanted = sorted(item_ids - self.items.keys())
        for start in range(0, len(wanted), 500):
            rows = session.connection().execute(
                select(Item.id, Item.category_id, Item.accounting).where(
                    Item.company_id == company_id, Item.id.in_(wanted[start : start + 500])
                )
            )
            for ident, category_id, accounting in rows:
                named: dict[str, Any] = accounting or {}
                self.items[ident] = ItemAccounts(
                    category_id, named.get("asset_account_id"), named.get("expense_account_id")
                )

    def _id(self, *refs: str | None) -> str:
        """The first name given, as an account id."""
        ref = next((r for r in refs if r), None) or ""
        return self.ids.get(ref, ref)

    def is_transit(self, location_id: str) -> bool:
        return self.location_types.get(location_id) == TRANSIT

    def inventory(self, item_id: str, location_id: str) -> str:
        """Where the item's stock at a holding location is valued."""
        key = (item_id, location_id)
        if key not in self._inventory:
            self._inventory[key] = self._inventory_account(item_id, location_id)
        return self._inventory[key]

    def _inventory_account(self, item_id: str, location_id: str) -> str:
        if self.is_transit(location_id):
            return self._id(
                self.location_accounts.get(location_id), self.defaults["transit_account_id"]
            )
        item = self.items[item_id]
        return self._id(
            item.inventory,
            self.location_accounts.get(location_id),
            self.category_accounts.get(item.category_id or ""),
            self.defaults["inventory_account_id"],
        )

    def cost_of_sales(self, item_id: str) -> str:
        return self._id(self.items[item_id].cost_of_sales, self.defaults["cogs_account_id"])

    def adjustments(self, reason: str | None = None, line_id: str | None = None) -> str:
        """The counter-account of an adjustment: its line's, else its reason's, else the
        default."""
        return self._id(
            self.line_accounts.get(line_id or ""),
            self.reason_accounts.get(reason or ""),
            self.defaults["adjustments_account_id"],
        )

    def source(self, line: JournalLine) -> str:
        """What names the account of a line beyond its role, item and location: an
        adjustment line's own account (``=`` and its name) or its reason's code."""
        if line.role != "adjustment":
            return ""
        named = self.line_accounts.get(line.document_line_id or "")
        return f"={named}" if named else line.reason or ""

    def account(self, role: str, item_id: str, location_id: str, source: str) -> str:
        """The account of a line of ``role`` whose ``source`` is as ``source`` gives it."""
        if role == "inventory":
            return self.inventory(item_id, location_id)
        if role == "cost_of_sales":
            return self.cost_of_sales(item_id)
        if role == "goods_received":
            return self.goods_received
        if role == "price_variance":
            return self.price_variance
        if source.startswith("="):
            return self._id(source[1:])
        return self.adjustments(source or None)  # an adjustment, or rounding

    @property
    def goods_received(self) -> str:
        return self._id(self.defaults["grni_account_id"])

    @property
    def price_variance(self) -> str:
        return self._id(self.defaults["price_variance_account_id"])
