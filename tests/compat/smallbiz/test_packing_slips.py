"""smallbiz packing slips: uploaded for a received order under the documented name,
downloaded, zipped by year, removed with their order; refused as ``{error}``."""

from __future__ import annotations

import io
import zipfile
from typing import Any

from stockkeeper.core.db import Database
from stockkeeper.core.settings import Settings
from tests.compat.smallbiz.purchasing_support import (
    ORDERS,
    PDF,
    ZIP,
    error,
    move,
    ok,
    order,
    product,
    supplier,
    warehouse,
)
from tests.support import Api

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 100


def _received(api: Api, database: Database, day: str = "2026-03-25") -> Any:
    acme = supplier(api)
    _, product_id = product(database, api)
    made = order(api, acme["id"], (product_id, 1, 1), order_date=day)
    ok(move(api, made["id"], "ordered"))
    return ok(move(api, made["id"], "received", received_date=day))


def _upload(api: Api, order_id: int, content: bytes, name: str = "scan.pdf") -> Any:
    files = {"file": (name, content, "application/pdf")}
    return api.post(f"{ORDERS}/{order_id}/packing-slip", files=files)


def test_slips_are_uploaded_downloaded_zipped_and_removed(
    api: Api, database: Database, settings: Settings
) -> None:
    warehouse(api)
    march = _received(api, database)
    stored = ok(_upload(api, march["id"], PDF))
    expected = f"{march['order_number']}_{march['creditor_number']}_20260325.pdf"
    assert stored == {"ok": True, "filename": expected}
    assert ok(api.get(f"{ORDERS}/{march['id']}"))["packing_slip_file"] == expected
    download = api.as_key(api.tenant.viewer_key).get(f"{ORDERS}/{march['id']}/packing-slip")
    assert (download.status_code, download.headers["content-type"], download.content) == (
        200,
        "application/pdf",
        PDF,
    )
    last_year = _received(api, database, "2025-12-30")
    older = ok(_upload(api, last_year["id"], PNG, "photo.jpg"))["filename"]
    assert older.endswith("_20251230.png")  # the type is the content's

    for year, names, contents in ((2026, [expected], [PDF]), (2025, [older], [PNG])):
        archive = api.get(ZIP, params={"year": year})
        assert archive.headers["content-type"] == "application/zip"
        assert f"packing-slips-{year}.zip" in archive.headers["content-disposition"]
        with zipfile.ZipFile(io.BytesIO(archive.content)) as opened:
            assert opened.namelist() == names
            assert [opened.read(name) for name in names] == contents
    with zipfile.ZipFile(io.BytesIO(api.get(ZIP, params={"year": 2024}).content)) as opened:
        assert opened.namelist() == []

    on_disk = settings.data_dir / "packing-slips" / api.tenant.company_id / expected
    assert on_disk.read_bytes() == PDF
    assert ok(api.delete(f"{ORDERS}/{march['id']}")) == {"ok": True}
    assert not on_disk.exists()
    error(api.get(f"{ORDERS}/{march['id']}/packing-slip"), 404)
    with zipfile.ZipFile(io.BytesIO(api.get(ZIP, params={"year": 2026}).content)) as opened:
        assert opened.namelist() == []


def test_slips_refused(api: Api, database: Database) -> None:
    warehouse(api)
    received = _received(api, database)
    slip = f"{ORDERS}/{received['id']}/packing-slip"
    assert "packing slip" in error(api.get(slip), 404)  # none yet
    error(_upload(api, received["id"], b"plain text"), 415)
    error(api.post(slip, data={"note": "no file"}), 422)
    error(_upload(api, 999999, PDF), 404)
    created = order(api, supplier(api)["id"])
    assert "received" in error(_upload(api, created["id"], PDF), 409)
    error(api.as_key(api.tenant.clerk_key).post(slip, files={"file": ("a.pdf", PDF)}), 403)
    error(api.as_key(api.tenant.viewer_key).get(ZIP), 403)
    error(api.get(ZIP, params={"year": "last"}), 422)
    error(api.get(ZIP, params={"year": 99999}), 422)
    just_over = b"%PDF-" + b"0" * (10 * 1024 * 1024)
    error(_upload(api, received["id"], just_over), 413)
    error(_upload(api, received["id"], just_over + b"0" * (1024 * 1024)), 413)
    error(api.get(slip), 404)  # nothing was stored
    assert ok(api.get(f"{ORDERS}/{received['id']}"))["packing_slip_file"] is None
