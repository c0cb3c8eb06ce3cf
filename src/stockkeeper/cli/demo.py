"""A demo company: a category tree, two warehouses and a store with bins, suppliers and about
fifty items (goods with variants, non-stock goods and services), priced in three price groups."""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from stockkeeper.adjustments import service as adjustments
from stockkeeper.adjustments.values import AdjustmentLine, NewAdjustment
from stockkeeper.catalog.models import Item, ItemVariant
from stockkeeper.catalog.service import categories, locations, price_groups, suppliers
from stockkeeper.catalog.values import (
    GroupPrice,
    NewBin,
    NewCategory,
    NewItem,
    NewLocation,
    NewSupplier,
    NewVariant,
    Pricing,
    StockRules,
)
from stockkeeper.cli.progress import Advance, progress, quiet
from stockkeeper.purchasing import service as purchasing
from stockkeeper.purchasing.values import OrderChanges, Receipt, ReceiptLine, ReorderRun
from stockkeeper.stock.service import items
from stockkeeper.stock.service.provisioning import provision_company
from stockkeeper.tenancy.models import Company
from stockkeeper.tenancy.service import Actor

DEMO_NAME = "Demo Trading Sdn Bhd"

CATEGORIES = {
    "Electronics": ["Components", "Cables", "Tools"],
    "Office": ["Paper", "Writing"],
    "Furniture": [],
    "Services": [],
}

# code, name, category, cost, price, minimum stock, supplier index
GOODS = [
    ("WDG-001", "Premium Widget", "Components", "18.50", "25.00", 20, 0),
    ("WDG-002", "Advanced Widget", "Components", "25.00", "35.00", 30, 0),
    ("RES-10K", "Resistor 10k (100 pack)", "Components", "1.20", "2.90", 50, 1),
    ("CAP-100U", "Capacitor 100uF (50 pack)", "Components", "2.40", "4.50", 40, 1),
    ("LED-RED", "Red LED 5mm (100 pack)", "Components", "3.10", "6.00", 30, 1),
    ("MCU-328", "Microcontroller ATmega328", "Components", "9.80", "15.90", 25, 1),
    ("SEN-TMP", "Temperature sensor", "Components", "4.75", "8.50", 20, 1),
    ("REL-5V", "Relay module 5V", "Components", "2.95", "5.90", 15, 1),
    ("CBL-USB-C", "USB-C cable 1m", "Cables", "2.10", "6.90", 60, 2),
    ("CBL-HDMI", "HDMI cable 2m", "Cables", "3.40", "9.90", 40, 2),
    ("CBL-CAT6", "Cat6 patch cable 3m", "Cables", "1.85", "5.50", 80, 2),
    ("CBL-PWR", "Power cord C13", "Cables", "2.60", "7.00", 30, 2),
    ("CBL-EXT", "Extension cable 5m", "Cables", "6.20", "14.90", 10, 2),
    ("TL-SLD", "Soldering station", "Tools", "58.00", "99.00", 5, 0),
    ("TL-MM", "Digital multimeter", "Tools", "22.50", "45.00", 8, 0),
    ("TL-SCR", "Precision screwdriver set", "Tools", "9.40", "19.90", 12, 0),
    ("TL-CRIMP", "Crimping tool", "Tools", "14.00", "29.00", 6, 0),
    ("TL-WIRE", "Wire stripper", "Tools", "7.30", "15.50", 10, 0),
    ("PPR-A4", "A4 copy paper (500 sheets)", "Paper", "3.20", "5.90", 100, 3),
    ("PPR-A3", "A3 copy paper (500 sheets)", "Paper", "6.90", "11.50", 20, 3),
    ("PPR-NOTE", "Sticky notes (12 pads)", "Paper", "2.80", "6.50", 30, 3),
    ("PPR-ENV", "Envelopes C5 (50)", "Paper", "3.60", "7.90", 25, 3),
    ("PPR-LBL", "Shipping labels (1000)", "Paper", "11.00", "21.00", 15, 3),
    ("WRT-PEN-B", "Ballpoint pen blue (10)", "Writing", "1.90", "4.50", 50, 3),
    ("WRT-PEN-K", "Ballpoint pen black (10)", "Writing", "1.90", "4.50", 50, 3),
    ("WRT-MRK", "Whiteboard markers (4)", "Writing", "3.30", "7.20", 25, 3),
    ("WRT-HL", "Highlighters (6)", "Writing", "2.70", "6.00", 20, 3),
    ("WRT-PCL", "HB pencils (12)", "Writing", "1.40", "3.50", 30, 3),
    ("FRN-CHR", "Office chair", "Furniture", "85.00", "149.00", 4, 4),
    ("FRN-DSK", "Standing desk", "Furniture", "210.00", "379.00", 2, 4),
    ("FRN-SHF", "Steel shelving unit", "Furniture", "64.00", "119.00", 3, 4),
    ("FRN-CAB", "Filing cabinet", "Furniture", "72.00", "135.00", 2, 4),
    ("FRN-LMP", "Desk lamp", "Furniture", "12.50", "27.00", 8, 4),
    ("FRN-MAT", "Anti-fatigue mat", "Furniture", "18.00", "34.00", 5, 4),
    ("WDG-003", "Compact Widget", "Components", "12.00", "17.50", 25, 0),
    ("WDG-004", "Heavy-duty Widget", "Components", "31.00", "48.00", 10, 0),
    ("SEN-HUM", "Humidity sensor", "Components", "5.20", "9.90", 15, 1),
    ("CBL-DP", "DisplayPort cable 2m", "Cables", "4.10", "11.90", 20, 2),
    ("TL-GLUE", "Hot glue gun", "Tools", "8.20", "16.90", 6, 0),
    ("PPR-ROLL", "Receipt paper rolls (10)", "Paper", "4.90", "9.90", 40, 3),
]

