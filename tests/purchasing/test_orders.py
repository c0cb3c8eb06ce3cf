"""Purchase orders: lines, statuses, receipts in full and in parts, on-order figures,
returns to the supplier, and deleting in every status."""

from __future__ import annotations

import io
import threading
import zipfile
from typing import Any

from fastapi.testclient import TestClient

from stockkeeper.api.app import create_app
from stockkeeper.core.db import Database
from stockkeeper.core.settings import Settings
from tests.invariants import assert_ledger_consistent
from tests.support import Api, problem, run_together

ORDERS = "/api/v1/purchase-orders"


def order(
    api: Api, supplier: str, location: str, *lines: tuple[str, Any, Any], **fields: Any
) -> dict[str, Any]:
    items = [{"itemId": i, "quantity": q, "unitCost": c} for i, q, c in lines]
    return api.create(
        ORDERS, {"supplierId": supplier, "locationId": location, "items": items, **fields}
    )


def status(api: Api, order_id: str, new: str, **fields: Any) -> Any:
    return api.put(f"{ORDERS}/{order_id}", {"status": new, **fields})


def on_order(api: Api, item: str, location: str) -> Any:
    rows = api.stock(itemId=item, locationId=location)
    return rows[0]["onOrderStock"] if rows else 0


def test_an_order_from_creation_to_receipt(api: Api, database: Database) -> None:
    supplier = api.supplier()
    location = api.location()["id"]
    widget = api.item(supplierId=supplier["id"], supplierItemCode="S-W")["id"]
    gadget = api.item()["id"]
    created = api.create(
        ORDERS,
        {
            "supplierId": supplier["id"],
            "locationId": location,
            "expectedDate": "2026-12-10",
            "notes": "urgent",
        },
    )
    assert (created["status"], created["items"], created["staffName"]) == ("created", [], "admin")
    assert created["orderNumber"].startswith("IO26")
    assert created["allowedStatuses"] == ["ordered", "cancelled"]
    second = order(api, supplier["id"], location, (gadget, 1, 1))
    assert int(second["orderNumber"][4:]) == int(created["orderNumber"][4:]) + 1

    lines = api.data(
        api.put(
            f"{ORDERS}/{created['id']}/items",
            {
                "items": [
                    {"itemId": widget, "quantity": 10, "unitCost": 4.5},
                    {"itemId": gadget, "quantity": 2, "unitCost": 12},
                ]
            },
        )
    )["items"]
    assert [(line["quantity"], line["unitCost"], line["total"]) for line in lines] == [
        (10, 4.5, 45),
        (2, 12, 24),
    ]
    assert lines[0]["supplierItemCode"] == "S-W" and lines[1]["supplierItemCode"] is None
    assert on_order(api, widget, location) == 0  # created is not yet on order

    ordered = api.data(status(api, created["id"], "ordered"))
    assert (ordered["status"], ordered["total"], ordered["itemCount"]) == ("ordered", 69, 2)
    [row] = api.stock(itemId=widget)
    assert (row["currentStock"], row["onOrderStock"]) == (0, 10)  # a row with nothing on hand
    item = api.data(api.get(f"/api/v1/items/{widget}"))
    assert item["inventory"]["onOrderStock"] == 10
    assert item["locations"][0]["onOrder"] == 10
    api.data(
        api.put(
            f"{ORDERS}/{created['id']}/items",
            {
                "items": [
                    {"itemId": widget, "quantity": 12, "unitCost": 4.5},
                    {"itemId": gadget, "quantity": 2, "unitCost": 12},
                ]
            },
        )
    )
    assert on_order(api, widget, location) == 12

    illegal = problem(status(api, created["id"], "closed"), 409, "illegal_transition")
    assert illegal["allowedStatuses"] == ["received", "cancelled"]
    received = api.data(status(api, created["id"], "received", receivedDate="2026-11-20"))
    assert (received["status"], received["receivedDate"]) == ("received", "2026-11-20")
    assert [line["quantityReceived"] for line in received["items"]] == [12, 2]
    assert on_order(api, widget, location) == 0
    [row] = api.stock(itemId=widget)
    assert (row["currentStock"], row["averageCost"], row["stockValue"]) == (12, 4.5, 54)
    movements = api.data(api.get("/api/v1/inventory/movements", params={"itemId": widget}))
    assert [(m["quantity"], m["type"], m["reason"], m["reference"]) for m in movements] == [
        (12, "purchase", "purchase_receipt", created["orderNumber"])
    ]
    problem(api.put(f"{ORDERS}/{created['id']}/items", {"items": []}), 409, "order_not_editable")
    problem(status(api, created["id"], "cancelled"), 409, "illegal_transition")

    listed = api.data(api.get(ORDERS, params={"status": "received", "supplierId": supplier["id"]}))
    assert [(o["id"], o["supplierName"], o["itemCount"], o["totalQuantity"]) for o in listed] == [
        (created["id"], supplier["name"], 2, 14)
    ]
    detail = api.data(api.get(f"/api/v1/suppliers/{supplier['id']}"))
    assert {o["orderNumber"] for o in detail["recentOrders"]} == {
        created["orderNumber"],
        second["orderNumber"],
    }
    problem(api.delete(f"/api/v1/suppliers/{supplier['id']}"), 409)
    assert_ledger_consistent(database, api.tenant.company_id)


