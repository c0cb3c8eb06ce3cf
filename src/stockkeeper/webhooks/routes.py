"""``/api/v1/webhooks``: subscriptions, their signing secrets, and their deliveries."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request

from stockkeeper.api.deps import Admin, ApiRoute, DbSession
from stockkeeper.api.problems import problems
from stockkeeper.api.responses import ExactJSONResponse, ok, ok_all, ok_page
from stockkeeper.catalog.schemas.entities import Deleted
from stockkeeper.core.api_model import Envelope, ListEnvelope
from stockkeeper.core.errors import InvalidCursor, NotFound
from stockkeeper.core.settings import Settings
from stockkeeper.webhooks.errors import WebhookInactive, WebhookManagedByRule, WebhookUrlRefused
from stockkeeper.webhooks.schemas import (
    DeliveryQuery,
    DeliveryRead,
    SecretRotated,
    WebhookCreated,
    WebhookRead,
    WebhookWrite,
)
from stockkeeper.webhooks.service import subscriptions as service
from stockkeeper.webhooks.views import delivery_read, secret_rotated, webhook_created, webhook_read

router = APIRouter(prefix="/api/v1/webhooks", tags=["Webhooks"], route_class=ApiRoute)

_NOT_FOUND = NotFound.code_for("webhook")
_SIGNING = (
    "Deliveries follow the Standard Webhooks specification: a JSON body `{id, event, "
    "createdAt, data: {object}}` (the object in the shape the API returns for it) and the "
    "headers `webhook-id` (the event id, the same on every attempt), `webhook-timestamp` and "
    "`webhook-signature`. Failed attempts are retried after about 5 s, 5 min, 30 min, 2 h, "
    "5 h, 10 h and 10 h; a 410 answer switches the subscription off. URLs on loopback, "
    "private or link-local addresses are refused (422)."
)


async def _settings(request: Request) -> Settings:
    """The settings the application runs with (where webhooks may go, the grace of a
    rotated secret); async, so that reading them costs no trip to a thread."""
    settings: Settings = request.app.state.settings
    return settings


AppSettings = Annotated[Settings, Depends(_settings)]


@router.post(
    "",
    status_code=201,
    response_model=Envelope[WebhookCreated],
    responses=problems(WebhookUrlRefused),
    description="Subscribes a URL to events. The signing `secret` is in this response only. "
    + _SIGNING,
)
def create_webhook(
    session: DbSession, actor: Admin, settings: AppSettings, body: WebhookWrite
) -> ExactJSONResponse:
    subscription = service.create_webhook(
        session, actor, webhook=body, allow_private=settings.webhook_allow_private
    )
    return ok(webhook_created(subscription), 201)


@router.get("", response_model=Envelope[list[WebhookRead]], responses=problems())
def list_webhooks(session: DbSession, actor: Admin) -> ExactJSONResponse:
    return ok_all([webhook_read(s) for s in service.list_webhooks(session, actor)])


@router.get("/{webhook_id}", response_model=Envelope[WebhookRead], responses=problems(_NOT_FOUND))
def get_webhook(session: DbSession, actor: Admin, webhook_id: str) -> ExactJSONResponse:
    return ok(webhook_read(service.get_webhook(session, actor, webhook_id=webhook_id)))


@router.put(
    "/{webhook_id}",
    response_model=Envelope[WebhookRead],
    responses=problems(_NOT_FOUND, WebhookManagedByRule, WebhookUrlRefused),
    description="Replaces URL, events, description and `active`; `active: true` switches a "
    "subscription on again after a 410.",
)
def update_webhook(
    session: DbSession, actor: Admin, settings: AppSettings, webhook_id: str, body: WebhookWrite
) -> ExactJSONResponse:
    subscription = service.update_webhook(
        session,
        actor,
        webhook_id=webhook_id,
        webhook=body,
        allow_private=settings.webhook_allow_private,
    )
    return ok(webhook_read(subscription))


@router.delete(
    "/{webhook_id}",
    response_model=Envelope[Deleted],
    responses=problems(_NOT_FOUND, WebhookManagedByRule),
)
def delete_webhook(session: DbSession, actor: Admin, webhook_id: str) -> ExactJSONResponse:
    service.delete_webhook(session, actor, webhook_id=webhook_id)
    return ok(Deleted(id=webhook_id, deleted=True))


@router.post(
    "/{webhook_id}/rotate-secret",
    response_model=Envelope[SecretRotated],
    responses=problems(_NOT_FOUND),
    description="A new signing secret, in this response only. Until `previousSecretExpiresAt` "
    "(24 hours by default) every delivery carries a signature by each secret, so receivers "
    "can switch over without missing one.",
)
def rotate_secret(
    session: DbSession, actor: Admin, settings: AppSettings, webhook_id: str
) -> ExactJSONResponse:
    grace = timedelta(hours=settings.webhook_secret_grace_hours)
    subscription = service.rotate_secret(session, actor, webhook_id=webhook_id, grace=grace)
    return ok(secret_rotated(subscription))


@router.get(
    "/{webhook_id}/deliveries",
    response_model=ListEnvelope[DeliveryRead],
    responses=problems(_NOT_FOUND, InvalidCursor),
    description="Newest first: every delivery with each attempt's status code and time.",
)
def list_deliveries(
    session: DbSession, actor: Admin, webhook_id: str, query: Annotated[DeliveryQuery, Query()]
) -> ExactJSONResponse:
    page = service.list_deliveries(
        session, actor, webhook_id=webhook_id, filters=query, limit=query.limit, cursor=query.cursor
    )
    return ok_page(page, delivery_read, query.limit)


@router.post(
    "/{webhook_id}/deliveries/{delivery_id}/redeliver",
    status_code=202,
    response_model=Envelope[DeliveryRead],
    responses=problems(_NOT_FOUND, NotFound.code_for("webhook delivery"), WebhookInactive),
    description="Sends the delivery's event again, as a new delivery with the same "
    "`webhook-id`, attempted at once.",
)
def redeliver(
    session: DbSession, actor: Admin, webhook_id: str, delivery_id: str
) -> ExactJSONResponse:
    view = service.redeliver(session, actor, webhook_id=webhook_id, delivery_id=delivery_id)
    return ok(delivery_read(view), 202)
