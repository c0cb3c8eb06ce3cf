"""The accounts an item books to, as the Codat and Sage dialects show them: what the item
names, else (for its stock) its category's inventory account, else the company's default;
for a whole page of items in a fixed number of statements."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import event

from stockkeeper.core.db import Database
from tests.compat.codat.support import Codat
from tests.compat.codat.support import body as codat_body
from tests.compat.sage.support import P, body
from tests.support import Api, Tenant, unique


def _accounts(api: Api) -> dict[str, dict[str, Any]]:
    """The company's accounts by code."""
    return {row["code"]: row for row in api.data(api.get("/api/v1/accounts"))}


def _account(api: Api, kind: str) -> dict[str, Any]:
    return api.create("/api/v1/accounts", {"code": unique("A"), "name": unique(kind), "type": kind})


def _codat_ref(account: dict[str, Any]) -> dict[str, Any]:
    return {"id": account["id"], "name": account["name"]}


def _sage_ref(account: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": account["id"],
        "displayed_as": f"{account['name']} ({account['code']})",
        "$path": f"/ledger_accounts/{account['id']}",
    }


class Shown:
    """An item as both dialects show it: Codat's bill and invoice accounts, Sage's ledger
    accounts (read at ``collection``)."""

    def __init__(self, api: Api, client: TestClient, tenant: Tenant) -> None:
        self.api, self.codat = api, Codat(client, tenant)

    def codat_accounts(self, item_id: str) -> tuple[Any, Any]:
        record = codat_body(self.codat.get(f"{self.codat.data()}/items/{item_id}"))
        return record["billItem"]["accountRef"], record["invoiceItem"]["accountRef"]

    def sage_accounts(self, item_id: str, collection: str) -> tuple[Any, Any]:
        record = body(self.api.get(f"{P}/{collection}/{item_id}"))
        return record["purchase_ledger_account"], record["sales_ledger_account"]

    def both(
        self, item_id: str, collection: str, purchase: dict[str, Any], sales: dict[str, Any]
    ) -> None:
        """Purchases book to ``purchase`` and sales to ``sales``, on both dialects."""
        assert self.codat_accounts(item_id) == (_codat_ref(purchase), _codat_ref(sales))
        assert self.sage_accounts(item_id, collection) == (_sage_ref(purchase), _sage_ref(sales))


def test_an_item_naming_no_accounts_shows_the_companys_defaults(
    api: Api, client: TestClient, tenant: Tenant
) -> None:
    shown, standard = Shown(api, client, tenant), _accounts(api)
    sales = standard["acc_sales_revenue"]
    stock = api.item(accounting={})
    shown.both(stock["id"], "stock_items", standard["acc_inventory"], sales)
    goods = api.item(type="non_inventory")
    shown.both(goods["id"], "products", standard["acc_cogs"], sales)
    service = api.item(type="service")
    shown.both(service["id"], "services", standard["acc_cogs"], sales)
    # Sage's lists (and a stock item read as a product) show the same
    listed = body(api.get(f"{P}/products", params={"attributes": "all"}))["$items"]
    by_id = {record["id"]: record for record in listed}
    assert by_id[stock["id"]]["purchase_ledger_account"] == _sage_ref(standard["acc_inventory"])
    assert by_id[goods["id"]]["purchase_ledger_account"] == _sage_ref(standard["acc_cogs"])
    assert {r["sales_ledger_account"]["id"] for r in listed} == {sales["id"]}
    # the canonical item still names none
    assert api.data(api.get(f"/api/v1/items/{stock['id']}"))["accounting"]["incomeAccount"] is None


def test_changed_defaults_show_at_once(api: Api, client: TestClient, tenant: Tenant) -> None:
    shown = Shown(api, client, tenant)
    stock, goods = api.item(), api.item(type="non_inventory")
    inventory, cogs = _account(api, "asset"), _account(api, "cost_of_sales")
    sales = _account(api, "income")
    defaults = {
        "inventoryAccountId": inventory["code"],  # by code, as the standard ones are named
        "cogsAccountId": cogs["id"],
        "salesAccountId": sales["id"],
    }
    api.data(api.put("/api/v1/settings", {"defaultAccounts": defaults}))
    shown.both(stock["id"], "stock_items", inventory, sales)
    shown.both(goods["id"], "products", cogs, sales)


