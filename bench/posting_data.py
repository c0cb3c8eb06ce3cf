"""The postings benchmark's company and ledger: a tenant with items and an API key, history
written straight into the ledger, and the ids a captured posting inserted."""

from __future__ import annotations

import json
import re
import sqlite3
import uuid
from collections.abc import Iterator
from contextlib import closing, contextmanager
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from tempfile import TemporaryDirectory
from typing import Any

from sqlalchemy import insert

from stockkeeper.catalog.models import Item, Location
from stockkeeper.core.db import Database
from stockkeeper.core.ids import new_id
from stockkeeper.stock.models import Movement
from stockkeeper.stock.service.locations import virtual_locations
from stockkeeper.stock.service.provisioning import provision_company
from stockkeeper.tenancy.service import Actor, NewApiKey, create_api_key


def tenant(database: Database) -> tuple[dict[str, str], list[dict[str, object]], str]:
    with database.unit_of_work() as session:
        company = provision_company(session, name="Bench")
        admin = NewApiKey(role="admin", name="bench")
        _, key = create_api_key(session, Actor.system(company.id, "bench"), key=admin)
        location = Location(
            id=new_id("loc"), company_id=company.id, name="WH", type="warehouse", is_default=True
        )
        store = Location(id=new_id("loc"), company_id=company.id, name="Shop", type="store")
        session.add_all([location, store])
        items = []
        for n in range(50):
            item = Item(
                id=new_id("item"),
                company_id=company.id,
                item_code=f"B{n:03d}",
                article_number=f"B{n:03d}",  # unique per company since migration 0020
                name=f"Bench {n}",
                type="inventory",
                unit="pcs",
                cost_price=Decimal(2),
                selling_price=Decimal(3),
                currency="USD",
                tracked=True,
                taxable=True,
                is_active=True,
                search_text=f"b{n:03d}",
            )
            session.add(item)
            items.append(item.id)
        session.flush()
        headers = {"Authorization": f"Bearer {key}", "X-Company-Id": company.id}
    bodies: list[dict[str, object]] = [
        {
            "reason": "found",
            "locationId": location.id,
            "items": [
                {"itemId": items[n % len(items)], "adjustmentQuantity": 1 + n % 3, "unitCost": 2}
            ],
        }
        for n in range(500)
    ]
    return headers, bodies, store.id


def fill_ledger(database: Database, headers: dict[str, str], rows: int) -> None:
    """Movements of another item straight into the ledger: history the write path must not read.

    (Written past the ledger for speed; this scratch database's levels do not include them.)"""
    company = headers["X-Company-Id"]
    with database.unit_of_work() as session:
        virtual = virtual_locations(session, company)
        history = Item(
            id=new_id("item"),
            company_id=company,
            item_code=f"H-{uuid.uuid4().hex[:6]}",
            article_number=f"H-{uuid.uuid4().hex[:6]}",
            name="History",
            type="inventory",
            unit="pcs",
            cost_price=Decimal(1),
            selling_price=Decimal(1),
            currency="USD",
            tracked=True,
            taxable=True,
            is_active=True,
            search_text="history",
        )
        session.add(history)
        session.flush()
        day = date(2020, 1, 1)
        batch = []
        for n in range(rows):
            batch.append(
                {
                    "company_id": company,
                    "id": new_id("mov"),
                    "item_id": history.id,
                    "variant_id": None,
                    "from_location_id": virtual["supplier"],
                    "to_location_id": virtual["customer"],
                    "quantity": Decimal(1),
                    "unit_cost": Decimal(1),
                    "value": Decimal(1),
                    "movement_type": "sale",
                    "document_type": "history",
                    "document_id": f"doc{n // 10}",
                    "effective_date": day + timedelta(days=n % 2000),
                    "created_by": "bench",
                }
            )
            if len(batch) == 20_000:
                session.execute(insert(Movement), batch)
                batch = []
        if batch:
            session.execute(insert(Movement), batch)


def inserted_ids(statements: list[tuple[str, Any, bool]]) -> list[Any]:
    """The ids of the rows the captured INSERT statements wrote."""
    found = []
    for statement, parameters, many in statements:
        inserted = re.match(r"INSERT INTO \S+ \(([^)]*)\)", statement)
        columns = [c.strip('" ') for c in inserted.group(1).split(",")] if inserted else []
        if "id" in columns:
            rows = parameters if many else [parameters]
            found += [row[columns.index("id")] for row in rows]
    return found


@contextmanager
def ceiling_copy(database: Database, plan: dict[str, Any], prefix: str) -> Iterator[dict[str, str]]:
    """A copy of the SQLite database and the plan a ceiling app replays on it, for as long as
    the block runs: the environment that tells the app where they are."""
    with TemporaryDirectory(prefix=prefix) as directory:
        copy = Path(directory) / "ceiling.db"
        original = sqlite3.connect(str(database.engine.url.database))
        with closing(original) as source, closing(sqlite3.connect(copy)) as destination:
            source.backup(destination)
        (Path(directory) / "plan.json").write_text(json.dumps(plan))
        yield {"BENCH_CEILING_DB": str(copy), "BENCH_CEILING_PLAN": f"{directory}/plan.json"}