def test_partial_receipts_tolerance_and_closing_short(api: Api, database: Database) -> None:
    supplier, location = api.supplier()["id"], api.location()["id"]
    bin_ = api.create(f"/api/v1/locations/{location}/bins", {"code": "R-1"})
    item, other = api.item()["id"], api.item()["id"]
    po = api.create(
        ORDERS,
        {
            "supplierId": supplier,
            "locationId": location,
            "items": [
                {"itemId": item, "quantity": 10, "unitCost": 2, "tolerancePercent": 10},
                {"itemId": item, "quantity": 5, "unitCost": 3},
                {"itemId": other, "quantity": 4, "unitCost": 1},
            ],
        },
    )
    first_line, second_line, _ = (line["id"] for line in po["items"])
    receipts = f"{ORDERS}/{po['id']}/receipts"
    problem(
        api.post(receipts, {"items": [{"itemId": other, "quantity": 1}]}), 409, "order_not_open"
    )
    api.data(status(api, po["id"], "ordered"))
    ambiguous = problem(api.post(receipts, {"items": [{"itemId": item, "quantity": 1}]}), 422)
    assert ambiguous["errors"][0]["code"] == "ambiguous_line"
    stranger = api.item()["id"]
    problem(
        api.post(receipts, {"items": [{"itemId": stranger, "quantity": 1}]}),
        422,
        "unknown_order_line",
    )
    part = api.data(
        api.post(
            receipts,
            {
                "reference": "DN-1",
                "items": [
                    {"lineId": first_line, "quantity": 6, "binId": bin_["id"]},
                    {"itemId": other, "quantity": 4},
                ],
            },
        ),
        201,
    )
    assert part["status"] == "partially_received"
    assert part["receipts"][0]["reference"] == "DN-1"
    assert on_order(api, item, location) == 4 + 5
    over = problem(
        api.post(receipts, {"items": [{"lineId": first_line, "quantity": 6}]}), 409, "over_receipt"
    )
    assert over["errors"][0]["field"] == "items.0.quantity"
    within = api.data(api.post(receipts, {"items": [{"lineId": first_line, "quantity": 5}]}), 201)
    assert [line["quantityReceived"] for line in within["items"]] == [11, 0, 4]
    assert on_order(api, item, location) == 5
    [row] = api.stock(itemId=item)
    assert row["currentStock"] == 11 and row["lots"][0]["binCode"] == "R-1"
    closed = api.data(status(api, po["id"], "closed"))
    assert closed["status"] == "closed" and closed["allowedStatuses"] == []
    assert on_order(api, item, location) == 0
    problem(
        api.post(receipts, {"items": [{"lineId": second_line, "quantity": 1}]}),
        409,
        "order_not_open",
    )
    assert_ledger_consistent(database, api.tenant.company_id)