def test_a_category_with_its_own_inventory_account_shows_that_one(
    api: Api, client: TestClient, tenant: Tenant
) -> None:
    shown, standard = Shown(api, client, tenant), _accounts(api)
    sales = standard["acc_sales_revenue"]
    own = _account(api, "asset")
    by_code = api.category(inventoryAccountId=own["code"])
    by_id = api.category(inventoryAccountId=own["id"])
    plain = api.category()
    for category in (by_code, by_id):
        item = api.item(categoryId=category["id"])
        shown.both(item["id"], "stock_items", own, sales)
    in_plain = api.item(categoryId=plain["id"])
    shown.both(in_plain["id"], "stock_items", standard["acc_inventory"], sales)
    # a category's inventory account is for stock: goods of no stock book to cost of sales
    goods = api.item(type="non_inventory", categoryId=by_code["id"])
    shown.both(goods["id"], "products", standard["acc_cogs"], sales)
    # an item naming its own asset account books its stock there, not to its category's
    item_own = _account(api, "asset")
    named = api.item(categoryId=by_code["id"], accounting={"assetAccountId": item_own["id"]})
    shown.both(named["id"], "stock_items", item_own, sales)


def test_an_item_naming_its_own_accounts_shows_its_own(
    api: Api, client: TestClient, tenant: Tenant
) -> None:
    shown = Shown(api, client, tenant)
    asset, expense = _account(api, "asset"), _account(api, "cost_of_sales")
    income = _account(api, "income")
    category = api.category(inventoryAccountId=_account(api, "asset")["id"])
    accounting = {
        "incomeAccountId": income["code"],  # by code
        "expenseAccountId": expense["id"],
        "assetAccountId": asset["id"],
    }
    stock = api.item(categoryId=category["id"], accounting=accounting)
    shown.both(stock["id"], "stock_items", asset, income)
    goods = api.item(type="non_inventory", accounting=accounting)
    shown.both(goods["id"], "products", expense, income)
    # a stock item naming only its expense account shows that one, as before the defaults
    expensed = api.item(categoryId=category["id"], accounting={"expenseAccountId": expense["id"]})
    shown.both(expensed["id"], "stock_items", expense, _accounts(api)["acc_sales_revenue"])


def test_a_movements_stock_item_shows_the_accounts_its_item_books_to(
    api: Api, tenant: Tenant
) -> None:
    standard = _accounts(api)
    where = api.location(name=unique("Warehouse"), type="warehouse")
    item = api.item(pricing={"costPrice": "2"})
    api.adjust(where["id"], (item["id"], 3, "2"))
    listed = body(
        api.get(f"{P}/stock_movements", params={"attributes": "all", "stock_item_id": item["id"]})
    )
    (entry,) = listed["$items"]
    assert entry["stock_item"] == body(api.get(f"{P}/stock_items/{item['id']}"))
    assert entry["stock_item"]["purchase_ledger_account"] == _sage_ref(standard["acc_inventory"])


def _statements(database: Database, call: Callable[[], Any]) -> int:
    seen: list[str] = []

    def count(*args: Any) -> None:
        seen.append(args[2])

    event.listen(database.engine, "before_cursor_execute", count)
    try:
        call()
    finally:
        event.remove(database.engine, "before_cursor_execute", count)
    return len(seen)


def test_the_lists_cost_the_same_statements_however_many_items(
    api: Api, client: TestClient, database: Database, tenant: Tenant
) -> None:
    codat = Codat(client, tenant)
    where = api.location(name=unique("Warehouse"), type="warehouse")
    everything = {"attributes": "all", "items_per_page": 200}
    lists = {
        "codat items": lambda: codat.read("items", pageSize=200),
        "sage stock items": lambda: body(api.get(f"{P}/stock_items", params=everything)),
        "sage products": lambda: body(api.get(f"{P}/products", params=everything)),
    }

    def add_items(count: int) -> None:
        for n in range(count):
            category = api.category(inventoryAccountId=_account(api, "asset")["id"])
            own = {"incomeAccountId": _account(api, "income")["id"]} if n % 2 else {}
            item = api.item(categoryId=category["id"], accounting=own)
            api.adjust(where["id"], (item["id"], 1, "1"))

    add_items(2)
    few = {name: _statements(database, read) for name, read in lists.items()}
    add_items(6)
    many = {name: _statements(database, read) for name, read in lists.items()}
    assert many == few
    # on SQLite (PostgreSQL: one fewer, no BEGIN), 12 and 10 before the accounts booked to
    # were shown, and the three reads they add: the defaults, the categories' accounts and
    # the accounts named
    bounds = {"codat items": 12 + 3, "sage stock items": 10 + 3, "sage products": 10 + 3}
    assert all(many[name] <= bound for name, bound in bounds.items()), many
