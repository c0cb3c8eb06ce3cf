"""The catalogue: categories, price groups, locations and bins, suppliers, items and variants.

Every table is keyed by ``(company_id, id)`` and every foreign key includes ``company_id``,
so the schema can be distributed by company without a cross-company join.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    ForeignKeyConstraint,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from stockkeeper.accounting.models import Account
from stockkeeper.core.db import ROWS_IN_ONE_STATEMENT, Base, company_key
from stockkeeper.core.ids import ID_LENGTH
from stockkeeper.core.types import Amount, UTCDateTime, sort_key_type, utcnow

_ID = String(ID_LENGTH)
_ACCOUNT_REF = String(64)  # an account's id or code, as sent


def _named_account(owner: str, column: str) -> Mapped[Account | None]:
    """The account a row names by id or code (read only; lists load it with selectinload)."""
    return relationship(
        Account,
        primaryjoin=f"and_(foreign({owner}.company_id) == Account.company_id, "
        f"or_(foreign({owner}.{column}) == Account.id, foreign({owner}.{column}) == Account.code))",
        viewonly=True,
        uselist=False,
    )


class _Timestamps:
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class AdjustmentReason(Base):
    """Why stock was adjusted: the standard reasons and each company's own."""

    __tablename__ = "adjustment_reason"

    company_id: Mapped[str] = company_key()
    code: Mapped[str] = mapped_column(String(40), primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    is_system: Mapped[bool] = mapped_column(Boolean, default=False)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    account_id: Mapped[str | None] = mapped_column(_ACCOUNT_REF)  # overrides the default
    account: Mapped[Account | None] = _named_account("AdjustmentReason", "account_id")


class Category(_Timestamps, Base):
    __tablename__ = "category"
    __table_args__ = (
        ForeignKeyConstraint(["company_id", "parent_id"], ["category.company_id", "category.id"]),
        Index("ix_category_company_id_parent_id", "company_id", "parent_id"),
    )

    company_id: Mapped[str] = company_key(cascade=True)
    id: Mapped[str] = mapped_column(_ID, primary_key=True)
    parent_id: Mapped[str | None] = mapped_column(_ID)
    name: Mapped[str] = mapped_column(String(120))
    color: Mapped[str] = mapped_column(String(7))
    position: Mapped[int] = mapped_column(Integer)
    inventory_account_id: Mapped[str | None] = mapped_column(_ACCOUNT_REF)
    inventory_account: Mapped[Account | None] = _named_account("Category", "inventory_account_id")


class PriceGroup(_Timestamps, Base):
    """A named sales price type (Sales Price, Trade, ...) or service rate type (Rate, ...)."""

    __tablename__ = "price_group"
    __table_args__ = (
        UniqueConstraint("company_id", "kind", "name"),
        CheckConstraint("kind IN ('sales_price', 'service_rate')", name="kind"),
    )

    company_id: Mapped[str] = company_key(cascade=True)
    id: Mapped[str] = mapped_column(_ID, primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(80))
    prices_include_tax: Mapped[bool] = mapped_column(Boolean, default=False)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    # the group whose price is the items' own selling price (Sales Price for goods, Rate for
    # services): their price there is ``Item.selling_price``, never an ``ItemPrice`` row
    holds_selling_price: Mapped[bool] = mapped_column(Boolean, default=False)


class Location(_Timestamps, Base):
    """A place that holds stock. ``warehouse`` and ``store`` are physical; the ledger adds
    virtual ones (supplier, customer, loss, transit, opening) that the API never lists."""

    __tablename__ = "location"
    __table_args__ = (
        UniqueConstraint("company_id", "code"),
        Index("ix_location_company_id_type", "company_id", "type"),
    )

    company_id: Mapped[str] = company_key(cascade=True)
    id: Mapped[str] = mapped_column(_ID, primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    code: Mapped[str | None] = mapped_column(String(40))
    type: Mapped[str] = mapped_column(String(16))
    address: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    is_default: Mapped[bool] = mapped_column(Boolean, default=False)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    inventory_account_id: Mapped[str | None] = mapped_column(_ACCOUNT_REF)
    inventory_account: Mapped[Account | None] = _named_account("Location", "inventory_account_id")


class Bin(_Timestamps, Base):
    __tablename__ = "bin"
    __table_args__ = (
        ForeignKeyConstraint(
            ["company_id", "location_id"],
            ["location.company_id", "location.id"],
            ondelete="CASCADE",
        ),
        UniqueConstraint("company_id", "location_id", "code"),
    )

    company_id: Mapped[str] = company_key(cascade=True)
    id: Mapped[str] = mapped_column(_ID, primary_key=True)
    location_id: Mapped[str] = mapped_column(_ID)
    code: Mapped[str] = mapped_column(String(40))
    name: Mapped[str | None] = mapped_column(String(120))
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)


class Supplier(_Timestamps, Base):
    __tablename__ = "supplier"
    __table_args__ = (
        UniqueConstraint("company_id", "creditor_number"),
        Index("ix_supplier_company_id_sort_name", "company_id", "sort_name", "id"),
    )

    company_id: Mapped[str] = company_key(cascade=True)
    id: Mapped[str] = mapped_column(_ID, primary_key=True)
    creditor_number: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(200))
    sort_name: Mapped[str] = mapped_column(sort_key_type(200))  # lower(name), for ordering
    contact_person: Mapped[str | None] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(50))
    address: Mapped[str | None] = mapped_column(Text)
    notes: Mapped[str | None] = mapped_column(Text)
    website: Mapped[str | None] = mapped_column(String(500))
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    @validates("name")
    def _set_sort_name(self, _key: str, name: str) -> str:
        self.sort_name = name.lower()
        return name


