"""``/health`` says the process answers; ``/ready`` says whether it can serve, naming what is
wrong when it cannot: a database that does not answer, or one not at the code's revision.
Requests meanwhile get a 503 problem to retry, never a 500."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import delete

from stockkeeper.api.app import create_app
from stockkeeper.core.db import Database
from stockkeeper.core.heartbeat import Heartbeat, WorkerHeartbeat
from stockkeeper.core.migrate import upgrade
from stockkeeper.core.settings import Settings
from tests.support import Tenant, problem

ITEMS = "/api/v1/items"


def _client(settings: Settings) -> Iterator[TestClient]:
    database = Database(settings)
    try:
        with TestClient(create_app(settings, database)) as client:
            yield client
    finally:
        database.dispose()


@pytest.fixture
def unreachable(tmp_path: Path) -> Iterator[TestClient]:
    # a port nothing listens on: connections are refused at once
    url = "postgresql+psycopg://127.0.0.1:9/stockkeeper?connect_timeout=2"
    yield from _client(Settings(environment="test", database_url=url, data_dir=tmp_path))


@pytest.fixture
def unmigrated(tmp_path: Path) -> Iterator[TestClient]:
    url = f"sqlite:///{tmp_path / 'empty.db'}"
    yield from _client(Settings(environment="test", database_url=url, data_dir=tmp_path))


def _headers(request_id: str) -> dict[str, str]:
    return {
        "Authorization": "Bearer sk_live_whatever",
        "X-Company-Id": "cmp_x",
        "X-Request-Id": request_id,
    }


def test_ready_when_the_database_answers_at_the_head(
    client: TestClient, database: Database
) -> None:
    with database.unit_of_work() as session:
        session.execute(delete(WorkerHeartbeat))
    ready = client.get("/ready")
    assert ready.status_code == 200, ready.text
    body = ready.json()
    assert (body["status"], body["database"], body["revision"]) == ("ready", "ok", body["head"])
    assert body["workerHeartbeatAgeSeconds"] is None  # no worker: still ready
    Heartbeat(database).round()
    age = client.get("/ready").json()["workerHeartbeatAgeSeconds"]
    assert 0 <= age < 60
    assert client.get("/health").json()["status"] == "ok"


def test_a_database_that_does_not_answer_is_not_ready_and_requests_may_retry(
    unreachable: TestClient,
) -> None:
    assert unreachable.get("/health").status_code == 200  # the process answers
    ready = unreachable.get("/ready")
    assert ready.status_code == 503
    assert (ready.json()["status"], ready.json()["database"][:12]) == (
        "unavailable",
        "unreachable:",
    )
    response = unreachable.get(ITEMS, headers=_headers("down-1"))
    body = problem(response, 503, "database_unavailable")
    assert (body["requestId"], response.headers["X-Request-Id"]) == ("down-1", "down-1")


def test_an_unmigrated_database_is_not_ready_and_says_what_to_run(
    unmigrated: TestClient,
) -> None:
    ready = unmigrated.get("/ready")
    assert ready.status_code == 503
    body: dict[str, Any] = ready.json()
    assert body["revision"] is None
    assert (
        body["database"].startswith("not migrated") and "stockkeeper db upgrade" in body["database"]
    )
    response = unmigrated.get(ITEMS, headers=_headers("empty-1"))
    assert problem(response, 503, "database_not_ready")["requestId"] == "empty-1"


def test_a_database_behind_the_code_is_not_ready(tmp_path: Path) -> None:
    settings = Settings(
        environment="test", database_url=f"sqlite:///{tmp_path / 'old.db'}", data_dir=tmp_path
    )
    upgrade(settings, "0016")
    for client in _client(settings):
        body = client.get("/ready").json()
        assert (body["status"], body["revision"]) == ("unavailable", "0016")
        assert body["database"].startswith("at revision 0016")


def test_every_problem_carries_its_request_id(api: Any, tenant: Tenant) -> None:
    response = api.get(f"{ITEMS}/item_missing", headers={"X-Request-Id": "trace-42"})
    assert problem(response, 404)["requestId"] == "trace-42"
    made = api.get(f"{ITEMS}/item_missing")
    assert problem(made, 404)["requestId"] == made.headers["X-Request-Id"]
