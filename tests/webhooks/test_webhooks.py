"""Webhooks end to end: subscriptions, events written with the work, a real receiver checking
Standard Webhooks signatures with the ``standardwebhooks`` package, retries, 410, rotation,
redelivery, tenancy, and a worker process killed mid-delivery."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from sqlalchemy import func, select
from standardwebhooks import Webhook

from stockkeeper.core.db import Database
from stockkeeper.core.outbox import OutboxEvent
from stockkeeper.core.settings import Settings
from stockkeeper.webhooks.service.delivery import Worker
from tests.support import Api, make_tenant
from tests.webhooks.receiver import Received, receiving

HOOKS = "/api/v1/webhooks"


@pytest.fixture
def other_api(api: Api, database: Database) -> Api:
    tenant = make_tenant(database)
    return Api(api.client, tenant, tenant.admin_key)


@pytest.fixture
def worker(database: Database, settings: Settings) -> Iterator[Worker]:
    quick = settings.model_copy(update={"webhook_retry_schedule": [0, 0, 0, 0, 0, 0, 0]})
    found = Worker(database, quick)
    yield found
    found.close()


def _until(worker: Worker, done: Callable[[], bool], timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while not done():
        assert time.monotonic() < deadline, "the worker did not get there in time"
        if not worker.round():
            time.sleep(0.02)


def _subscribe(api: Api, url: str, *events: str) -> dict[str, Any]:
    body = {"url": url, "events": list(events or ["inventory.adjustment"])}
    created: dict[str, Any] = api.data(api.post(HOOKS, body), 201)
    return created


def _stocked(api: Api) -> tuple[str, str, dict[str, Any]]:
    location, item = api.location()["id"], api.item()["id"]
    return location, item, api.adjust(location, (item, 5, 2))


def _deliveries(api: Api, hook: dict[str, Any]) -> list[dict[str, Any]]:
    return list(api.data(api.get(f"{HOOKS}/{hook['id']}/deliveries")))


def _status(api: Api, hook: dict[str, Any]) -> str | None:
    """The status of the subscription's first delivery, once there is one."""
    found = _deliveries(api, hook)
    return str(found[-1]["status"]) if found else None


def _verified(secret: str, received: Received) -> Any:
    return Webhook(secret).verify(received.body, received.headers)


def test_subscriptions_show_their_secret_once_and_refuse_unknown_events(api: Api) -> None:
    hook = _subscribe(api, "https://example.com/hooks", "inventory.low_stock")
    assert hook["secret"].startswith("whsec_") and hook["events"] == ["inventory.low_stock"]
    shown = api.data(api.get(f"{HOOKS}/{hook['id']}"))
    assert "secret" not in shown and shown["url"] == "https://example.com/hooks"
    changed = api.data(
        api.put(
            f"{HOOKS}/{hook['id']}",
            {"url": "https://example.com/v2", "events": ["inventory.transfer"], "active": False},
        )
    )
    assert (changed["url"], changed["events"], changed["active"]) == (
        "https://example.com/v2",
        ["inventory.transfer"],
        False,
    )
    assert [h["id"] for h in api.data(api.get(HOOKS))] == [hook["id"]]
    wrong = api.post(HOOKS, {"url": "https://example.com/h", "events": ["inventory.nothing"]})
    assert wrong.status_code == 422 and wrong.json()["errors"][0]["field"] == "events.0"
    assert api.data(api.delete(f"{HOOKS}/{hook['id']}"))["deleted"] is True
    assert api.get(f"{HOOKS}/{hook['id']}").status_code == 404


