"""The delivery worker (``stockkeeper worker``; ``stockkeeper serve`` runs one beside the API).

Each round takes one short write transaction, then sends outside any:

1. **Record** the attempts of the previous round, and each delivery's outcome: done on a
   2xx; the subscription switched off on a 410; otherwise retried after the next delay of
   the schedule, and failed when the schedule runs out.
2. **Dispatch**: outbox events not yet dispatched become one delivery per active subscription
   of their company that listens for them, leased to this worker at once (their next
   attempt moved a lease ahead, so that a worker that dies leaves them to another once the
   lease runs out).
3. **Claim**: other due deliveries (retries, redeliveries, alert rules') are leased alike.
4. **Send**: each is POSTed, signed per the Standard Webhooks specification, with the event
   id as ``webhook-id`` on every attempt; the target is checked again after a fresh DNS
   lookup.

Delivery is at least once: a worker killed after sending and before recording sends again
once the lease runs out.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta

import httpx
from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.orm import Session
from standardwebhooks import Webhook

from stockkeeper import __version__
from stockkeeper.core import metrics
from stockkeeper.core.db import Database, table_of
from stockkeeper.core.ids import new_id
from stockkeeper.core.locks import lock_skipping
from stockkeeper.core.outbox import OutboxEvent
from stockkeeper.core.settings import Settings
from stockkeeper.core.types import utcnow
from stockkeeper.webhooks.models import (
    WebhookAttempt,
    WebhookDelivery,
    WebhookSubscription,
    listens,
)
from stockkeeper.webhooks.service import targets
from stockkeeper.webhooks.service.subscriptions import delivery_row, signing_secrets

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

    @classmethod
    def of(
        cls,
        subscription: WebhookSubscription,
        delivery_id: str,
        attempt: int,
        event_id: str,
        message: str,
        now: datetime,
    ) -> Claimed:
        return cls(
            delivery_id,
            subscription.company_id,
            subscription.id,
            attempt,
            event_id,
            message,
            subscription.url,
            signing_secrets(subscription, now),
        )


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
        self._unrecorded: list[Outcome] = []  # attempts made, recorded with the next round

    def close(self) -> None:
        """Records what was sent since the last round, then lets go of the connections."""
        try:
            if self._unrecorded:
                with self.database.unit_of_work() as session:
                    self._record(session, self._unrecorded)
                self._unrecorded = []
        finally:
            self._senders.shutdown()
            self.client.close()

    def run(self, stop: threading.Event) -> None:
        """Rounds until ``stop`` is set, one every poll interval, or at once after a full
        one: work arriving steadily is taken in batches rather than a transaction each."""
        while not stop.is_set():
            began = time.perf_counter()
            try:
                busy = self.round()
            except Exception:  # a bad round must not end the worker: log it and go on
                log.exception("webhook worker round failed")
                busy = 0
            if busy:  # a line per round that did work; idle rounds say nothing
                ms = round((time.perf_counter() - began) * 1000, 1)
                log.info("worker round", extra={"work": busy, "ms": ms})
            if busy < BATCH:
                stop.wait(self.settings.worker_poll_seconds)

    def round(self) -> int:
        """One round; how many attempts, events and deliveries (and the tasks' work) it
        handled."""
        done = sum(task() for task in self.tasks)
        recorded = len(self._unrecorded)
        dispatched, claimed = self.exchange()
        self._unrecorded = list(self._senders.map(self.send, claimed))
        return done + recorded + dispatched + len(claimed)

    def _waiting(self, now: datetime) -> bool:
        """Whether events or due deliveries wait, asked in a read: an idle worker never takes
        the write lock (SQLite has one for the whole database)."""
        d = WebhookDelivery
        with self.database.unit_of_work(write=False) as session:
            return any(
                session.execute(statement.limit(1)).first() is not None
                for statement in (
                    select(OutboxEvent.id).where(OutboxEvent.dispatched.is_(False)),
                    select(d.id).where(d.status == "pending", d.next_attempt_at <= now),
                )
            )

    def exchange(self) -> tuple[int, list[Claimed]]:
        """In one write transaction: records the attempts of the previous round, queues
        undispatched events for their subscriptions and leases the new deliveries at once,
        and leases other due ones (retries, redeliveries, alert rules'). How many events
        were dispatched, and what was claimed."""
        now = utcnow()
        if not self._unrecorded and not self._waiting(now):
            return 0, []
        with self.database.unit_of_work() as session:
            self._record(session, self._unrecorded)
            dispatched, fresh = self._dispatch(session, now)
            claimed = fresh + self._claim(session, now)
        self._unrecorded = []
        return dispatched, claimed

    def _lease(self, now: datetime) -> datetime:
        return now + timedelta(seconds=self.settings.worker_lease_seconds)

    def _dispatch(self, session: Session, now: datetime) -> tuple[int, list[Claimed]]:
        e, s = OutboxEvent, WebhookSubscription
        statement = (
            select(e.company_id, e.id, e.event)
            .where(e.dispatched.is_(False))
            .order_by(e.created_at)
            .limit(BATCH)
        )
        events = lock_skipping(session, statement).all()
        if not events:
            return 0, []
        subscriptions: dict[str, list[WebhookSubscription]] = {}
        for subscription in session.scalars(
            select(s).where(s.company_id.in_({x.company_id for x in events}), s.active.is_(True))
        ):
            subscriptions.setdefault(subscription.company_id, []).append(subscription)
        wanted = [
            (event, subscription)
            for event in events
            for subscription in subscriptions.get(event.company_id, [])
            if listens(subscription, event.event)
        ]
        # read only for the events someone listens to: most companies have no subscriptions
        messages = _messages(session, {event.id for event, _ in wanted})
        rows, claimed = [], []
        for event, subscription in wanted:
            row = delivery_row(event.company_id, subscription.id, event.id, event.event, now)
            row["next_attempt_at"] = self._lease(now)
            rows.append(row)
            claimed.append(
                Claimed.of(subscription, row["id"], 1, event.id, messages[event.id], now)
            )
        if rows:
            session.execute(insert(table_of(WebhookDelivery)), rows)
        session.execute(
            update(e)
            # two lists, not a list of pairs, which SQLite matches by reading the whole table
            .where(
                e.company_id.in_({x.company_id for x in events}), e.id.in_([x.id for x in events])
            )
            .values(dispatched=True)
        )
        return len(events), claimed

    def _claim(self, session: Session, now: datetime) -> list[Claimed]:
        d, s = WebhookDelivery, WebhookSubscription
        statement = (
            select(d)
            .where(d.status == "pending", d.next_attempt_at <= now)
            .order_by(d.next_attempt_at)
            .limit(BATCH)
        )
        due = list(lock_skipping(session, statement, of=d).scalars())
        if not due:
            return []
        found = {
            (x.company_id, x.id): x
            for x in session.scalars(select(s).where(s.id.in_({x.subscription_id for x in due})))
        }
        messages = _messages(session, {x.event_id for x in due})
        claimed = []
        for delivery in due:
            subscription = found.get((delivery.company_id, delivery.subscription_id))
            if subscription is None or not subscription.active:
                delivery.status, delivery.finished_at = "failed", now
                delivery.next_attempt_at = None
                continue
            delivery.next_attempt_at = self._lease(now)
            claimed.append(
                Claimed.of(
                    subscription,
                    delivery.id,
                    delivery.attempts + 1,
                    delivery.event_id,
                    messages[delivery.event_id],
                    now,
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

    def _record(self, session: Session, outcomes: list[Outcome]) -> None:
        """Each attempt, and its delivery's outcome: done on a 2xx, failed on a 410 or when
        the schedule runs out, else due again after the next delay. A delivery changed
        since the claim (another worker took it over) is left alone."""
        if not outcomes:
            return
        session.execute(insert(table_of(WebhookAttempt)), [_attempt_row(o) for o in outcomes])
        now = utcnow()
        deliveries = table_of(WebhookDelivery)
        changes = [self._outcome(o, now) for o in outcomes]
        session.execute(
            update(deliveries).where(
                deliveries.c.company_id == bindparam("b_company"),
                deliveries.c.id == bindparam("b_id"),
                deliveries.c.attempts == bindparam("b_before"),
            ),
            changes,
        )
        metrics.webhook_deliveries(session, (str(change["status"]) for change in changes))
        _switch_off_gone(session, outcomes)

    def _outcome(self, outcome: Outcome, now: datetime) -> dict[str, object]:
        """The delivery's change after the attempt (its key in the ``b_`` parameters)."""
        schedule = self.settings.webhook_retry_schedule
        code, attempt = outcome.status_code, outcome.claimed.attempt
        status, next_attempt_at = "pending", None
        if code is not None and 200 <= code < 300:
            status = "succeeded"
        elif code == 410 or attempt > len(schedule):
            status = "failed"
        else:
            next_attempt_at = outcome.attempted_at + timedelta(seconds=schedule[attempt - 1])
        return {
            "b_company": outcome.claimed.company_id,
            "b_id": outcome.claimed.delivery_id,
            "b_before": attempt - 1,
            "attempts": attempt,
            "last_status_code": code,
            "status": status,
            "next_attempt_at": next_attempt_at,
            "finished_at": None if status == "pending" else now,
        }


def _messages(session: Session, event_ids: set[str]) -> dict[str, str]:
    """The events' messages by id."""
    if not event_ids:
        return {}
    e = OutboxEvent
    rows = session.execute(select(e.id, e.message).where(e.id.in_(event_ids)))
    return {ident: message for ident, message in rows}


def _attempt_row(outcome: Outcome) -> dict[str, object]:
    return {
        "company_id": outcome.claimed.company_id,
        "id": new_id("wha"),
        "delivery_id": outcome.claimed.delivery_id,
        "attempted_at": outcome.attempted_at,
        "status_code": outcome.status_code,
        "error": outcome.error,
        "duration_ms": outcome.duration_ms,
    }


def _switch_off_gone(session: Session, outcomes: list[Outcome]) -> None:
    """A receiver that answered 410 Gone wants no more: its subscription is switched off."""
    s = WebhookSubscription
    for company_id, subscription_id in {
        (o.claimed.company_id, o.claimed.subscription_id) for o in outcomes if o.status_code == 410
    }:
        session.execute(
            update(s)
            .where(s.company_id == company_id, s.id == subscription_id)
            .values(active=False, disabled_reason="the endpoint answered 410 Gone")
        )
