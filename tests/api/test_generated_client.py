"""A client generated with ``openapi-python-client`` from the served document, as the README
tells an integrator to make one, drives a whole workflow through its own classes alone: no
hand-written request, and every answer parsed into the generated models."""

from __future__ import annotations

import datetime as dt
import importlib
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.invariants import assert_ledger_consistent
from tests.support import Tenant

PACKAGE = "stockkeeper_client"
ONE_DAY = dt.timedelta(days=1)
# the README's client.yml: the packing slips and their ZIP are bytes
CONFIG = {
    "package_name_override": PACKAGE,
    "content_type_overrides": {
        kind: "application/octet-stream"
        for kind in ("application/zip", "application/pdf", "image/png", "image/jpeg")
    },
}


@pytest.fixture(scope="module")
def generated(client: TestClient, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The package the generator writes from the document the server serves."""
    where = tmp_path_factory.mktemp("client")
    (where / "openapi.json").write_text(client.get("/openapi.json").text)
    (where / "client.json").write_text(json.dumps(CONFIG))
    tools = Path(sys.executable).parent
    run = subprocess.run(
        [
            str(tools / "openapi-python-client"),
            "generate",
            "--path=openapi.json",
            "--config=client.json",
            "--meta=none",
        ],
        cwd=where,
        env={**os.environ, "PATH": f"{tools}{os.pathsep}{os.environ['PATH']}"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    # a schema the generator cannot read is left out with a warning: none may be
    assert "Warning" not in run.stdout + run.stderr, run.stdout + run.stderr
    sys.path.insert(0, str(where))
    yield where
    sys.path.remove(str(where))
    for name in [name for name in sys.modules if name.split(".")[0] == PACKAGE]:
        del sys.modules[name]


class Generated:
    """The generated package's modules, by the names the generator gave them."""

    def __init__(self) -> None:
        self.models = importlib.import_module(f"{PACKAGE}.models")
        self.client_module = importlib.import_module(f"{PACKAGE}.client")

    def api(self, group: str, operation: str) -> ModuleType:
        return importlib.import_module(f"{PACKAGE}.api.{group}.{operation}")

    def __getattr__(self, model: str) -> Any:
        return getattr(self.models, model)


def _ok(response: Any, status: int = 201) -> Any:
    """The parsed ``data`` of a success, as the generated envelope model holds it."""
    assert response.status_code == status, response.content
    return response.parsed.data


def test_a_generated_client_drives_a_whole_workflow(
    generated: Path, client: TestClient, tenant: Tenant, database: Any
) -> None:
    g = Generated()
    http = TestClient(client.app, headers={"X-Company-Id": tenant.company_id})
    sk = g.client_module.AuthenticatedClient(base_url="http://testserver", token=tenant.admin_key)
    sk.set_httpx_client(http)
    http.headers["Authorization"] = f"Bearer {tenant.admin_key}"

    def call(group: str, operation: str, status: int = 201, **arguments: Any) -> Any:
        return _ok(g.api(group, operation).sync_detailed(client=sk, **arguments), status)

    category = call("categories", "create_category", body=g.CategoryCreate(name="Widgets"))
    warehouse, store = (
        call("locations", "create_location", body=g.LocationCreate(name=name, type_=kind))
        for name, kind in (
            ("Main", g.LocationCreateType.WAREHOUSE),
            ("Shop", g.LocationCreateType.STORE),
        )
    )
    supplier = call("suppliers", "create_supplier", body=g.SupplierCreate(name="Acme Supply"))
    item = call(
        "items",
        "create_item",
        body=g.ItemCreate(
            item_code="GEN-1",
            name="Generated widget",
            type_=g.ItemCreateType.INVENTORY,
            category_id=category.id,
            supplier_id=supplier.id,
            pricing=g.PricingWrite(cost_price="4.20", selling_price="9.90"),
        ),
    )
    assert (item.item_code, item.category.id) == ("GEN-1", category.id)

    found = g.AdjustmentLineCreate(item_id=item.id, adjustment_quantity="10", unit_cost="4.20")
    adjustment = call(
        "stock_adjustments",
        "create_adjustment",
        body=g.AdjustmentCreate(reason="found", location_id=warehouse.id, items=[found]),
    )
    assert str(adjustment.status) == "posted"

    moved = g.TransferLineCreate(item_id=item.id, quantity="3")
    transfer = call(
        "stock_transfers",
        "create_transfer",
        body=g.TransferCreate(
            from_location_id=warehouse.id, to_location_id=store.id, items=[moved]
        ),
    )
    assert str(transfer.status) == "completed"

    ordered = g.OrderLineWrite(item_id=item.id, quantity="5", unit_cost="4.50")
    order = call(
        "purchase_orders",
        "create_order",
        body=g.OrderCreate(supplier_id=supplier.id, location_id=warehouse.id, items=[ordered]),
    )
    order = call(
        "purchase_orders",
        "update_order",
        200,
        order_id=order.id,
        body=g.OrderUpdate(status=g.OrderUpdateStatusType0.ORDERED),
    )
    assert str(order.status) == "ordered"
    line = order.items[0].id
    received = g.ReceiptCreate(items=[g.ReceiptLineWrite(line_id=line, quantity="5")])
    order = call("purchase_orders", "receive", order_id=order.id, body=received)
    assert str(order.status) == "received"

    sold = g.IssueLineCreate(item_id=item.id, quantity="2")
    issue = call("sales", "create_issue", body=g.IssueCreate(location_id=store.id, items=[sold]))
    back = g.IssueLineCreate(item_id=item.id, quantity="1")
    returned = call(
        "sales",
        "create_return",
        body=g.ReturnCreate(location_id=store.id, issue_id=issue.id, items=[back]),
    )
    assert (returned.issue_id, len(issue.items), len(returned.items)) == (issue.id, 1, 1)

    listed = g.api("stock", "list_stock").sync_detailed(client=sk, item_id=item.id)
    assert listed.status_code == 200
    levels = {row.location_id: Decimal(str(row.current_stock)) for row in listed.parsed.data}
    assert levels == {warehouse.id: Decimal(12), store.id: Decimal(2)}

    valued = call("reports", "valuation_report", 200)
    assert (valued.summary.total_items, valued.as_of_date <= dt.date.today() + ONE_DAY) == (1, True)
    by_location = {row.location_id: Decimal(str(row.total_quantity)) for row in valued.by_location}
    assert by_location == {warehouse.id: Decimal(12), store.id: Decimal(2)}
    assert_ledger_consistent(database, tenant.company_id)
