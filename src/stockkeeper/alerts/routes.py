"""``/api/v1/inventory/alerts``: raised alerts, and the rules that say who is told of them."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request

from stockkeeper.alerts import rules, service
from stockkeeper.alerts.models import AlertRule
from stockkeeper.alerts.schemas import (
    AlertQuery,
    AlertRead,
    RuleConditions,
    RuleNotificationsRead,
    RuleRead,
    RuleSaved,
    RuleWrite,
)
from stockkeeper.api.deps import Admin, ApiRoute, Clerk, DbSession, Viewer
from stockkeeper.api.problems import problem_responses
from stockkeeper.api.responses import ExactJSONResponse, ok, ok_all, ok_list
from stockkeeper.catalog.schemas.entities import Deleted
from stockkeeper.core.api_model import Envelope, ListEnvelope, Page

router = APIRouter(prefix="/api/v1/inventory/alerts", tags=["Alerts"], route_class=ApiRoute)

_ALERTS = (
    "Alerts are raised from each item's own thresholds at each warehouse or store, in the "
    "transaction of the movement that crosses them, whether or not a rule exists: "
    "`low_stock` (on hand ≤ minimumStock), `reorder_point` (≤ reorderPoint), `overstock` "
    "(≥ maximumStock), `out_of_stock` (≤ 0), `negative_stock` (< 0); `expiry_warning` "
    "(a batch in stock expiring within the warning window) by a scheduled check. An alert is "
    "raised once when its condition starts to hold and resolved when it stops."
)


def _allow_private(request: Request) -> bool:
    return bool(request.app.state.settings.webhook_allow_private)


def _rule_read(rule: AlertRule, url: str | None) -> RuleRead:
    return RuleRead(
        id=rule.id,
        name=rule.name,
        type=rule.type,
        conditions=RuleConditions(
            categories=rule.categories,
            locations=rule.locations,
            threshold=rule.threshold,
        ),
        notifications=RuleNotificationsRead(
            email=rule.emails,
            webhook=url,
            webhook_id=rule.webhook_id,
            frequency=rule.frequency,
        ),
        active=rule.active,
        created_at=rule.created_at,
        updated_at=rule.updated_at,
    )


def _saved(saved: rules.Saved) -> RuleSaved:
    read = _rule_read(saved.rule, saved.webhook_url)
    return RuleSaved(**read.__dict__, webhook_secret=saved.webhook_secret)


@router.post(
    "/rules",
    status_code=201,
    response_model=Envelope[RuleSaved],
    responses=problem_responses(),
    description="A rule tells the listed email addresses and webhook of the alerts of its "
    "type, filtered by category and location. A webhook is signed like any (see "
    "/api/v1/webhooks); its secret is in this response only. " + _ALERTS,
)
def create_rule(
    request: Request, session: DbSession, actor: Admin, body: RuleWrite
) -> ExactJSONResponse:
    saved = rules.create(session, actor, body.model_dump(), allow_private=_allow_private(request))
    return ok(_saved(saved), 201)


@router.get("/rules", response_model=Envelope[list[RuleRead]], responses=problem_responses())
def list_rules(session: DbSession, actor: Viewer) -> ExactJSONResponse:
    found = rules.list_all(session, actor)
    urls = rules.webhook_urls(session, actor, found)
    return ok_all([_rule_read(rule, urls.get(rule.id)) for rule in found])


@router.get("/rules/{rule_id}", response_model=Envelope[RuleRead], responses=problem_responses(404))
def get_rule(session: DbSession, actor: Viewer, rule_id: str) -> ExactJSONResponse:
    rule = rules.get(session, actor, rule_id)
    return ok(_rule_read(rule, rules.webhook_urls(session, actor, [rule]).get(rule.id)))


@router.put(
    "/rules/{rule_id}",
    response_model=Envelope[RuleSaved],
    responses=problem_responses(404),
    description="Replaces the rule. Its webhook keeps its secret while the rule has a webhook "
    "URL; `webhookSecret` is set when this request added the webhook.",
)
def update_rule(
    request: Request, session: DbSession, actor: Admin, rule_id: str, body: RuleWrite
) -> ExactJSONResponse:
    saved = rules.replace(
        session, actor, rule_id, body.model_dump(), allow_private=_allow_private(request)
    )
    return ok(_saved(saved))


@router.delete(
    "/rules/{rule_id}", response_model=Envelope[Deleted], responses=problem_responses(404)
)
def delete_rule(session: DbSession, actor: Admin, rule_id: str) -> ExactJSONResponse:
    rules.delete(session, actor, rule_id)
    return ok(Deleted(id=rule_id, deleted=True))


@router.get(
    "",
    response_model=ListEnvelope[AlertRead],
    responses=problem_responses(),
    description="Raised alerts, newest first. " + _ALERTS,
)
def list_alerts(
    session: DbSession, actor: Viewer, query: Annotated[AlertQuery, Query()]
) -> ExactJSONResponse:
    filters = service.AlertFilters(
        type=query.type, status=query.status, location_id=query.location_id, item_id=query.item_id
    )
    found, next_cursor, total = service.list_alerts(
        session, actor, filters=filters, limit=query.limit, cursor=query.cursor
    )
    return ok_list(found, Page.of(next_cursor, query.limit, total))


@router.get("/{alert_id}", response_model=Envelope[AlertRead], responses=problem_responses(404))
def get_alert(session: DbSession, actor: Viewer, alert_id: str) -> ExactJSONResponse:
    alert = service.get(session, actor, alert_id)
    return ok(service.reads(session, actor.company_id, [alert])[0])


@router.post(
    "/{alert_id}/acknowledge",
    response_model=Envelope[AlertRead],
    responses=problem_responses(404),
    description="Marks the alert seen: an open alert becomes `acknowledged` until it "
    "resolves. Acknowledging again changes nothing.",
)
def acknowledge(session: DbSession, actor: Clerk, alert_id: str) -> ExactJSONResponse:
    alert = service.acknowledge(session, actor, alert_id)
    return ok(service.reads(session, actor.company_id, [alert])[0])