def test_returns_go_back_at_the_cost_they_came_in_with(api: Api, database: Database) -> None:
    supplier, location = api.supplier()["id"], api.location()["id"]
    item = api.item()["id"]
    api.adjust(location, (item, 10, 1))  # stock already there, at another cost
    po = order(api, supplier, location, (item, 10, 4))
    api.data(status(api, po["id"], "ordered"))
    api.data(status(api, po["id"], "received"))
    assert api.stock(itemId=item)[0]["stockValue"] == 50
    returns = f"{ORDERS}/{po['id']}/returns"
    back = api.data(
        api.post(returns, {"reason": "damaged", "items": [{"itemId": item, "quantity": 3}]}), 201
    )
    assert back["items"][0]["quantityReturned"] == 3
    assert (back["receipts"][-1]["kind"], back["receipts"][-1]["items"][0]["totalCost"]) == (
        "return",
        12,
    )
    [row] = api.stock(itemId=item)
    assert (row["currentStock"], row["stockValue"]) == (17, 38)
    too_many = problem(
        api.post(returns, {"items": [{"itemId": item, "quantity": 8}]}), 409, "more_than_received"
    )
    assert too_many["errors"][0]["message"] == "at most 7 left to return"
    assert_ledger_consistent(database, api.tenant.company_id)


def test_an_order_in_another_currency_costs_in_the_company_currency(
    api: Api, database: Database
) -> None:
    supplier, location = api.supplier()["id"], api.location()["id"]
    item = api.item()["id"]
    problem(
        api.post(ORDERS, {"supplierId": supplier, "locationId": location, "currency": "USD"}), 422
    )
    po = order(api, supplier, location, (item, 3, 2.5), currency="USD", exchangeRate=4.4)
    assert (po["currency"], po["exchangeRate"]) == ("USD", 4.4)
    api.data(status(api, po["id"], "ordered"))
    received = api.data(status(api, po["id"], "received"))
    assert received["receipts"][0]["items"][0]["unitCost"] == 11
    assert api.stock(itemId=item)[0]["stockValue"] == 33
    assert_ledger_consistent(database, api.tenant.company_id)


# --- deleting, by status (the smallbiz document's table) ----------------------------------


def _delete(api: Api, po: dict[str, Any]) -> None:
    assert api.data(api.delete(f"{ORDERS}/{po['id']}")) == {"id": po["id"], "deleted": True}
    problem(api.get(f"{ORDERS}/{po['id']}"), 404)
    assert po["id"] not in {o["id"] for o in api.data(api.get(ORDERS))}


def test_deleting_a_created_order_changes_no_stock(api: Api, database: Database) -> None:
    supplier, location, item = api.supplier()["id"], api.location()["id"], api.item()["id"]
    po = order(api, supplier, location, (item, 5, 1))
    _delete(api, po)
    assert api.stock(itemId=item) == []
    assert_ledger_consistent(database, api.tenant.company_id)


def test_deleting_an_ordered_order_changes_no_stock_and_ends_the_on_order(
    api: Api, database: Database
) -> None:
    supplier, location, item = api.supplier()["id"], api.location()["id"], api.item()["id"]
    po = order(api, supplier, location, (item, 5, 1))
    api.data(status(api, po["id"], "ordered"))
    assert on_order(api, item, location) == 5
    _delete(api, po)
    assert on_order(api, item, location) == 0
    assert api.data(api.get("/api/v1/inventory/movements", params={"itemId": item})) == []
    assert_ledger_consistent(database, api.tenant.company_id)


def test_deleting_a_cancelled_order_changes_no_stock(api: Api, database: Database) -> None:
    supplier, location, item = api.supplier()["id"], api.location()["id"], api.item()["id"]
    po = order(api, supplier, location, (item, 5, 1))
    api.data(status(api, po["id"], "ordered"))
    api.data(status(api, po["id"], "cancelled"))
    assert on_order(api, item, location) == 0
    _delete(api, po)
    assert api.data(api.get("/api/v1/inventory/movements", params={"itemId": item})) == []
    assert_ledger_consistent(database, api.tenant.company_id)


def test_deleting_a_received_order_reverses_its_stock(api: Api, database: Database) -> None:
    supplier, location, item = api.supplier()["id"], api.location()["id"], api.item()["id"]
    api.adjust(location, (item, 4, 1))
    po = order(api, supplier, location, (item, 5, 3))
    api.data(status(api, po["id"], "ordered"))
    api.data(status(api, po["id"], "received"))
    assert api.stock(itemId=item)[0]["currentStock"] == 9
    _delete(api, po)
    [row] = api.stock(itemId=item)
    assert (row["currentStock"], row["stockValue"]) == (4, 4)
    movements = api.data(api.get("/api/v1/inventory/movements", params={"itemId": item}))
    reversal = next(m for m in movements if m["type"] == "reversal")
    assert (reversal["quantity"], reversal["reference"]) == (-5, po["orderNumber"])
    assert_ledger_consistent(database, api.tenant.company_id)