class Item(_Timestamps, Base):
    __tablename__ = "item"
    __table_args__ = (
        ForeignKeyConstraint(["company_id", "category_id"], ["category.company_id", "category.id"]),
        ForeignKeyConstraint(["company_id", "supplier_id"], ["supplier.company_id", "supplier.id"]),
        UniqueConstraint("company_id", "item_code"),
        UniqueConstraint("company_id", "barcode"),
        # an index, not a constraint: SQLite adds it without rebuilding the table
        Index("ix_item_company_id_article_number", "company_id", "article_number", unique=True),
        Index("ix_item_company_id_sort_name", "company_id", "sort_name", "id"),
        Index("ix_item_company_id_cost_price", "company_id", "cost_price", "id"),
        Index("ix_item_company_id_selling_price", "company_id", "selling_price", "id"),
        Index("ix_item_company_id_category_id", "company_id", "category_id", "sort_name", "id"),
        Index("ix_item_company_id_stock_on_hand", "company_id", "stock_on_hand", "id"),
        Index("ix_item_company_id_type", "company_id", "type", "sort_name"),
        # covers the low / out of stock conditions, so counting them reads no table rows
        Index(
            "ix_item_company_id_stock_filters",
            "company_id",
            "type",
            "tracked",
            "stock_on_hand",
            "minimum_stock",
        ),
        Index("ix_item_company_id_supplier_id", "company_id", "supplier_id", "sort_name", "id"),
        CheckConstraint("type IN ('inventory', 'non_inventory', 'service')", name="type"),
        # its triggers feed the search index, which SQLite writes out once a statement
        {"info": {ROWS_IN_ONE_STATEMENT: True}},
    )

    company_id: Mapped[str] = company_key(cascade=True)
    id: Mapped[str] = mapped_column(_ID, primary_key=True)
    item_code: Mapped[str] = mapped_column(sort_key_type(64))
    # from the company's item sequence (ART_PRODUCT001, ...), never changed
    article_number: Mapped[str] = mapped_column(String(40))
    barcode: Mapped[str | None] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(200))
    sort_name: Mapped[str] = mapped_column(sort_key_type(200))  # lower(name), for ordering
    description: Mapped[str | None] = mapped_column(Text)
    purchase_description: Mapped[str | None] = mapped_column(Text)  # on purchases
    notes: Mapped[str | None] = mapped_column(Text)
    source_guid: Mapped[str | None] = mapped_column(String(100))  # an external system's id
    purchasable: Mapped[bool] = mapped_column(Boolean, default=True)
    sellable: Mapped[bool] = mapped_column(Boolean, default=True)
    category_id: Mapped[str | None] = mapped_column(_ID)
    type: Mapped[str] = mapped_column(String(16))
    unit: Mapped[str] = mapped_column(String(20))
    weight: Mapped[Decimal | None] = mapped_column(Amount)
    length: Mapped[Decimal | None] = mapped_column(Amount)
    width: Mapped[Decimal | None] = mapped_column(Amount)
    height: Mapped[Decimal | None] = mapped_column(Amount)
    dimension_unit: Mapped[str | None] = mapped_column(String(10))
    cost_price: Mapped[Decimal] = mapped_column(Amount)
    standard_cost: Mapped[Decimal | None] = mapped_column(Amount)  # for standard costing
    selling_price: Mapped[Decimal] = mapped_column(Amount)
    # whether the selling price includes tax; null: as its price group says
    selling_price_includes_tax: Mapped[bool | None] = mapped_column(Boolean)
    currency: Mapped[str] = mapped_column(String(3))
    tracked: Mapped[bool] = mapped_column(Boolean)
    tracking: Mapped[str] = mapped_column(String(10), default="none")  # none | batch | serial
    minimum_stock: Mapped[Decimal | None] = mapped_column(Amount)
    maximum_stock: Mapped[Decimal | None] = mapped_column(Amount)
    reorder_point: Mapped[Decimal | None] = mapped_column(Amount)
    reorder_quantity: Mapped[Decimal | None] = mapped_column(Amount)
    supplier_id: Mapped[str | None] = mapped_column(_ID)
    supplier_item_code: Mapped[str | None] = mapped_column(String(64))
    lead_time_days: Mapped[int | None] = mapped_column(Integer)
    accounting: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    sales_tax_code: Mapped[str | None] = mapped_column(String(32))
    purchase_tax_code: Mapped[str | None] = mapped_column(String(32))
    taxable: Mapped[bool] = mapped_column(Boolean, default=True)
    custom_fields: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    search_text: Mapped[str] = mapped_column(Text)
    # Totals over warehouses and stores, kept by the ledger (never by the catalogue) in the
    # transaction of each movement, so that lists can sort and filter by stock with an index.
    stock_on_hand: Mapped[Decimal] = mapped_column(Amount, default=Decimal(0))
    stock_reserved: Mapped[Decimal] = mapped_column(Amount, default=Decimal(0))
    stock_on_order: Mapped[Decimal] = mapped_column(Amount, default=Decimal(0))
    # the Sage cost figures, kept by the ledger: what was bought to date and the latest cost
    purchased_quantity: Mapped[Decimal] = mapped_column(Amount, default=Decimal(0))
    purchased_value: Mapped[Decimal] = mapped_column(Amount, default=Decimal(0))
    last_cost_price: Mapped[Decimal | None] = mapped_column(Amount)
    last_cost_date: Mapped[date | None] = mapped_column(Date)
    cost_price_last_updated: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # raised by the ledger with each movement dated in the past: the costing snapshots
    # taken before it no longer hold (costing/models.py)
    cost_revision: Mapped[int] = mapped_column(default=0)

    @validates("name")
    def _set_sort_name(self, _key: str, name: str) -> str:
        self.sort_name = name.lower()
        return name


