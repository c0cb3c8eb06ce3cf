"""``/api/v1/inventory/alerts``: raised alerts, and the rules that say who is told of them."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from stockkeeper.alerts.errors import InvalidAlertRule
from stockkeeper.alerts.schemas import AlertQuery, AlertRead, RuleRead, RuleSaved, RuleWrite
from stockkeeper.alerts.service import alerts as service
from stockkeeper.alerts.service import rules
from stockkeeper.alerts.views import alert_read, rule_read, rule_saved
from stockkeeper.api.deps import Admin, ApiRoute, Clerk, DbSession, Viewer
from stockkeeper.api.problems import problems
from stockkeeper.api.responses import ExactJSONResponse, ok, ok_all, ok_page
from stockkeeper.catalog.schemas.entities import Deleted
from stockkeeper.core.api_model import Envelope, ListEnvelope
from stockkeeper.core.errors import InvalidCursor, NotFound
from stockkeeper.webhooks.errors import WebhookUrlRefused
from stockkeeper.webhooks.routes import AppSettings

router = APIRouter(prefix="/api/v1/inventory/alerts", tags=["Alerts"], route_class=ApiRoute)

_RULE_NOT_FOUND = NotFound.code_for("alert rule")
_ALERT_NOT_FOUND = NotFound.code_for("alert")
_ALERTS = (
    "Alerts are raised from each item's own thresholds at each warehouse or store, in the "
    "transaction of the movement that crosses them, whether or not a rule exists: "
    "`low_stock` (on hand ≤ minimumStock), `reorder_point` (≤ reorderPoint), `overstock` "
    "(≥ maximumStock), `out_of_stock` (≤ 0), `negative_stock` (< 0); `expiry_warning` "
    "(a batch in stock expiring within the warning window) by a scheduled check. An alert is "
    "raised once when its condition starts to hold and resolved when it stops."
)


@router.post(
    "/rules",
    status_code=201,
    response_model=Envelope[RuleSaved],
    responses=problems(InvalidAlertRule, WebhookUrlRefused),
    description="A rule tells the listed email addresses and webhook of the alerts of its "
    "type, filtered by category and location. A webhook is signed like any (see "
    "/api/v1/webhooks); its secret is in this response only. " + _ALERTS,
)
def create_rule(
    session: DbSession, actor: Admin, settings: AppSettings, body: RuleWrite
) -> ExactJSONResponse:
    allow_private = settings.webhook_allow_private
    view = rules.create_rule(session, actor, rule=body, allow_private=allow_private)
    return ok(rule_saved(view), 201)


@router.get("/rules", response_model=Envelope[list[RuleRead]], responses=problems())
def list_rules(session: DbSession, actor: Viewer) -> ExactJSONResponse:
    return ok_all([rule_read(view) for view in rules.list_rules(session, actor)])


@router.get(
    "/rules/{rule_id}", response_model=Envelope[RuleRead], responses=problems(_RULE_NOT_FOUND)
)
def get_rule(session: DbSession, actor: Viewer, rule_id: str) -> ExactJSONResponse:
    return ok(rule_read(rules.get_rule(session, actor, rule_id=rule_id)))


@router.put(
    "/rules/{rule_id}",
    response_model=Envelope[RuleSaved],
    responses=problems(_RULE_NOT_FOUND, InvalidAlertRule, WebhookUrlRefused),
    description="Replaces the rule. Its webhook keeps its secret while the rule has a webhook "
    "URL; `webhookSecret` is set when this request added the webhook.",
)
def update_rule(
    session: DbSession, actor: Admin, settings: AppSettings, rule_id: str, body: RuleWrite
) -> ExactJSONResponse:
    allow_private = settings.webhook_allow_private
    view = rules.update_rule(
        session, actor, rule_id=rule_id, rule=body, allow_private=allow_private
    )
    return ok(rule_saved(view))


@router.delete(
    "/rules/{rule_id}", response_model=Envelope[Deleted], responses=problems(_RULE_NOT_FOUND)
)
def delete_rule(session: DbSession, actor: Admin, rule_id: str) -> ExactJSONResponse:
    rules.delete_rule(session, actor, rule_id=rule_id)
    return ok(Deleted(id=rule_id, deleted=True))


@router.get(
    "",
    response_model=ListEnvelope[AlertRead],
    responses=problems(InvalidCursor),
    description="Raised alerts, newest first. " + _ALERTS,
)
def list_alerts(
    session: DbSession, actor: Viewer, query: Annotated[AlertQuery, Query()]
) -> ExactJSONResponse:
    page = service.list_alerts(
        session, actor, filters=query, limit=query.limit, cursor=query.cursor
    )
    return ok_page(page, alert_read, query.limit)


@router.get("/{alert_id}", response_model=Envelope[AlertRead], responses=problems(_ALERT_NOT_FOUND))
def get_alert(session: DbSession, actor: Viewer, alert_id: str) -> ExactJSONResponse:
    return ok(alert_read(service.get_alert(session, actor, alert_id=alert_id)))


@router.post(
    "/{alert_id}/acknowledge",
    response_model=Envelope[AlertRead],
    responses=problems(_ALERT_NOT_FOUND),
    description="Marks the alert seen: an open alert becomes `acknowledged` until it "
    "resolves. Acknowledging again changes nothing.",
)
def acknowledge(session: DbSession, actor: Clerk, alert_id: str) -> ExactJSONResponse:
    return ok(alert_read(service.acknowledge_alert(session, actor, alert_id=alert_id)))
