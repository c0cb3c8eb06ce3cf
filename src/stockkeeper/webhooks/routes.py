"""``/api/v1/webhooks``: subscriptions, their signing secrets, and their deliveries."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Query, Request

from stockkeeper.api.deps import Admin, ApiRoute, DbSession
from stockkeeper.api.problems import problem_responses
from stockkeeper.api.responses import ExactJSONResponse, ok, ok_all, ok_list
from stockkeeper.catalog.schemas.entities import Deleted
from stockkeeper.core.api_model import Envelope, ListEnvelope, Page
from stockkeeper.core.settings import Settings
from stockkeeper.webhooks import service
from stockkeeper.webhooks.models import WebhookSubscription
from stockkeeper.webhooks.schemas import (
    AttemptRead,
    DeliveryQuery,
    DeliveryRead,
    SecretRotated,
    WebhookCreated,
    WebhookRead,
    WebhookWrite,
)

router = APIRouter(prefix="/api/v1/webhooks", tags=["Webhooks"], route_class=ApiRoute)

_SIGNING = (
    "Deliveries follow the Standard Webhooks specification: a JSON body `{id, event, "
    "createdAt, data: {object}}` (the object in the shape the API returns for it) and the "
    "headers `webhook-id` (the event id, the same on every attempt), `webhook-timestamp` and "
    "`webhook-signature`. Failed attempts are retried after about 5 s, 5 min, 30 min, 2 h, "
    "5 h, 10 h and 10 h; a 410 answer switches the subscription off. URLs on loopback, "
    "private or link-local addresses are refused (422)."
)


def _settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def _read(subscription: WebhookSubscription) -> WebhookRead:
    return WebhookRead.model_validate(subscription)


def _delivery(view: service.DeliveryView) -> DeliveryRead:
    d = view.delivery
    return DeliveryRead(
        id=d.id,
        event_id=d.event_id,
        event=d.event,
        status=d.status,
        attempt_count=d.attempts,
        next_attempt_at=d.next_attempt_at,
        last_status_code=d.last_status_code,
        created_at=d.created_at,
        finished_at=d.finished_at,
        attempts=[AttemptRead.model_validate(a) for a in view.attempts],
    )


@router.post(
    "",
    status_code=201,
    response_model=Envelope[WebhookCreated],
    responses=problem_responses(),
    description="Subscribes a URL to events. The signing `secret` is in this response only. "
    + _SIGNING,
)
def create_webhook(
    request: Request, session: DbSession, actor: Admin, body: WebhookWrite
) -> ExactJSONResponse:
    subscription = service.create(
        session,
        actor,
        body.model_dump(),
        allow_private=_settings(request).webhook_allow_private,
    )
    read = WebhookCreated.model_validate(subscription)
    return ok(read, 201)


@router.get("", response_model=Envelope[list[WebhookRead]], responses=problem_responses())
def list_webhooks(session: DbSession, actor: Admin) -> ExactJSONResponse:
    return ok_all([_read(s) for s in service.list_all(session, actor)])


@router.get("/{webhook_id}", response_model=Envelope[WebhookRead], responses=problem_responses(404))
def get_webhook(session: DbSession, actor: Admin, webhook_id: str) -> ExactJSONResponse:
    return ok(_read(service.get(session, actor, webhook_id)))


@router.put(
    "/{webhook_id}",
    response_model=Envelope[WebhookRead],
    responses=problem_responses(404, 409),
    description="Replaces URL, events, description and `active`; `active: true` switches a "
    "subscription on again after a 410.",
)
def update_webhook(
    request: Request, session: DbSession, actor: Admin, webhook_id: str, body: WebhookWrite
) -> ExactJSONResponse:
    subscription = service.replace(
        session,
        actor,
        webhook_id,
        body.model_dump(),
        allow_private=_settings(request).webhook_allow_private,
    )
    return ok(_read(subscription))


@router.delete(
    "/{webhook_id}", response_model=Envelope[Deleted], responses=problem_responses(404, 409)
)
def delete_webhook(session: DbSession, actor: Admin, webhook_id: str) -> ExactJSONResponse:
    service.delete(session, actor, webhook_id)
    return ok(Deleted(id=webhook_id, deleted=True))


@router.post(
    "/{webhook_id}/rotate-secret",
    response_model=Envelope[SecretRotated],
    responses=problem_responses(404),
    description="A new signing secret, in this response only. Until `previousSecretExpiresAt` "
    "(24 hours by default) every delivery carries a signature by each secret, so receivers "
    "can switch over without missing one.",
)
def rotate_secret(
    request: Request, session: DbSession, actor: Admin, webhook_id: str
) -> ExactJSONResponse:
    grace = timedelta(hours=_settings(request).webhook_secret_grace_hours)
    subscription = service.rotate_secret(session, actor, webhook_id, grace=grace)
    assert subscription.previous_secret_expires_at is not None
    return ok(
        SecretRotated(
            secret=subscription.secret,
            previous_secret_expires_at=subscription.previous_secret_expires_at,
        )
    )


@router.get(
    "/{webhook_id}/deliveries",
    response_model=ListEnvelope[DeliveryRead],
    responses=problem_responses(404),
    description="Newest first: every delivery with each attempt's status code and time.",
)
def list_deliveries(
    session: DbSession,
    actor: Admin,
    webhook_id: str,
    query: Annotated[DeliveryQuery, Query()],
) -> ExactJSONResponse:
    views, next_cursor, total = service.list_deliveries(
        session, actor, webhook_id, status=query.status, limit=query.limit, cursor=query.cursor
    )
    return ok_list([_delivery(v) for v in views], Page.of(next_cursor, query.limit, total))


@router.post(
    "/{webhook_id}/deliveries/{delivery_id}/redeliver",
    status_code=202,
    response_model=Envelope[DeliveryRead],
    responses=problem_responses(404, 409),
    description="Sends the delivery's event again, as a new delivery with the same "
    "`webhook-id`, attempted at once.",
)
def redeliver(
    session: DbSession, actor: Admin, webhook_id: str, delivery_id: str
) -> ExactJSONResponse:
    return ok(_delivery(service.redeliver(session, actor, webhook_id, delivery_id)), 202)
