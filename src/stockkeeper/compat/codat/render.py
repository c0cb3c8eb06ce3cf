"""The slices' views as Codat's records: items (an item's view, its stock per location, the
accounts it books to and the tax rates it names), tax rates and accounts. Dates are UTC
instants to the millisecond with a ``Z``; a record's ``modifiedDate`` is its
``sourceModifiedDate`` (the record's own last change: Stockkeeper is the source, there is no
copy read at another time)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from stockkeeper.catalog.service.item_accounts import BookedAccounts
from stockkeeper.stock.views.items import ItemView, item_read

ITEM_TYPES = {"inventory": "Inventory", "non_inventory": "NonInventory", "service": "Service"}
ACCOUNT_TYPES = {
    "asset": "Asset",
    "liability": "Liability",
    "equity": "Equity",
    "income": "Income",
    "expense": "Expense",
    "cost_of_sales": "Expense",
}


@dataclass(frozen=True)
class Company:
    """What an item's record names of its company: itself and its locations' names."""

    id: str
    name: str
    currency: str
    locations: dict[str, str]


def instant(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def number(value: Decimal) -> Decimal:
    """Without trailing zeros, a whole number as an integer (``2``, ``100.5``)."""
    whole = value.to_integral_value()
    return whole if value == whole else value.normalize()


def status(active: bool) -> str:
    return "Active" if active else "Archived"


def _ref(ref: Any) -> dict[str, Any] | None:
    return None if ref is None else {"id": ref.id, "name": ref.name}


def _tax_ref(rate: Any) -> dict[str, Any] | None:
    if rate is None:
        return None
    return {"id": rate.id, "name": rate.name, "effectiveTaxRate": number(rate.effective_rate)}


def _line(description: str, price: Decimal | None, account: Any, rate: Any) -> dict[str, Any]:
    return {
        "description": description,
        "unitPrice": None if price is None else number(price),
        "accountRef": _ref(account),
        "taxRateRef": _tax_ref(rate),
    }


def _bill_item(read: Any, booked: BookedAccounts) -> dict[str, Any] | None:
    """What a bill books: a stock item to its inventory account, anything else to its cost of
    sales account (``BookedAccounts.purchases``), at its cost price."""
    if not read.purchasable:
        return None
    description = read.purchase_description or read.name
    rate = read.tax.purchase_tax_rate
    return _line(description, read.pricing.cost_price, booked.purchases, rate)


def _invoice_item(read: Any, booked: BookedAccounts) -> dict[str, Any] | None:
    """What an invoice books: the item's income account, else the default sales account."""
    if not read.sellable:
        return None
    description = read.description or read.name
    rate = read.tax.sales_tax_rate
    return _line(description, read.pricing.selling_price, booked.sales, rate)


def _quantities(read: Any, company: Company) -> list[dict[str, Any]]:
    """Each warehouse or store with stock on hand."""
    return [
        {
            "locationRef": {"id": at.location_id, "name": company.locations.get(at.location_id)},
            "quantity": number(at.stock),
        }
        for at in read.locations
        if at.stock != 0
    ]


def item_record(view: ItemView, company: Company, booked: BookedAccounts) -> dict[str, Any]:
    """An item, ``booked`` the accounts it books to (``catalog.service.item_accounts``)."""
    read = item_read(view)
    modified = instant(read.updated_at)
    bill, invoice = _bill_item(read, booked), _invoice_item(read, booked)
    return {
        "id": read.id,
        "name": read.name,
        "code": read.item_code,
        "sourceModifiedDate": modified,
        "modifiedDate": modified,
        "itemStatus": status(read.is_active),
        "type": ITEM_TYPES[read.type],
        "isBillItem": bill is not None,
        "billItem": bill,
        "isInvoiceItem": invoice is not None,
        "invoiceItem": invoice,
        "subsidiaryRefs": [{"id": company.id, "name": company.name}],
        "quantityOnHandPerLocation": _quantities(read, company),
    }


def tax_rate_record(read: Any) -> dict[str, Any]:
    """A tax rate: its components are added, none compounds (total and effective agree)."""
    modified = instant(read.updated_at)
    rate = number(read.effective_rate)
    return {
        "id": read.id,
        "name": read.name,
        "code": read.code,
        "effectiveTaxRate": rate,
        "totalTaxRate": rate,
        "components": [
            {"name": c.name, "rate": number(c.rate), "isCompound": False} for c in read.components
        ],
        "status": status(read.active),
        "validDatatypeLinks": [],
        "sourceModifiedDate": modified,
        "modifiedDate": modified,
    }


def account_record(read: Any, company: Company) -> dict[str, Any]:
    """An account of the chart: no balance (the ledger keeps none per account yet)."""
    modified = instant(read.updated_at)
    top = ACCOUNT_TYPES[read.type]
    category = f"{top}.CostOfSales" if read.type == "cost_of_sales" else top
    return {
        "id": read.id,
        "nominalCode": read.code,
        "name": read.name,
        "description": None,
        "fullyQualifiedCategory": category,
        "fullyQualifiedName": f"{category}.{read.name}",
        "currency": company.currency,
        "currentBalance": None,
        "type": top,
        "status": status(read.active),
        "isBankAccount": False,
        "validDatatypeLinks": [],
        "sourceModifiedDate": modified,
        "modifiedDate": modified,
    }