# code, name, category, cost, price, variants as (suffix, attributes)
WITH_VARIANTS = [
    (
        "TSH-LOGO",
        "Logo T-shirt",
        "Office",
        "6.50",
        "19.00",
        [
            ("RED-M", {"color": "Red", "size": "M"}),
            ("RED-L", {"color": "Red", "size": "L"}),
            ("BLU-M", {"color": "Blue", "size": "M"}),
            ("BLU-L", {"color": "Blue", "size": "L"}),
        ],
    ),
    (
        "MUG-LOGO",
        "Logo mug",
        "Office",
        "2.20",
        "8.50",
        [("WHT", {"color": "White"}), ("BLK", {"color": "Black"})],
    ),
    (
        "WDG-COL",
        "Colour Widget",
        "Components",
        "19.00",
        "27.00",
        [("RED", {"color": "Red"}), ("GRN", {"color": "Green"}), ("BLU", {"color": "Blue"})],
    ),
]

NON_STOCK = [
    ("DS-PRN", "Large-format printer (drop-shipped)", "Office", "1450.00", "1990.00"),
    ("DS-SRV", "Rack server (built to order)", "Electronics", "3200.00", "4290.00"),
    ("GIFT-25", "Gift card 25", "Office", "25.00", "25.00"),
]

SERVICES = [
    ("SVC-INSTALL", "Installation (per hour)", "65.00"),
    ("SVC-REPAIR", "Repair service (per hour)", "55.00"),
    ("SVC-DELIVERY", "Local delivery", "15.00"),
    ("SVC-CALIB", "Calibration", "40.00"),
]

SUPPLIERS = [
    {
        "name": "Widget Supplier Ltd",
        "contact_person": "Aisha Rahman",
        "email": "orders@widgets.example",
    },
    {"name": "Penang Components", "contact_person": "Lim Wei", "email": "sales@pgcomp.example"},
    {"name": "CableWorks Trading", "contact_person": "Ravi Kumar", "phone": "+60 3 5555 0101"},
    {
        "name": "OfficeMart Wholesale",
        "email": "b2b@officemart.example",
        "website": "https://officemart.example",
    },
    {"name": "Kayu Furniture", "contact_person": "Nurul Huda", "notes": "Delivers Tuesdays only"},
]


