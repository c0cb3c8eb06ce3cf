"""The command line: output a script can use, exit codes, help on every command."""

from __future__ import annotations

import os
import re
import uuid
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, update
from typer.testing import CliRunner

from stockkeeper.cli import app, cores
from stockkeeper.core.db import Database
from stockkeeper.core.idempotency import IdempotencyRecord
from stockkeeper.core.outbox import OutboxEvent
from stockkeeper.core.settings import Settings
from stockkeeper.core.types import utcnow
from stockkeeper.stock.models import StockLevel
from stockkeeper.webhooks.models import WebhookDelivery
from stockkeeper.webhooks.service.delivery import Worker
from tests.support import Api
from tests.webhooks.receiver import receiving

runner = CliRunner()


@pytest.fixture
def cli_env(database_url: str, database: object, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("STOCKKEEPER_DATABASE_URL", database_url)
    return database_url


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_company_and_key_lifecycle(cli_env: str, client: TestClient) -> None:
    code, out, _ = run(
        "company", "create", "Acme Trading", "--currency", "EUR", "--timezone", "Europe/Berlin"
    )
    assert code == 0
    assert re.fullmatch(r"comp_[0-9a-z]{26}\n", out)
    company = out.strip()
    code, out, _ = run("apikey", "create", "--company", company, "--role", "admin", "--name", "ops")
    assert code == 0
    assert re.fullmatch(r"sk_[\w-]{43}\n", out)
    key = out.strip()
    headers = {"Authorization": f"Bearer {key}", "X-Company-Id": company}
    settings = client.get("/api/v1/settings", headers=headers).json()["data"]
    assert (settings["name"], settings["currency"], settings["timezone"]) == (
        "Acme Trading",
        "EUR",
        "Europe/Berlin",
    )
    code, out, _ = run("apikey", "list", "--company", company)
    key_id, role, state, prefix, name = out.strip().split("\t")
    assert (role, state, name) == ("admin", "active", "ops")
    assert key.startswith(prefix.rstrip("…"))
    assert key not in out
    code, _, err = run("apikey", "revoke", key_id, "--company", company)
    assert code == 0
    assert "revoked" in err
    assert client.get("/api/v1/settings", headers=headers).status_code == 401
    assert "revoked" in run("apikey", "list", "--company", company)[1]


def test_refusals_have_exit_codes_by_kind_and_one_line_messages(cli_env: str) -> None:
    code, out, err = run("company", "create", "X", "--currency", "XXX1")
    assert (code, out) == (2, "")  # invalid values
    assert err.startswith("error: ") and err.endswith("(invalid_currency)\n")
    assert err.count("\n") == 1
    code, out, err = run("apikey", "create", "--company", "comp_missing", "--role", "admin")
    assert (code, out) == (3, "")  # not found
    assert "not found" in err and "(company_not_found)" in err
    code, _, err = run("apikey", "create", "--company", "comp_missing", "--role", "boss")
    assert code == 2
    assert "unknown role" in err
    assert run("apikey", "revoke", "key_missing", "--company", "comp_missing")[0] == 3
    code, _, err = run(
        "apikey", "create", "--company", "comp_x", "--role", "admin", "--name", "n" * 150
    )
    assert code == 2 and err.startswith("error: name: ") and err.count("\n") == 1
    assert run("no-such-command")[0] == 2


@pytest.mark.parametrize(
    "command",
    [
        [],
        ["serve"],
        ["db"],
        ["db", "upgrade"],
        ["company"],
        ["company", "create"],
        ["apikey"],
        ["apikey", "create"],
        ["apikey", "list"],
        ["apikey", "revoke"],
        ["demo"],
        ["check"],
        ["purge-idempotency-keys"],
        ["import", "items"],
        ["export", "items"],
    ],
)
def test_help_on_every_command(command: list[str]) -> None:
    result = runner.invoke(app, [*command, "--help"])
    assert result.exit_code == 0
    assert "Usage" in result.stdout


@pytest.mark.parametrize(("flags", "logged"), [([], "true"), (["--no-access-log"], "false")])
def test_serve_logs_each_request_unless_told_not_to(
    flags: list[str], logged: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    import uvicorn

    served: dict[str, object] = {}
    monkeypatch.setattr(uvicorn, "run", lambda target, **options: served.update(options))
    monkeypatch.setenv("STOCKKEEPER_LOG_REQUESTS", "true")  # restored after the test
    result = runner.invoke(app, ["serve", "--no-deliver", "--port", "8123", *flags])
    assert result.exit_code == 0, result.output
    # each server process reads it from the environment and logs requests itself, with
    # their ids, instead of uvicorn's access log
    assert os.environ["STOCKKEEPER_LOG_REQUESTS"] == logged
    assert (served["access_log"], served["log_config"], served["port"]) == (False, None, 8123)
    # the client's address is the app's to find (STOCKKEEPER_TRUSTED_PROXIES), not uvicorn's
    assert served["proxy_headers"] is False
    assert "serving on http://127.0.0.1:8123" in result.stderr


@pytest.mark.parametrize(("flags", "processes"), [([], cores()), (["--workers", "3"], 3)])
def test_serve_starts_one_process_per_core_unless_told(
    flags: list[str], processes: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    import uvicorn

    served: dict[str, object] = {}
    monkeypatch.setattr(uvicorn, "run", lambda target, **options: served.update(options))
    monkeypatch.setenv("STOCKKEEPER_LOG_REQUESTS", "true")
    result = runner.invoke(app, ["serve", "--no-deliver", "--port", "8124", *flags])
    assert result.exit_code == 0, result.output
    assert served["workers"] == processes
    assert cores() == len(os.sched_getaffinity(0))  # the cores this process may use


def test_db_upgrade_creates_a_fresh_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "fresh" / "stock.db"
    monkeypatch.setenv("STOCKKEEPER_DATABASE_URL", f"sqlite:///{path}")
    assert run("db", "upgrade")[0] == 0
    assert path.exists()


def test_demo_company(cli_env: str, client: TestClient) -> None:
    code, out, _ = run("demo")
    assert code == 0
    company = re.search(r"(comp_\w+)", out).group(1)  # type: ignore[union-attr]
    key = re.search(r"(sk_[\w-]+)", out).group(1)  # type: ignore[union-attr]
    headers = {"Authorization": f"Bearer {key}", "X-Company-Id": company}

    def data(path: str) -> list[dict[str, object]]:
        result: list[dict[str, object]] = client.get(path, headers=headers).json()["data"]
        return result

    items = data("/api/v1/items?limit=200&includeVariants=true")
    assert 45 <= len(items) <= 60
    assert {i["type"] for i in items} == {"inventory", "non_inventory", "service"}
    assert sum(1 for i in items if i["variants"]) >= 3
    locations = data("/api/v1/locations")
    assert sorted(str(loc["type"]) for loc in locations) == ["store", "warehouse", "warehouse"]
    assert all(data(f"/api/v1/locations/{loc['id']}/bins") for loc in locations)
    categories = data("/api/v1/categories")
    assert any(" > " in str(c["path"]) for c in categories)
    assert len(data("/api/v1/suppliers")) >= 3
    stock = data("/api/v1/inventory/stock?limit=200")
    assert {row["locationId"] for row in stock} == {locations[0]["id"], locations[2]["id"]}
    assert data("/api/v1/items?lowStock=true")  # some goods start low
    orders = data("/api/v1/purchase-orders")  # drawn up for them, one half received
    assert {o["status"] for o in orders} == {"created", "partially_received"}
    assert any(row["onOrderStock"] for row in stock)
    assert run("check", "--company", company)[0] == 0
    code, out, _ = run("demo", "--once")
    assert code == 0
    assert company in out
    assert "existing" in out
    for _ in range(2):  # each start prints a new link for the same person
        sign_in = re.search(r"http://127\.0\.0\.1:8000(/sign-in/link/[\w-]+)", out)
        assert sign_in is not None
        assert client.get(sign_in.group(1)).status_code == 200
        out = run("demo", "--once")[1]


def test_check_compares_levels_with_the_ledger(cli_env: str, api: Api, database: Database) -> None:
    api.adjust(api.location()["id"], (api.item(itemCode="CHK")["id"], 5, 2))
    company = api.tenant.company_id
    code, out, _ = run("check", "--company", company)
    assert code == 0
    assert out.startswith("ok: ")
    with database.unit_of_work() as session:
        session.execute(
            update(StockLevel)
            .where(StockLevel.company_id == company, StockLevel.physical.is_(True))
            .values(on_hand=StockLevel.on_hand + Decimal(1))
        )
    code, out, err = run("check", "--company", company)
    assert code == 1
    assert "on hand 6" in err and "movements add up to 5" in err
    assert "sum to 1" in err  # conservation broken too
    assert "difference(s)" in err
    with database.unit_of_work() as session:  # put it back, for the run's other checks
        session.execute(
            update(StockLevel)
            .where(StockLevel.company_id == company, StockLevel.physical.is_(True))
            .values(on_hand=StockLevel.on_hand - Decimal(1))
        )


def test_purge_forgets_only_old_idempotency_keys(
    cli_env: str, api: Api, database: Database
) -> None:
    api.data(
        api.post("/api/v1/categories", {"name": "Kept"}, headers={"Idempotency-Key": "fresh"}), 201
    )
    with database.unit_of_work() as session:
        record = session.get(IdempotencyRecord, (api.tenant.company_id, "fresh"))
        assert record is not None
        record.created_at = utcnow() - timedelta(hours=30)
    assert run("purge-idempotency-keys", "--hours", "48") == (0, "0\n", "")
    code, out, _ = run("purge-idempotency-keys")
    assert code == 0
    assert int(out) >= 1
    assert run("purge-idempotency-keys", "--hours", "1")[0] == 2  # keys are kept at least a day


def test_purge_events_forgets_old_delivered_work_and_keeps_what_is_pending(
    cli_env: str, api: Api, database: Database, settings: Settings
) -> None:
    with receiving() as receiver:
        body = {"url": receiver.url, "events": ["inventory.adjustment"]}
        hook = api.data(api.post("/api/v1/webhooks", body), 201)
        location, item = api.location()["id"], api.item()["id"]
        api.adjust(location, (item, 5, 2))
        api.adjust(location, (item, 1, 2))
        worker = Worker(database, settings)
        while worker.round():
            pass
        worker.close()
    deliveries = f"/api/v1/webhooks/{hook['id']}/deliveries"
    kept, _ = api.data(api.get(deliveries))
    again = api.data(api.post(f"{deliveries}/{kept['id']}/redeliver"), 202)
    company = api.tenant.company_id
    with database.unit_of_work() as session:
        rows = [
            *session.scalars(select(OutboxEvent).where(OutboxEvent.company_id == company)),
            *session.scalars(select(WebhookDelivery).where(WebhookDelivery.company_id == company)),
        ]
        for row in rows:
            row.created_at -= timedelta(days=40)
    assert run("purge-events", "--days", "41") == (0, "events: 0, emails: 0\n", "")
    # the first adjustment's event, and the two stock levels announced (nobody listened);
    # and the item's item.created (was 3 before items announced their changes)
    assert run("purge-events") == (0, "events: 4, emails: 0\n", "")
    assert [d["id"] for d in api.data(api.get(deliveries))] == [again["id"]]
    with database.unit_of_work(write=False) as session:
        events = session.scalars(select(OutboxEvent.id).where(OutboxEvent.company_id == company))
        assert list(events) == [kept["eventId"]]


def test_user_create_and_reset_print_one_time_links(cli_env: str, client: TestClient) -> None:
    company = run("company", "create", "People Inc")[1].strip()
    email = f"{uuid.uuid4().hex[:8]}@Example.com"
    code, out, _ = run("user", "create", "--company", company, "--email", email, "--role", "clerk")
    assert code == 0
    assert re.fullmatch(r"http://127\.0\.0\.1:8000/set-password/[\w-]{43}\n", out)
    page = out.strip().removeprefix("http://127.0.0.1:8000")
    assert client.get(page).status_code == 200
    code, _, err = run("user", "create", "--company", company, "--email", email, "--role", "clerk")
    assert code == 1 and "already exists" in err
    assert run("user", "create", "--company", company, "--email", "x@y.z", "--role", "boss")[0] == 2
    code, out, _ = run("user", "reset", "--email", email.upper())
    assert code == 0 and "/set-password/" in out and out.strip() != page
    code, _, err = run("user", "reset", "--email", "nobody@example.com")
    assert code == 3 and "account_not_found" in err