def test_private_targets_are_refused_at_registration_and_at_send_time(
    api: Api, database: Database, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    with receiving() as receiver:
        hook = _subscribe(api, receiver.url)  # allowed while the tests allow loopback
        monkeypatch.setattr(settings, "webhook_allow_private", False)
        for url in ("http://127.0.0.1:9/h", "http://localhost/h", "http://10.1.2.3/h"):
            refused = api.post(HOOKS, {"url": url, "events": ["inventory.adjustment"]})
            assert refused.status_code == 422, url
            assert refused.json()["code"] == "webhook_url_refused"
        strict = Worker(database, settings)
        try:
            _stocked(api)
            _until(strict, lambda: any(d["attemptCount"] for d in _deliveries(api, hook)))
        finally:
            strict.close()
        attempt = _deliveries(api, hook)[0]["attempts"][0]
        assert attempt["statusCode"] is None and "not a public address" in attempt["error"]
        assert receiver.received == []


def test_a_failing_receiver_gets_the_same_signed_event_until_it_succeeds(
    api: Api, worker: Worker
) -> None:
    with receiving(answers=[500, 500, 500]) as receiver:
        hook = _subscribe(api, receiver.url)
        _, _, adjustment = _stocked(api)
        _until(worker, lambda: _status(api, hook) == "succeeded")
    requests = receiver.received
    assert [r.answered for r in requests] == [500, 500, 500, 200]
    assert len({r.headers["webhook-id"] for r in requests}) == 1
    message = _verified(hook["secret"], requests[-1])
    assert message["event"] == "inventory.adjustment"
    assert message["id"] == requests[0].headers["webhook-id"]
    assert message["data"]["object"] == api.data(
        api.get(f"/api/v1/inventory/adjustments/{adjustment['id']}")
    )
    [delivery] = _deliveries(api, hook)
    assert delivery["eventId"] == message["id"] and delivery["attemptCount"] == 4
    assert [a["statusCode"] for a in delivery["attempts"]] == [500, 500, 500, 200]


def test_retries_run_out_and_a_410_switches_the_subscription_off(api: Api, worker: Worker) -> None:
    with receiving(answers=[503] * 8) as failing, receiving(answers=[410]) as gone:
        tired = _subscribe(api, failing.url)
        leaving = _subscribe(api, gone.url)
        _stocked(api)
        _until(
            worker,
            lambda: _status(api, tired) == "failed" and _status(api, leaving) == "failed",
        )
    assert _deliveries(api, tired)[0]["attemptCount"] == 8  # the first and seven retries
    assert len(gone.received) == 1
    switched = api.data(api.get(f"{HOOKS}/{leaving['id']}"))
    assert switched["active"] is False and "410" in switched["disabledReason"]


def test_a_rotated_secret_signs_beside_the_old_one_and_redelivery_keeps_the_id(
    api: Api, worker: Worker
) -> None:
    with receiving() as receiver:
        hook = _subscribe(api, receiver.url)
        rotated = api.data(api.post(f"{HOOKS}/{hook['id']}/rotate-secret"))
        assert rotated["secret"] != hook["secret"] and rotated["previousSecretExpiresAt"]
        _stocked(api)
        [first] = _delivered(worker, receiver, 1)
        _verified(hook["secret"], first)
        _verified(rotated["secret"], first)
        [delivery] = _deliveries(api, hook)
        again = api.post(f"{HOOKS}/{hook['id']}/deliveries/{delivery['id']}/redeliver")
        assert again.status_code == 202 and again.json()["data"]["eventId"] == delivery["eventId"]
        second = _delivered(worker, receiver, 2)[1]
    assert second.headers["webhook-id"] == first.headers["webhook-id"]
    assert len(_deliveries(api, hook)) == 2


def _delivered(worker: Worker, receiver: Any, count: int) -> list[Received]:
    _until(worker, lambda: len(receiver.received) >= count)
    return list(receiver.received)


def test_a_request_that_fails_announces_nothing(api: Api, database: Database) -> None:
    location, item = api.location()["id"], api.item()["id"]
    before = _events(database, api.tenant.company_id)
    short = api.post(
        "/api/v1/inventory/adjustments",
        {
            "reason": "damaged",
            "locationId": location,
            "items": [{"itemId": item, "adjustmentQuantity": -3}],
        },
    )
    assert short.status_code == 409
    assert _events(database, api.tenant.company_id) == before
    api.adjust(location, (item, 5, 2))
    assert _events(database, api.tenant.company_id) == before + 2  # the adjustment, its level


def _events(database: Database, company_id: str) -> int:
    with database.unit_of_work(write=False) as session:
        return (
            session.scalar(
                select(func.count())
                .select_from(OutboxEvent)
                .where(OutboxEvent.company_id == company_id)
            )
            or 0
        )


def test_another_company_never_sees_or_receives_this_ones_webhooks(
    api: Api, other_api: Api, worker: Worker
) -> None:
    with receiving() as mine, receiving() as theirs:
        hook = _subscribe(api, mine.url)
        other = _subscribe(other_api, theirs.url)
        _stocked(api)
        _delivered(worker, mine, 1)
        [delivery] = _deliveries(api, hook)
        assert other_api.get(f"{HOOKS}/{hook['id']}").status_code == 404
        assert other_api.get(f"{HOOKS}/{hook['id']}/deliveries").status_code == 404
        stolen = other_api.post(f"{HOOKS}/{other['id']}/deliveries/{delivery['id']}/redeliver")
        assert stolen.status_code == 404
        assert [h["id"] for h in other_api.data(other_api.get(HOOKS))] == [other["id"]]
        worker.round()
    assert theirs.received == []


def test_a_worker_killed_mid_delivery_leaves_it_to_the_next(
    api: Api, database: Database, settings: Settings
) -> None:
    env = os.environ | {
        "STOCKKEEPER_DATABASE_URL": settings.database_url,
        "STOCKKEEPER_WEBHOOK_ALLOW_PRIVATE": "true",
        "STOCKKEEPER_WEBHOOK_RETRY_SCHEDULE": json.dumps([0.1] * 7),
        "STOCKKEEPER_WORKER_LEASE_SECONDS": "1",
        "STOCKKEEPER_WORKER_POLL_SECONDS": "0.05",
    }
    command = [sys.executable, "-m", "stockkeeper", "worker"]
    with receiving(hold_first_seconds=3) as receiver:
        hook = _subscribe(api, receiver.url)
        first = subprocess.Popen(command, env=env, stderr=subprocess.DEVNULL)
        try:
            _stocked(api)  # committed: the event waits in the outbox
            assert receiver.first_arrived.wait(20), "the worker never sent"
        finally:
            first.send_signal(signal.SIGKILL)
            first.wait()
        second = subprocess.Popen(command, env=env, stderr=subprocess.DEVNULL)
        try:
            requests = receiver.wait_for(2)
            deadline = time.monotonic() + 20
            while _status(api, hook) != "succeeded":
                assert time.monotonic() < deadline
                time.sleep(0.05)
        finally:
            second.terminate()
            second.wait(10)
    assert len({r.headers["webhook-id"] for r in requests}) == 1
    assert _deliveries(api, hook)[0]["attempts"][-1]["statusCode"] == 200