# what seeding tells its progress of: each item, the opening stock, the purchase orders
DEMO_STEPS = len(GOODS) + len(WITH_VARIANTS) + len(NON_STOCK) + len(SERVICES) + 2


def seed_demo_showing_progress(session: Session) -> str:
    with progress("Seeding the demo company", total=DEMO_STEPS) as advance:
        return seed_demo(session, advance)


def find_demo_company(session: Session) -> str | None:
    return session.scalar(select(Company.id).where(Company.name == DEMO_NAME).limit(1))


def seed_demo(session: Session, advance: Advance = quiet) -> str:
    """Creates the demo company and its catalogue; returns the company id. ``advance`` is
    told of each item and each step after them (``DEMO_STEPS`` in all)."""
    company = provision_company(
        session, name=DEMO_NAME, currency="MYR", timezone="Asia/Kuala_Lumpur"
    )
    actor = Actor.system(company.id, "cli")
    category_ids = _categories(session, actor)
    sites = _locations(session, actor)
    supplier_ids = [
        suppliers.create_supplier(session, actor, supplier=NewSupplier.model_validate(s)).id
        for s in SUPPLIERS
    ]
    groups = {g.name: g.id for g in price_groups.list_price_groups(session, actor)}
    for item in [*_goods(category_ids, supplier_ids, groups), *_other_items(category_ids, groups)]:
        items.create_item(session, actor, item=item)
        advance(1)
    _opening_stock(session, actor, sites)
    advance(1)
    _purchase_orders(session, actor)
    advance(1)
    return company.id


def _goods(
    category_ids: dict[str, str], supplier_ids: list[str], groups: dict[str, str]
) -> Iterator[NewItem]:
    """Stock items with their thresholds and suppliers, and a few with variants."""
    for code, name, category, cost, price, minimum, supplier in GOODS:
        least = Decimal(minimum)
        yield NewItem(
            item_code=code,
            name=name,
            type="inventory",
            category_id=category_ids[category],
            pricing=_pricing(cost, price, groups),
            inventory=StockRules(
                minimum_stock=least,
                reorder_point=least * 2,
                reorder_quantity=least * 5,
                maximum_stock=least * 20,
            ),
            supplier_id=supplier_ids[supplier],
            supplier_item_code=f"S-{code}",
            lead_time_days=7,
            barcode=f"955{zlib.crc32(code.encode()):010d}",
        )
    for code, name, category, cost, price, variants in WITH_VARIANTS:
        yield NewItem(
            item_code=code,
            name=name,
            type="inventory",
            category_id=category_ids[category],
            pricing=_pricing(cost, price, groups),
            inventory=StockRules(minimum_stock=Decimal(10)),
            variants=[
                NewVariant(name=f"{name} {suffix}", item_code=f"{code}-{suffix}", attributes=attrs)
                for suffix, attrs in variants
            ],
        )


def _other_items(category_ids: dict[str, str], groups: dict[str, str]) -> Iterator[NewItem]:
    """Goods not kept in stock, and services at a rate."""
    for code, name, category, cost, price in NON_STOCK:
        yield NewItem(
            item_code=code,
            name=name,
            type="non_inventory",
            category_id=category_ids[category],
            pricing=_pricing(cost, price, groups),
        )
    for code, name, rate in SERVICES:
        yield NewItem(
            item_code=code,
            name=name,
            type="service",
            unit="hour",
            category_id=category_ids["Services"],
            pricing=Pricing(
                selling_price=Decimal(rate),
                price_groups=[GroupPrice(group_id=groups["Rate"], price=Decimal(rate))],
            ),
        )


