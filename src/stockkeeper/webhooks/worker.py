"""The delivery worker (``stockkeeper worker``; ``stockkeeper serve`` runs one beside the API).

Each round, in short transactions of its own:

1. **Dispatch**: outbox events not yet dispatched become one delivery per active subscription
   of their company that listens for them.
2. **Claim**: due deliveries are leased to this worker (their next attempt moved a lease
   ahead, so that a worker that dies leaves them to another once the lease runs out).
3. **Send**: each is POSTed, signed per the Standard Webhooks specification, with the event
   id as ``webhook-id`` on every attempt; the target is checked again after a fresh DNS
   lookup.
4. **Record**: the attempt, and the delivery's outcome: done on a 2xx; the subscription
   switched off on a 410; otherwise retried after the next delay of the schedule, and failed
   when the schedule runs out.

Delivery is at least once: a worker killed after sending and before recording sends again.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import httpx
from sqlalchemy import Select, select, update
from standardwebhooks import Webhook

from stockkeeper import __version__
from stockkeeper.core.db import Database
from stockkeeper.core.ids import new_id
from stockkeeper.core.outbox import OutboxEvent
from stockkeeper.core.settings import Settings
from stockkeeper.core.types import utcnow
from stockkeeper.webhooks import targets
from stockkeeper.webhooks.models import (
    WebhookAttempt,
    WebhookDelivery,
    WebhookSubscription,
    listens,
)
from stockkeeper.webhooks.service import queue, signing_secrets

log = logging.getLogger(__name__)

BATCH = 200
SENDERS = 16  # deliveries sent at once


@dataclass(frozen=True)
class Claimed:
    delivery_id: str
    company_id: str
    subscription_id: str
    attempt: int  # the number this attempt will have
    event_id: str
    message: str
    url: str
    secrets: list[str]


@dataclass(frozen=True)
class Outcome:
    claimed: Claimed
    attempted_at: datetime
    status_code: int | None
    error: str | None
    duration_ms: int


class Worker:
    def __init__(
        self,
        database: Database,
        settings: Settings,
        client: httpx.Client | None = None,
        tasks: list[Callable[[], int]] | None = None,
    ) -> None:
        """``tasks`` run at the start of every round (the alerts' scheduled check and
        emails); each returns how much work it found."""
        self.database = database
        self.settings = settings
        self.tasks = tasks or []
        self.client = client or httpx.Client(
            timeout=settings.webhook_timeout_seconds,
            follow_redirects=False,
            headers={"user-agent": f"Stockkeeper-Webhooks/{__version__}"},
        )
        self._senders = ThreadPoolExecutor(SENDERS, thread_name_prefix="webhook-send")
        self._locking = database.dialect == "postgresql"

    def close(self) -> None:
        self._senders.shutdown()
        self.client.close()

    def run(self, stop: threading.Event) -> None:
        """Rounds until ``stop`` is set; a round that finds work is followed at once by
        another."""
        while not stop.is_set():
            try:
                busy = self.round()
            except Exception:  # a bad round must not end the worker: log it and go on
                log.exception("webhook worker round failed")
                busy = 0
            if not busy:
                stop.wait(self.settings.worker_poll_seconds)

    def round(self) -> int:
        """One round; how many events and deliveries (and the tasks' work) it handled."""
        done = sum(task() for task in self.tasks)
        dispatched = self.dispatch()
        claimed = self.claim()
        if claimed:
            self.record(list(self._senders.map(self.send, claimed)))
        return done + dispatched + len(claimed)

    def _any(self, statement: Select[Any]) -> bool:
        """Whether ``statement`` finds a row, asked in a read: an idle worker never takes
        the write lock (SQLite has one for the whole database)."""
        with self.database.unit_of_work(write=False) as session:
            return session.execute(statement.limit(1)).first() is not None

    def dispatch(self) -> int:
        if not self._any(select(OutboxEvent.id).where(OutboxEvent.dispatched.is_(False))):
            return 0
        with self.database.unit_of_work() as session:
            statement = (
                select(OutboxEvent)
                .where(OutboxEvent.dispatched.is_(False))
                .order_by(OutboxEvent.created_at)
                .limit(BATCH)
            )
            if self._locking:
                statement = statement.with_for_update(skip_locked=True)
            events = list(session.scalars(statement))
            if not events:
                return 0
            subscriptions: dict[str, list[WebhookSubscription]] = {}
            for subscription in session.scalars(
                select(WebhookSubscription).where(
                    WebhookSubscription.company_id.in_({e.company_id for e in events}),
                    WebhookSubscription.active.is_(True),
                )
            ):
                subscriptions.setdefault(subscription.company_id, []).append(subscription)
            for event in events:
                for subscription in subscriptions.get(event.company_id, []):
                    if listens(subscription, event.event):
                        queue(session, event.company_id, subscription.id, event.id, event.event)
                event.dispatched = True
            return len(events)

    def claim(self) -> list[Claimed]:
        now = utcnow()
        d, s, e = WebhookDelivery, WebhookSubscription, OutboxEvent
        if not self._any(select(d.id).where(d.status == "pending", d.next_attempt_at <= now)):
            return []
        with self.database.unit_of_work() as session:
            statement = (
                select(d)
                .where(d.status == "pending", d.next_attempt_at <= now)
                .order_by(d.next_attempt_at)
                .limit(BATCH)
            )
            if self._locking:
                statement = statement.with_for_update(skip_locked=True, of=d)
            due = list(session.scalars(statement))
            if not due:
                return []
            keys = {(x.company_id, x.subscription_id) for x in due}
            found = {
                (x.company_id, x.id): x
                for x in session.scalars(select(s).where(s.id.in_({sub for _, sub in keys})))
            }
            messages = dict(
                session.execute(
                    select(e.id, e.message).where(e.id.in_({x.event_id for x in due}))
                ).all()
            )
            claimed = []
            lease = now + timedelta(seconds=self.settings.worker_lease_seconds)
            for delivery in due:
                subscription = found.get((delivery.company_id, delivery.subscription_id))
                if subscription is None or not subscription.active:
                    delivery.status, delivery.finished_at = "failed", now
                    delivery.next_attempt_at = None
                    continue
                delivery.next_attempt_at = lease
                claimed.append(
                    Claimed(
                        delivery.id,
                        delivery.company_id,
                        delivery.subscription_id,
                        delivery.attempts + 1,
                        delivery.event_id,
                        messages[delivery.event_id],
                        subscription.url,
                        signing_secrets(subscription, now),
                    )
                )
            return claimed

    def send(self, claimed: Claimed) -> Outcome:
        attempted_at = utcnow()
        started = time.perf_counter()
        status_code, error = None, None
        try:
            targets.check(claimed.url, allow_private=self.settings.webhook_allow_private)
            headers = {
                "content-type": "application/json",
                "webhook-id": claimed.event_id,
                "webhook-timestamp": str(int(attempted_at.timestamp())),
                "webhook-signature": " ".join(
                    Webhook(secret).sign(claimed.event_id, attempted_at, claimed.message)
                    for secret in claimed.secrets
                ),
            }
            response = self.client.post(
                claimed.url, content=claimed.message.encode(), headers=headers
            )
            status_code = response.status_code
        except targets.Refused as refused:
            error = f"refused: {refused}"
        except httpx.HTTPError as failure:
            error = f"{type(failure).__name__}: {failure}"[:500]
        duration = int((time.perf_counter() - started) * 1000)
        return Outcome(claimed, attempted_at, status_code, error, duration)

    def record(self, outcomes: list[Outcome]) -> None:
        schedule = self.settings.webhook_retry_schedule
        with self.database.unit_of_work() as session:
            for outcome in outcomes:
                claimed = outcome.claimed
                session.add(
                    WebhookAttempt(
                        company_id=claimed.company_id,
                        id=new_id("wha"),
                        delivery_id=claimed.delivery_id,
                        attempted_at=outcome.attempted_at,
                        status_code=outcome.status_code,
                        error=outcome.error,
                        duration_ms=outcome.duration_ms,
                    )
                )
                code = outcome.status_code
                values: dict[str, object] = {
                    "attempts": claimed.attempt,
                    "last_status_code": code,
                }
                if code is not None and 200 <= code < 300:
                    values |= {"status": "succeeded", "next_attempt_at": None}
                elif code == 410 or claimed.attempt > len(schedule):
                    values |= {"status": "failed", "next_attempt_at": None}
                else:
                    delay = timedelta(seconds=schedule[claimed.attempt - 1])
                    values["next_attempt_at"] = outcome.attempted_at + delay
                if values.get("status"):
                    values["finished_at"] = utcnow()
                d = WebhookDelivery
                session.execute(
                    update(d)
                    .where(
                        d.company_id == claimed.company_id,
                        d.id == claimed.delivery_id,
                        # untouched since the claim (a late worker must not undo another's)
                        d.attempts == claimed.attempt - 1,
                    )
                    .values(**values)
                )
                if code == 410:
                    s = WebhookSubscription
                    session.execute(
                        update(s)
                        .where(s.company_id == claimed.company_id, s.id == claimed.subscription_id)
                        .values(active=False, disabled_reason="the endpoint answered 410 Gone")
                    )
