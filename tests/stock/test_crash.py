"""The real server (its processes, one a core, and the worker beside them) killed with
SIGKILL under a posting load, restarted, clients retrying every unanswered request with its
Idempotency-Key: each request is in the ledger once."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from collections.abc import Iterator

import httpx
import pytest
from sqlalchemy import select

from stockkeeper.core.db import Database
from stockkeeper.stock.models import Movement
from tests.invariants import assert_ledger_consistent
from tests.support import Tenant, make_tenant

CLIENTS, REQUESTS = 4, 60


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    def __init__(self, database_url: str) -> None:
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {**os.environ, "STOCKKEEPER_DATABASE_URL": database_url}
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "stockkeeper", "serve", "--port", str(self.port)],
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,  # a process group: the server's processes die together
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{self.url}/health", timeout=1).status_code == 200:
                    return
            except httpx.TransportError:
                time.sleep(0.1)
        raise RuntimeError("the server did not start")

    def kill(self) -> None:
        """Every process of the server at once, as a power cut would."""
        assert self.process is not None
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()
        deadline = time.monotonic() + 10  # until its children are gone too (or zombies)
        while _group_alive(self.process.pid) and time.monotonic() < deadline:
            time.sleep(0.05)


def _group_alive(group: int) -> bool:
    try:
        os.killpg(group, 0)
    except ProcessLookupError:
        return False
    return True


@pytest.fixture
def server(database_url: str, database: Database) -> Iterator[Server]:
    running = Server(database_url)
    running.start()
    yield running
    if running.process and running.process.poll() is None:
        running.process.terminate()
        running.process.wait()
    if running.process and _group_alive(running.process.pid):
        running.kill()


def _setup(base: str, tenant: Tenant) -> tuple[dict[str, str], str, list[str]]:
    headers = {"Authorization": f"Bearer {tenant.admin_key}", "X-Company-Id": tenant.company_id}
    location = httpx.post(f"{base}/api/v1/locations", json={"name": "WH"}, headers=headers).json()[
        "data"
    ]["id"]
    items = [
        httpx.post(
            f"{base}/api/v1/items",
            json={"itemCode": f"K{n}", "name": "k", "type": "inventory"},
            headers=headers,
        ).json()["data"]["id"]
        for n in range(3)
    ]
    return headers, location, items


def test_sigkill_mid_load_then_retries(server: Server, database: Database) -> None:
    tenant = make_tenant(database)
    headers, location, items = _setup(server.url, tenant)
    answered = Counter[str]()
    replayed: list[str] = []
    lock = threading.Lock()

    def client(n: int) -> None:
        with httpx.Client(base_url=server.url, headers=headers, timeout=10) as http:
            for r in range(REQUESTS):
                reference = f"c{n}-r{r}"
                body = {
                    "reason": "found",
                    "locationId": location,
                    "reference": reference,
                    "items": [
                        {"itemId": items[r % 3], "adjustmentQuantity": 1 + r % 4, "unitCost": 2}
                    ],
                }
                key = str(uuid.uuid4())
                deadline = time.monotonic() + 60
                while time.monotonic() < deadline:  # retry the unanswered request, same key
                    try:
                        response = http.post(
                            "/api/v1/inventory/adjustments",
                            json=body,
                            headers={"Idempotency-Key": key},
                        )
                    except httpx.TransportError:
                        time.sleep(0.1)
                        continue
                    assert response.status_code == 201, response.text
                    with lock:
                        answered[reference] += 1
                        if response.headers.get("Idempotent-Replayed"):
                            replayed.append(reference)
                    break

    threads = [threading.Thread(target=client, args=(n,)) for n in range(CLIENTS)]
    for thread in threads:
        thread.start()
    while sum(answered.values()) < CLIENTS * REQUESTS // 4:
        time.sleep(0.01)
    server.kill()  # in the middle of the load
    time.sleep(0.3)
    server.start()
    for thread in threads:
        thread.join()

    assert len(answered) == CLIENTS * REQUESTS
    with database.unit_of_work(write=False) as session:
        references = Counter(
            session.scalars(
                select(Movement.reference).where(Movement.company_id == tenant.company_id)
            )
        )
    assert references == Counter({ref: 1 for ref in answered})  # each acknowledged once, none twice
    assert_ledger_consistent(database, tenant.company_id)
    result = subprocess.run(
        [sys.executable, "-m", "stockkeeper", "check", "--company", tenant.company_id],
        env=server.env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
