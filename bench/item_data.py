"""A realistic catalogue for the item benchmarks, filled fast.

Categories, suppliers and locations (a few hundred rows) go through the catalogue services.
Items and what hangs off them (variants, images, prices, stock levels) are bulk Core inserts
in batches, written as the services would write them: every NOT NULL column filled and
``search_text`` built as ``refresh_search_text`` builds it. The SQLite FTS table follows the
item table through its insert trigger, as it does for rows the service writes. Stock levels
are written without the ledger movements that would have produced them: the list reads
levels only, so a movement history would lengthen the fill without changing what is timed.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import insert
from sqlalchemy.orm import Session

from bench.timing import stopwatch
from stockkeeper.catalog.models import Item, ItemImage, ItemPrice, ItemVariant
from stockkeeper.catalog.service import categories, locations, price_groups, suppliers
from stockkeeper.catalog.values import NewCategory, NewLocation, NewSupplier
from stockkeeper.core.db import Base, Database
from stockkeeper.core.ids import new_id
from stockkeeper.core.types import utcnow
from stockkeeper.stock.models import StockLevel
from stockkeeper.stock.service.provisioning import provision_company
from stockkeeper.tenancy.service import Actor, NewApiKey, Role, create_api_key

BATCH = 5_000  # rows per INSERT batch and per transaction
CURRENCY = "USD"
CENT = Decimal("0.01")


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


# Word lists for names and descriptions, written as text to keep them short.
ADJECTIVES = _words(
    "Compact Heavy-duty Premium Basic Industrial Portable Slim Rugged Deluxe Standard Mini "
    "Professional Eco Wireless Adjustable Foldable Magnetic Waterproof Insulated Reinforced"
)
MATERIALS = _words(
    "steel aluminium brass copper nylon rubber oak bamboo ceramic glass cotton leather carbon "
    "titanium vinyl silicone polymer zinc maple acrylic"
)
NOUNS = _words(
    "bracket hinge widget clamp valve bolt washer gasket cable connector switch sensor relay "
    "fuse spring bearing pulley gear shelf drawer hook latch handle knob pipe fitting nozzle "
    "filter pump motor lamp socket adapter charger battery tape glue brush roller scraper"
)
SIZES = (*_words("10mm 25mm 40mm M6 M8 small medium large XL 1m 2m 5m 500ml 1L"), "pack of 10")
USES = (
    *_words("workshops kitchens warehouses laboratories offices garages schools hospitals"),
    "outdoor use",
    "marine environments",
)
FEATURES = (
    "Corrosion resistant.",
    "Easy to install.",
    "Tested to ISO 9001.",
    "Includes mounting screws.",
    "Two-year warranty.",
    "Food safe.",
    "UV stabilised.",
    "Low maintenance.",
    "Fire retardant.",
    "Recyclable packaging.",
)
SERVICES = _words(
    "installation repair calibration inspection cleaning assembly maintenance delivery"
)
DEPARTMENTS = _words(
    "Hardware Plumbing Electrical Garden Kitchen Bathroom Automotive Marine Office Lighting "
    "Tools Safety Storage Cleaning Paint Outdoor Laboratory Workshop Packaging Fasteners"
)
SURNAMES = _words(
    "Tan Lim Wong Kumar Rahman Smith Garcia Meyer Rossi Novak Silva Kowalski Nguyen Haddad "
    "Okafor Jensen Dubois Sato Kim Ali Costa Petrov Larsen Moreau Ibrahim Chen Fischer Romano "
    "Walsh Reyes"
)
SUPPLIER_KINDS = (
    *_words("Trading Components Wholesale Hardware Distribution Imports Manufacturing Sourcing"),
    "Industrial Supply",
    "Engineering",
)
COLOURS = ("Red", "Blue", "Black", "White", "Green")
UNITS = ("pcs", "pcs", "pcs", "box", "set", "pack", "m", "kg")
LOCATIONS = (
    ("Main warehouse", "WH-MAIN", "warehouse"),
    ("North warehouse", "WH-NORTH", "warehouse"),
    ("City store", "ST-CITY", "store"),
)
CHILD_CATEGORIES = 14  # per department: 20 + 20 * 14 = 300 categories


@dataclass
class Catalogue:
    """What the benchmark needs to know about the filled company."""

    company_id: str
    token: str
    top_categories: list[str]
    leaf_categories: list[str]
    supplier_ids: list[str]
    location_ids: list[str]
    price_groups: dict[str, str]
    rows: dict[str, int] = field(default_factory=dict)
    probe_code: str = ""  # an item in the middle of the fill, to search for
    probe_barcode: str = ""
    seconds: float = 0.0


@dataclass
class _Batch:
    items: list[dict[str, Any]] = field(default_factory=list)
    variants: list[dict[str, Any]] = field(default_factory=list)
    images: list[dict[str, Any]] = field(default_factory=list)
    prices: list[dict[str, Any]] = field(default_factory=list)
    levels: list[dict[str, Any]] = field(default_factory=list)

    def tables(self) -> list[tuple[type[Base], list[dict[str, Any]]]]:
        """In foreign-key order."""
        return [
            (Item, self.items),
            (ItemVariant, self.variants),
            (ItemImage, self.images),
            (ItemPrice, self.prices),
            (StockLevel, self.levels),
        ]


def fill(database: Database, *, items: int, seed: int = 1) -> Catalogue:
    """Creates a company with ``items`` items and everything around them."""
    elapsed = stopwatch()
    rng = random.Random(seed)
    with database.unit_of_work() as session:
        catalogue = _references(session, rng)
    maker = _ItemMaker(rng, catalogue, probe=items // 2)
    for start in range(1, items + 1, BATCH):
        batch = maker.batch(range(start, min(start + BATCH, items + 1)))
        _insert(database, batch, catalogue.rows)
    settle(database)
    catalogue.seconds = elapsed()
    return catalogue


def _insert(database: Database, batch: _Batch, counts: dict[str, int]) -> None:
    with database.engine.begin() as connection:
        for model, rows in batch.tables():
            if rows:
                connection.execute(insert(model), rows)
                name = model.__tablename__
                counts[name] = counts.get(name, 0) + len(rows)


def settle(database: Database) -> None:
    """Leaves the database as a running server would have it shortly after a bulk load."""
    with database.engine.connect() as connection:
        if database.dialect == "sqlite":
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        else:
            # Planner statistics, the visibility map and a flushed GIN pending list: what
            # autovacuum would reach soon after the load. VACUUM refuses a transaction.
            connection.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql(
                "VACUUM ANALYZE"
            )


# --- categories, suppliers, locations: through the services --------------------------------


def _references(session: Session, rng: random.Random) -> Catalogue:
    company = provision_company(session, name="Benchmark Supplies Ltd", currency=CURRENCY)
    actor = Actor(company_id=company.id, key_id="bench", name="bench", role=Role.admin)
    viewer = NewApiKey(role="viewer", name="bench")
    _, token = create_api_key(session, Actor.system(company.id, "bench"), key=viewer)
    tops, leaves = _categories(session, actor, rng)
    supplier_ids = [
        suppliers.create_supplier(session, actor, supplier=NewSupplier.model_validate(values)).id
        for values in _supplier_values()
    ]
    location_ids = [
        locations.create_location(session, actor, location=NewLocation(name=n, code=c, type=t)).id
        for n, c, t in LOCATIONS
    ]
    groups = {g.name: g.id for g in price_groups.list_price_groups(session, actor)}
    return Catalogue(company.id, token, tops, leaves, supplier_ids, location_ids, groups)


def _categories(session: Session, actor: Actor, rng: random.Random) -> tuple[list[str], list[str]]:
    tops, leaves = [], []
    for number, department in enumerate(DEPARTMENTS):
        colour = f"#{(number * 0x0B3A71) % 0xFFFFFF:06x}"
        top = NewCategory(name=department, color=colour)
        top_id = categories.create_category(session, actor, category=top).category.id
        tops.append(top_id)
        for noun in rng.sample(NOUNS, CHILD_CATEGORIES):
            leaf = NewCategory(name=_plural(noun).capitalize(), color=colour, parent_id=top_id)
            leaves.append(categories.create_category(session, actor, category=leaf).category.id)
    return tops, leaves


def _plural(noun: str) -> str:
    return noun + ("es" if noun.endswith(("s", "x", "ch", "sh")) else "s")


def _supplier_values() -> list[dict[str, Any]]:
    return [
        {
            "name": f"{surname} {kind}",
            "contact_person": f"{surname} Accounts",
            "email": f"orders@{surname.lower()}-{kind.split()[0].lower()}.example",
        }
        for kind in SUPPLIER_KINDS
        for surname in SURNAMES
    ]


# --- items and their rows: bulk ------------------------------------------------------------


def ean13(first12: str) -> str:
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(first12))
    return first12 + str((10 - total % 10) % 10)


def _money(rng: random.Random, low_cents: int, high_cents: int) -> Decimal:
    return Decimal(rng.randint(low_cents, high_cents)).scaleb(-2)


class _ItemMaker:
    """Builds batches of item rows; the seeded generator makes every run the same catalogue."""

    def __init__(self, rng: random.Random, catalogue: Catalogue, probe: int) -> None:
        self.rng = rng
        self.catalogue = catalogue
        self.probe = probe
        self.now: datetime = utcnow()
        self.variant_number = 0

    def batch(self, numbers: Sequence[int]) -> _Batch:
        batch = _Batch()
        for number in numbers:
            self._item(batch, number)
        return batch

    def _item(self, batch: _Batch, number: int) -> None:
        roll = self.rng.random()
        kind = "inventory" if roll < 0.85 else "non_inventory" if roll < 0.95 else "service"
        row = self._service(number) if kind == "service" else self._goods(number, kind)
        row.update(self._common(row))
        row["sort_name"] = row["name"].lower()  # as the model's validator sets it
        row["article_number"] = f"ART{number:06d}"  # unique per company since migration 0020
        variants = self._variants(row) if kind == "inventory" and self.rng.random() < 0.03 else []
        row["search_text"] = _search_text(row, variants)
        batch.variants += variants
        batch.images += self._images(row)
        batch.prices += self._prices(row)
        levels = self._levels(row, variants) if row["tracked"] and self.rng.random() < 0.7 else []
        batch.levels += levels
        # the item's own totals, as the ledger keeps them
        row["stock_on_hand"] = sum((level["on_hand"] for level in levels), Decimal(0))
        row["stock_reserved"] = sum((level["reserved"] for level in levels), Decimal(0))
        batch.items.append(row)
        if number >= self.probe and not self.catalogue.probe_barcode and row["barcode"]:
            self.catalogue.probe_code, self.catalogue.probe_barcode = (
                row["item_code"],
                row["barcode"],
            )

    def _goods(self, number: int, kind: str) -> dict[str, Any]:
        rng = self.rng
        adjective, material, noun = (
            rng.choice(ADJECTIVES),
            rng.choice(MATERIALS),
            rng.choice(NOUNS),
        )
        cost = _money(rng, 50, 50_000)
        markup = Decimal(rng.choice(("1.25", "1.4", "1.5", "1.75", "2", "2.5")))
        has_dimensions = rng.random() < 0.3
        return {
            "item_code": f"{noun[:3].upper()}-{number:06d}",
            "barcode": ean13(f"20{number:010d}") if rng.random() < 0.9 else None,
            "name": f"{adjective} {material.capitalize()} {noun.capitalize()} {rng.choice(SIZES)}",
            "description": self._description(adjective, material, noun),
            "type": kind,
            "unit": rng.choice(UNITS),
            "weight": Decimal(rng.randint(5, 25_000)).scaleb(-3) if rng.random() < 0.6 else None,
            **{
                side: Decimal(rng.randint(1, 120)) if has_dimensions else None
                for side in ("length", "width", "height")
            },
            "dimension_unit": "cm" if has_dimensions else None,
            "cost_price": cost,
            "selling_price": (cost * markup).quantize(CENT),
            "tracked": kind == "inventory",
            **self._stock_rules(kind),
            **self._supplier(number),
        }

    def _description(self, adjective: str, material: str, noun: str) -> str | None:
        if self.rng.random() < 0.15:
            return None
        use, feature = self.rng.choice(USES), self.rng.choice(FEATURES)
        return f"{adjective} {noun} made of {material}, suited to {use}. {feature}"

    def _stock_rules(self, kind: str) -> dict[str, Any]:
        minimum = None
        if kind == "inventory" and self.rng.random() < 0.35:
            minimum = Decimal(self.rng.choice((5, 10, 20, 25, 50, 100)))
        return {
            "minimum_stock": minimum,
            "maximum_stock": minimum * 20 if minimum else None,
            "reorder_point": minimum * 2 if minimum else None,
            "reorder_quantity": minimum * 5 if minimum else None,
        }

    def _supplier(self, number: int) -> dict[str, Any]:
        if self.rng.random() >= 0.8:
            return {"supplier_id": None, "supplier_item_code": None, "lead_time_days": None}
        return {
            "supplier_id": self.rng.choice(self.catalogue.supplier_ids),
            "supplier_item_code": f"S{self.rng.randint(10_000, 99_999)}-{number}",
            "lead_time_days": self.rng.choice((3, 7, 14, 30)),
        }

    def _service(self, number: int) -> dict[str, Any]:
        noun, service = self.rng.choice(NOUNS), self.rng.choice(SERVICES)
        return {
            "item_code": f"SVC-{number:06d}",
            "barcode": None,
            "name": f"{noun.capitalize()} {service}",
            "description": f"{service.capitalize()} of {_plural(noun)}, per hour, on site.",
            "type": "service",
            "unit": "hour",
            **dict.fromkeys(("weight", "length", "width", "height", "dimension_unit")),
            "cost_price": Decimal("0.00"),
            "selling_price": _money(self.rng, 2_000, 15_000),
            "tracked": False,
            **self._stock_rules("service"),
            **dict.fromkeys(("supplier_id", "supplier_item_code", "lead_time_days")),
        }

    def _common(self, row: dict[str, Any]) -> dict[str, Any]:
        """The columns the item service fills the same way for every item."""
        leaf = self.rng.choice(self.catalogue.leaf_categories) if self.rng.random() < 0.95 else None
        return {
            "company_id": self.catalogue.company_id,
            "id": new_id("item"),
            "category_id": leaf,
            "currency": CURRENCY,
            "accounting": {},
            "custom_fields": {},
            "sales_tax_code": None,
            "purchase_tax_code": None,
            "taxable": row["type"] != "service",
            "is_active": self.rng.random() >= 0.03,
            "created_at": self.now,
            "updated_at": self.now,
        }

    def _variants(self, item: dict[str, Any]) -> list[dict[str, Any]]:
        rows = []
        for colour in self.rng.sample(COLOURS, self.rng.randint(2, 4)):
            self.variant_number += 1
            rows.append(
                {
                    "company_id": item["company_id"],
                    "id": new_id("var"),
                    "item_id": item["id"],
                    "name": f"{item['name']} {colour}",
                    "item_code": f"{item['item_code']}-{colour[:3].upper()}",
                    "barcode": ean13(f"21{self.variant_number:010d}"),
                    "attributes": {"colour": colour},
                    "cost_price": None,
                    "selling_price": None,
                    "is_active": True,
                    "created_at": self.now,
                    "updated_at": self.now,
                }
            )
        return rows

    def _images(self, item: dict[str, Any]) -> list[dict[str, Any]]:
        if self.rng.random() >= 0.25:
            return []
        base = f"https://images.example.com/items/{item['item_code'].lower()}"
        return [
            {
                "company_id": item["company_id"],
                "id": new_id("img"),
                "item_id": item["id"],
                "url": f"{base}/{position + 1}.jpg",
                "is_primary": position == 0,
                "position": position,
            }
            for position in range(self.rng.randint(1, 3))
        ]

    def _prices(self, item: dict[str, Any]) -> list[dict[str, Any]]:
        groups, price = self.catalogue.price_groups, item["selling_price"]
        if item["type"] == "service":
            return [self._price(item, groups["Rate"], price)]
        if self.rng.random() >= 0.6:
            return []
        trade = (price * Decimal("0.9")).quantize(CENT)
        return [
            self._price(item, groups["Sales Price"], price),
            self._price(item, groups["Trade"], trade),
        ]

    @staticmethod
    def _price(item: dict[str, Any], group_id: str, price: Decimal) -> dict[str, Any]:
        return {
            "company_id": item["company_id"],
            "item_id": item["id"],
            "price_group_id": group_id,
            "price": price,
        }

    def _levels(self, item: dict[str, Any], variants: list[dict[str, Any]]) -> list[dict[str, Any]]:
        places = self.rng.sample(self.catalogue.location_ids, self.rng.randint(2, 3))
        holders = [variant["id"] for variant in variants] or [None]
        return [
            self._level(item, variant_id, location) for variant_id in holders for location in places
        ]

    def _level(
        self, item: dict[str, Any], variant_id: str | None, location_id: str
    ) -> dict[str, Any]:
        # Mostly modest quantities with some empty shelves, so low and out of stock both occur.
        on_hand = 0 if self.rng.random() < 0.12 else round(self.rng.expovariate(1 / 60))
        reserved = self.rng.randint(0, min(on_hand, 10)) if self.rng.random() < 0.2 else 0
        # The ledger's key joins the six nullable dimensions; bin, batch and serial are unused here.
        key = "|".join(
            part or "" for part in (item["id"], variant_id, location_id, None, None, None)
        )
        return {
            "company_id": item["company_id"],
            "level_key": key,
            "item_id": item["id"],
            "variant_id": variant_id,
            "location_id": location_id,
            "bin_id": None,
            "batch_id": None,
            "serial_id": None,
            "physical": True,
            "on_hand": Decimal(on_hand),
            "reserved": Decimal(reserved),
            "value": Decimal(on_hand) * item["cost_price"],  # at cost, as the ledger values stock
            "updated_at": self.now,
        }


def _search_text(item: dict[str, Any], variants: list[dict[str, Any]]) -> str:
    """As ``refresh_search_text``: codes, barcode, name, description, then each variant's."""
    parts = [item["item_code"], item["barcode"], item["name"], item["description"]]
    parts += [v[column] for v in variants for column in ("item_code", "barcode", "name")]
    return " ".join(p for p in parts if p).lower()