def test_deleting_a_received_order_whose_stock_is_gone_is_refused(
    api: Api, database: Database
) -> None:
    supplier, location, item = api.supplier()["id"], api.location()["id"], api.item()
    po = order(api, supplier, location, (item["id"], 5, 3))
    api.data(status(api, po["id"], "ordered"))
    api.data(status(api, po["id"], "received"))
    api.adjust(location, (item["id"], -4))
    refused = problem(api.delete(f"{ORDERS}/{po['id']}"), 409, "insufficient_stock")
    assert refused["shortages"][0]["itemCode"] == item["itemCode"]
    assert api.data(api.get(f"{ORDERS}/{po['id']}"))["status"] == "received"
    assert api.stock(itemId=item["id"])[0]["currentStock"] == 1
    assert_ledger_consistent(database, api.tenant.company_id)


# --- packing slips ----------------------------------------------------------------------

PDF = b"%PDF-1.7\n" + bytes(range(256)) * 64 + b"\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 100


def _received(api: Api) -> dict[str, Any]:
    supplier, location, item = api.supplier()["id"], api.location()["id"], api.item()["id"]
    po = order(api, supplier, location, (item, 1, 1))
    api.data(status(api, po["id"], "ordered"))
    received: dict[str, Any] = api.data(
        status(api, po["id"], "received", receivedDate="2026-03-25")
    )
    return received


