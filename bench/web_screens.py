"""The pages ``python -m bench web`` times: every list (first page, a next page by its cursor,
its filters) and every form of the web UI, and a page of each kind of document, over the
company bench/item_data.py and bench/document_data.py fill."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from html import unescape

import httpx

from bench.document_data import Seeded
from bench.item_data import Catalogue

_NEXT = re.compile(r'<a href="([^"]+)" rel="next">')


@dataclass(frozen=True)
class Page:
    group: str  # the screen: "Items", "Stock", "Adjustments", ...
    label: str
    path: str
    shows: str  # text the answer must hold: the page is the one meant, not an error page


@dataclass(frozen=True)
class Company:
    """What the pages name: the filled catalogue, its documents and one stocked item."""

    catalogue: Catalogue
    seeded: Seeded
    item_id: str


def next_page(http: httpx.Client, path: str) -> str:
    """The address of the list's next page, from its link on the first."""
    following = _NEXT.search(http.get(path).text)
    assert following is not None, f"{path} has a next page"
    return unescape(following.group(1))


def title(text: str) -> str:
    return f"<title>{text}"


def pages(http: httpx.Client, company: Company) -> list[Page]:
    return [
        *item_pages(http, company),
        *stock_pages(http, company),
        *movement_pages(http, company),
        *document_pages(http, company),
        Page("Company", "settings", "/settings", title("Settings")),
        Page("Company", "people", "/people", title("People")),
        Page("Company", "API keys", "/api-keys", title("API keys")),
    ]


def item_pages(http: httpx.Client, company: Company) -> list[Page]:
    catalogue, item_id = company.catalogue, company.item_id
    fragment = catalogue.probe_code[:-2]
    top = catalogue.top_categories[0]
    bracket = "/items?search=bracket"
    return [
        Page("Items", "first page", "/items", "items</p>"),
        Page("Items", "next page (its cursor)", next_page(http, "/items"), "items"),
        Page("Items", "search: a name word (bracket)", bracket, "items"),
        Page("Items", f"search: a code fragment ({fragment})", f"/items?search={fragment}", "item"),
        Page("Items", "search: 2 characters (m8)", "/items?search=m8", "items"),
        Page("Items", "results alone, as typed (bracket)", f"{bracket}&fragment=1", "items"),
        Page("Items", "filter: a department (15 categories)", f"/items?category={top}", "items"),
        Page("Items", "filter: at or below minimum stock", "/items?low_stock=true", "items"),
        Page("Items", "an item's page (the item most moved)", f"/items/{item_id}", "Stock"),
        Page("Items", "an item's movements", f"/items/{item_id}/movements", "Movements of"),
        Page("Items", "new-item form", "/items/new", "Create item"),
        Page("Items", "edit form", f"/items/{item_id}/edit", "Save"),
    ]


def stock_pages(http: httpx.Client, company: Company) -> list[Page]:
    main = company.catalogue.location_ids[0]
    at_main = f"/stock?location_id={main}"
    shows = title("Stock")
    return [
        Page("Stock", "first page", "/stock", shows),
        Page("Stock", "next page (its cursor)", next_page(http, "/stock"), shows),
        Page("Stock", "search: a name word (bracket)", "/stock?search=bracket", shows),
        Page("Stock", "filter: a warehouse", at_main, shows),
        Page("Stock", "filter: a bin of it", f"{at_main}&bin_id={company.seeded.bin_id}", shows),
        Page("Stock", "filter: at or below minimum stock", "/stock?low_stock=true", shows),
    ]


def movement_pages(http: httpx.Client, company: Company) -> list[Page]:
    week_ago = (date.today() - timedelta(days=7)).isoformat()
    store = company.catalogue.location_ids[-1]
    shows, path = title("Movements"), "/movements"
    return [
        Page("Movements", "first page", "/movements", shows),
        Page("Movements", "next page (its cursor)", next_page(http, "/movements"), shows),
        Page("Movements", "filter: a type (transfer)", "/movements?type=transfer", shows),
        Page("Movements", "filter: the store", f"/movements?location_id={store}", shows),
        Page("Movements", "filter: an item", f"/movements?item_id={company.item_id}", shows),
        Page("Movements", "filter: the last 7 days", f"/movements?date_from={week_ago}", shows),
        Page("Movements", "filter: a reference (INV-00042)", f"{path}?reference=INV-00042", shows),
    ]


# each list: its title, the form's title, a document's title and the filter timed
DOCUMENTS = (
    ("adjustments", "Adjustments", "New adjustment", "Adjustment ", "status=draft"),
    ("transfers", "Transfers", "New transfer", "Transfer ", "status=draft"),
    (
        "purchase-orders",
        "Purchase orders",
        "New purchase order",
        "Purchase order",
        "status=ordered",
    ),
    ("issues", "Issues", "New issue", "Issue ", "reference=INV-00042"),
    ("returns", "Customer returns", "New return", "Return ", "reference=RET-00007"),
    ("reservations", "Reservations", "Reserve stock", "Reservation of", "status=active"),
)


def document_pages(http: httpx.Client, company: Company) -> list[Page]:
    found = []
    for path, listed, form, document, query in DOCUMENTS:
        group = listed if path != "returns" else "Returns"
        count, ident = f"{company.seeded.made[path]:,}", company.seeded.ids[path]
        found += [
            Page(group, f"first page (of {count})", f"/{path}", title(listed)),
            Page(group, f"filter: {query}", f"/{path}?{query}", title(listed)),
            Page(group, "new-document form", f"/{path}/new", title(form)),
            Page(group, "a document's page", f"/{path}/{ident}", title(document)),
        ]
    return found