def _item_fk() -> ForeignKeyConstraint:
    return ForeignKeyConstraint(
        ["company_id", "item_id"], ["item.company_id", "item.id"], ondelete="CASCADE"
    )


class ItemPrice(Base):
    """An item's price in one price group (a service's rate in one service rate type)."""

    __tablename__ = "item_price"
    __table_args__ = (
        _item_fk(),
        ForeignKeyConstraint(
            ["company_id", "price_group_id"], ["price_group.company_id", "price_group.id"]
        ),
        Index("ix_item_price_company_id_price_group_id", "company_id", "price_group_id"),
    )

    company_id: Mapped[str] = company_key(cascade=True)
    item_id: Mapped[str] = mapped_column(_ID, primary_key=True)
    price_group_id: Mapped[str] = mapped_column(_ID, primary_key=True)
    price: Mapped[Decimal] = mapped_column(Amount)
    includes_tax: Mapped[bool | None] = mapped_column(Boolean)  # null: as the group says


class ItemVariant(_Timestamps, Base):
    __tablename__ = "item_variant"
    __table_args__ = (
        _item_fk(),
        UniqueConstraint("company_id", "item_code"),
        UniqueConstraint("company_id", "barcode"),
        # an item's variants in id order, read by the item (not every variant in id order)
        Index("ix_item_variant_company_id_item_id", "company_id", "item_id", "id"),
    )

    company_id: Mapped[str] = company_key(cascade=True)
    id: Mapped[str] = mapped_column(_ID, primary_key=True)
    item_id: Mapped[str] = mapped_column(_ID)
    name: Mapped[str] = mapped_column(String(200))
    item_code: Mapped[str] = mapped_column(String(64))
    barcode: Mapped[str | None] = mapped_column(String(64))
    attributes: Mapped[dict[str, Any]] = mapped_column(JSON)
    cost_price: Mapped[Decimal | None] = mapped_column(Amount)
    selling_price: Mapped[Decimal | None] = mapped_column(Amount)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)


class ItemImage(Base):
    __tablename__ = "item_image"
    __table_args__ = (
        _item_fk(),
        Index("ix_item_image_company_id_item_id", "company_id", "item_id", "position"),
    )

    company_id: Mapped[str] = company_key(cascade=True)
    id: Mapped[str] = mapped_column(_ID, primary_key=True)
    item_id: Mapped[str] = mapped_column(_ID)
    url: Mapped[str] = mapped_column(String(2000))
    is_primary: Mapped[bool] = mapped_column(Boolean, default=False)
    position: Mapped[int] = mapped_column(Integer)