def test_packing_slips_are_stored_downloaded_and_zipped(
    api: Api, database: Database, settings: Settings
) -> None:
    po = _received(api)
    slip = f"{ORDERS}/{po['id']}/packing-slip"
    stored = api.data(api.post(slip, files={"file": ("scan.txt", PDF, "text/plain")}), 201)
    expected = f"{po['orderNumber']}_{po['supplier']['creditorNumber']}_20260325.pdf"
    assert stored == {"ok": True, "filename": expected, "contentType": "application/pdf"}
    download = api.get(slip)
    assert (download.status_code, download.headers["content-type"], download.content) == (
        200,
        "application/pdf",
        PDF,
    )
    replaced = api.data(api.post(slip, files={"file": ("x.pdf", PNG, "application/pdf")}), 201)
    assert replaced["filename"].endswith(".png")
    assert api.get(slip).content == PNG
    refused = problem(
        api.post(slip, files={"file": ("a.pdf", b"just text", "application/pdf")}), 415
    )
    assert refused["code"] == "unsupported_media_type"
    huge = b"%PDF-" + b"0" * (10 * 1024 * 1024)
    problem(api.post(slip, files={"file": ("big.pdf", huge, "application/pdf")}), 413)
    assert api.get(slip).content == PNG  # the refused uploads left the slip as it was

    archive = api.get(f"{ORDERS}/packing-slips.zip", params={"year": 2026})
    assert archive.headers["content-type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(archive.content)) as opened:
        assert opened.namelist() == [replaced["filename"]]
        assert opened.read(replaced["filename"]) == PNG
        assert opened.getinfo(replaced["filename"]).date_time[0] >= 2026  # the file's own date
    empty = api.get(f"{ORDERS}/packing-slips.zip", params={"year": 2025})
    with zipfile.ZipFile(io.BytesIO(empty.content)) as opened:
        assert opened.namelist() == []

    created = order(api, api.supplier()["id"], api.location()["id"], (api.item()["id"], 1, 1))
    problem(
        api.post(
            f"{ORDERS}/{created['id']}/packing-slip",
            files={"file": ("a.pdf", PDF, "application/pdf")},
        ),
        409,
        "order_not_received",
    )
    problem(api.get(f"{ORDERS}/{created['id']}/packing-slip"), 404)
    on_disk = settings.data_dir / "packing-slips" / api.tenant.company_id / replaced["filename"]
    assert on_disk.is_file()
    _delete(api, po)
    problem(api.get(slip), 404)
    assert not on_disk.exists()  # deleting the order removed its file
    assert_ledger_consistent(database, api.tenant.company_id)


def test_concurrent_receipts_never_receive_a_line_twice(api: Api, database: Database) -> None:
    supplier, location = api.supplier()["id"], api.location()["id"]
    items = [api.item()["id"] for _ in range(3)]
    orders = [order(api, supplier, location, *((i, 5, 2) for i in items)) for _ in range(3)]
    for po in orders:
        api.data(status(api, po["id"], "ordered"))
    outcomes: list[int] = []
    lock = threading.Lock()

    def work(worker: int) -> None:
        for po in orders:  # every worker tries to receive every order in full, in parts
            for item in items:
                body = {"items": [{"itemId": item, "quantity": 5}]}
                response = api.post(f"{ORDERS}/{po['id']}/receipts", body)
                assert response.status_code in (201, 409), response.text
                if response.status_code == 409:
                    assert response.json()["code"] in ("over_receipt", "order_not_open")
                with lock:
                    outcomes.append(response.status_code)

    assert run_together(6, work) == []
    assert outcomes.count(201) == len(orders) * len(items)
    for po in orders:
        final = api.data(api.get(f"{ORDERS}/{po['id']}"))
        assert final["status"] == "received"
        assert [line["quantityReceived"] for line in final["items"]] == [5, 5, 5]
    for item in items:
        assert api.stock(itemId=item)[0]["currentStock"] == 5 * len(orders)
        assert on_order(api, item, location) == 0
    assert_ledger_consistent(database, api.tenant.company_id)


def test_slip_files_stay_in_the_data_directory_and_survive_a_restart(
    api: Api, database: Database, settings: Settings
) -> None:
    formats = {"numberingFormats": {"purchaseOrder": "../../IO{YY}{SEQ:2}"}}
    api.data(api.put("/api/v1/settings", formats))
    po = _received(api)
    assert po["orderNumber"].startswith("../../IO")
    stored = api.data(
        api.post(f"{ORDERS}/{po['id']}/packing-slip", files={"file": ("a", PDF, "x/y")}), 201
    )
    assert "/" not in stored["filename"] and stored["filename"].startswith("..-..-IO")
    folder = settings.data_dir / "packing-slips" / api.tenant.company_id
    assert (folder / stored["filename"]).read_bytes() == PDF
    slips_root = (settings.data_dir / "packing-slips").resolve()
    written = [p for p in settings.data_dir.rglob("*IO*") if p.is_file()]
    assert written and all(p.resolve().is_relative_to(slips_root) for p in written)
    assert not list(settings.data_dir.parent.glob("*IO*"))  # where "../../" would have led
    with TestClient(create_app(settings, database)) as restarted:  # a new process, the same disk
        again = Api(restarted, api.tenant, api.tenant.admin_key)
        assert again.get(f"{ORDERS}/{po['id']}/packing-slip").content == PDF


def test_numbers_restart_each_year_and_lists_filter_and_page(api: Api, database: Database) -> None:
    supplier, location, item = api.supplier()["id"], api.location()["id"], api.item()["id"]
    made = [
        order(api, supplier, location, (item, 1, 1), orderDate=day)
        for day in ("2026-12-30", "2026-12-31", "2027-01-02", "2027-01-03")
    ]
    numbers = [po["orderNumber"] for po in made]
    assert numbers[2:] == ["IO2701", "IO2702"]  # a new series in 2027
    assert numbers[1] == f"IO26{int(numbers[0][4:]) + 1:02d}"
    dated = api.data(
        api.get(
            ORDERS,
            params={"supplierId": supplier, "dateFrom": "2026-12-31", "dateTo": "2027-01-02"},
        )
    )
    assert [o["orderNumber"] for o in dated] == [numbers[2], numbers[1]]  # newest first
    first = api.get(ORDERS, params={"supplierId": supplier, "limit": 3}).json()
    assert first["pagination"]["total"] == 4 and first["pagination"]["hasMore"] is True
    rest = api.get(
        ORDERS,
        params={"supplierId": supplier, "limit": 3, "cursor": first["pagination"]["nextCursor"]},
    ).json()
    assert [o["orderNumber"] for o in first["data"] + rest["data"]] == numbers[::-1]
    assert api.data(api.get(ORDERS, params={"itemId": api.item()["id"]})) == []