def _purchase_orders(session: Session, actor: Actor) -> None:
    """Orders for what ran low: all drawn up from the reorder points, the first sent to its
    supplier and half received, so that on-order figures and receipts have something to
    show."""
    made = purchasing.create_orders_from_reorder(session, actor, run=ReorderRun()).orders
    if not made:
        return
    first = min(made, key=lambda view: view.order.order_number)
    ordered = OrderChanges(status="ordered")
    purchasing.update_order(session, actor, order_id=first.order.id, changes=ordered)
    line, _ = first.lines[0]
    half = ReceiptLine(line_id=line.id, quantity=line.quantity / 2)
    receipt = Receipt(reference="DN-DEMO-1", items=[half])
    purchasing.receive_order(session, actor, order_id=first.order.id, receipt=receipt)


def _pricing(cost: str, price: str, groups: dict[str, str]) -> Pricing:
    selling = Decimal(price)
    return Pricing(
        cost_price=Decimal(cost),
        selling_price=selling,
        price_groups=[
            GroupPrice(group_id=groups[name], price=(selling * share).quantize(Decimal("0.01")))
            for name, share in (
                ("Sales Price", Decimal(1)),
                ("Trade", Decimal("0.9")),
                ("Wholesale", Decimal("0.8")),
            )
        ],
    )


def _opening_stock(session: Session, actor: Actor, sites: list[str]) -> None:
    """Opening balances: most goods well stocked in the main warehouse, some running low,
    a few on the shop floor, so that every stock figure and filter has something to show."""
    stocked = list(
        session.scalars(
            select(Item)
            .where(Item.company_id == actor.company_id, Item.type == "inventory")
            .order_by(Item.item_code)
        )
    )
    variants = {
        v.item_id: v.id
        for v in session.scalars(
            select(ItemVariant)
            .where(ItemVariant.company_id == actor.company_id)
            .order_by(ItemVariant.item_code)
        )
    }
    main, store = sites[0], sites[2]
    for location, share in ((main, 3), (store, 1)):
        lines = []
        for n, item in enumerate(stocked):
            minimum = item.minimum_stock or Decimal(10)
            quantity = minimum * share if n % 5 else (minimum / 2).to_integral_value()
            if location == store and n % 3:
                continue
            lines.append(
                AdjustmentLine(
                    item_id=item.id,
                    variant_id=variants.get(item.id),
                    adjustment_quantity=quantity,
                    unit_cost=item.cost_price,
                )
            )
        opening = NewAdjustment(
            reason="initial_stock", location_id=location, reference="OPENING", items=lines
        )
        adjustments.create_adjustment(session, actor, adjustment=opening)


def _categories(session: Session, actor: Actor) -> dict[str, str]:
    ids: dict[str, str] = {}
    for parent, children in CATEGORIES.items():
        top = NewCategory(name=parent, color="#6e56cf")
        ids[parent] = categories.create_category(session, actor, category=top).category.id
        for child in children:
            sub = NewCategory(name=child, parent_id=ids[parent], color="#3b82f6")
            ids[child] = categories.create_category(session, actor, category=sub).category.id
    return ids


def _locations(session: Session, actor: Actor) -> list[str]:
    ids: list[str] = []
    sites = [
        ("Main Warehouse", "warehouse", "WH1", "Shah Alam", ["A1-B1", "A1-B2", "A2-B1", "B1-B1"]),
        ("North Warehouse", "warehouse", "WH2", "Ipoh", ["N1", "N2", "N3"]),
        ("Retail Store KL", "store", "ST1", "Kuala Lumpur", ["FLOOR-DISPLAY", "BACKROOM"]),
    ]
    for name, kind, code, city, bins in sites:
        site = NewLocation.model_validate(
            {"name": name, "type": kind, "code": code, "address": {"city": city, "country": "MY"}}
        )
        location = locations.create_location(session, actor, location=site)
        for bin_code in bins:
            locations.create_bin(session, actor, location_id=location.id, bin=NewBin(code=bin_code))
        ids.append(location.id)
    return ids
