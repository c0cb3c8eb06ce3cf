"""Logs as an operator reads them: one JSON line per request naming its id, company, key id
(never the key), method, route template, status and milliseconds; errors with their
traceback and their request's id; text for people in development."""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Iterator
from typing import Any

import pytest
import structlog
from fastapi import FastAPI
from fastapi.testclient import TestClient

from stockkeeper.api.app import create_app
from stockkeeper.core import logs
from stockkeeper.core.db import Database
from stockkeeper.core.settings import Settings
from stockkeeper.webhooks.service.delivery import Worker
from tests.support import Tenant


@pytest.fixture
def json_logs(settings: Settings, capsys: pytest.CaptureFixture[str]) -> Iterator[None]:
    # after capsys: the handler writes to the stderr the test captures
    logs.configure(settings.model_copy(update={"log_format": "json"}))
    yield
    root = logging.getLogger()
    root.handlers = [h for h in root.handlers if h.name != "stockkeeper"]
    structlog.reset_defaults()


def _lines(captured: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in captured.splitlines() if line.startswith("{")]


@pytest.fixture
def failing_app(settings: Settings, database: Database) -> FastAPI:
    app = create_app(settings, database)

    @app.get("/api/v1/boom/{what}")
    def boom(what: str) -> None:
        raise RuntimeError(f"the {what} broke")

    return app


def test_a_request_is_one_json_line_with_who_asked(
    json_logs: None, client: TestClient, tenant: Tenant, capsys: pytest.CaptureFixture[str]
) -> None:
    headers = {
        "Authorization": f"Bearer {tenant.admin_key}",
        "X-Company-Id": tenant.company_id,
        "X-Request-Id": "log-test-1",
    }
    assert client.get("/api/v1/items/item_nope", headers=headers).status_code == 404
    captured = capsys.readouterr().err
    [line] = [entry for entry in _lines(captured) if entry.get("request_id") == "log-test-1"]
    assert line["event"] == "request"
    assert (line["method"], line["route"], line["status"]) == (
        "GET",
        "/api/v1/items/{item_id}",
        404,
    )
    assert (line["company"], line["level"]) == (tenant.company_id, "info")
    assert line["key_id"].startswith("key_") and line["ms"] >= 0
    assert tenant.admin_key not in captured  # the key's id, never the key


def test_an_error_is_logged_with_its_traceback_and_request(
    json_logs: None, failing_app: FastAPI, capsys: pytest.CaptureFixture[str]
) -> None:
    with TestClient(failing_app) as client:
        response = client.get("/api/v1/boom/gearbox", headers={"X-Request-Id": "boom-1"})
    assert (response.status_code, response.json()["requestId"]) == (500, "boom-1")
    lines = [e for e in _lines(capsys.readouterr().err) if e.get("request_id") == "boom-1"]
    [error] = [e for e in lines if e["level"] == "error"]
    assert "RuntimeError: the gearbox broke" in error["exception"]
    assert "Traceback" in error["exception"]
    [request] = [e for e in lines if e["event"] == "request"]
    assert (request["route"], request["status"]) == ("/api/v1/boom/{what}", 500)


def test_development_logs_are_text_for_people(
    settings: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    logs.configure(settings.model_copy(update={"log_format": "auto", "environment": "development"}))
    try:
        logging.getLogger("stockkeeper").info("posted %s movements", 3)
    finally:
        root = logging.getLogger()
        root.handlers = [h for h in root.handlers if h.name != "stockkeeper"]
        structlog.reset_defaults()
    [line] = [line for line in capsys.readouterr().err.splitlines() if "movements" in line]
    assert "posted 3 movements" in line and not line.startswith("{")
    assert logs.json_lines(settings.model_copy(update={"environment": "production"}))


def test_a_development_traceback_shows_no_variables_such_as_the_key(
    settings: Settings, failing_app: FastAPI, tenant: Tenant, capsys: pytest.CaptureFixture[str]
) -> None:
    """Text logs write a plain traceback: a rich one would print each frame's variables, the
    request's Authorization header among them."""
    text = settings.model_copy(update={"log_format": "auto", "environment": "development"})
    logs.configure(text)
    try:
        with TestClient(failing_app) as client:
            key = {"Authorization": f"Bearer {tenant.admin_key}"}
            assert client.get("/api/v1/boom/axle", headers=key).status_code == 500
    finally:
        root = logging.getLogger()
        root.handlers = [h for h in root.handlers if h.name != "stockkeeper"]
        structlog.reset_defaults()
    err = capsys.readouterr().err
    assert "RuntimeError: the axle broke" in err and "Traceback" in err
    assert tenant.admin_key not in err


class _TasksOnly(Worker):
    """A worker whose rounds run its tasks alone (the shared database's events stay put)."""

    def round(self) -> int:
        return sum(task() for task in self.tasks)


def test_a_worker_round_that_did_work_is_one_line(
    database: Database, settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    stop = threading.Event()
    rounds = iter([0, 3])  # an idle round, then one that did three things

    def task() -> int:
        done = next(rounds)
        if done:
            stop.set()
        return done

    worker = _TasksOnly(database, settings.model_copy(update={"worker_poll_seconds": 0.01}))
    worker.tasks = [task]
    with caplog.at_level(logging.INFO, logger="stockkeeper"):
        try:
            worker.run(stop)
        finally:
            worker.close()
    [line] = [r for r in caplog.records if r.getMessage() == "worker round"]
    assert (line.__dict__["work"], line.__dict__["ms"] >= 0) == (3, True)
