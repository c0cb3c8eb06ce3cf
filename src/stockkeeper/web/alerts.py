"""Alerts: the raised alerts, the open ones first shown (any status by the filter), a page at
a time, each with its item, where, the stock now and the threshold it crossed; clerks and
admins acknowledge an open one."""

from __future__ import annotations

from typing import get_args

from fastapi import Request, Response
from sqlalchemy.orm import Session

from stockkeeper.alerts.service.alerts import acknowledge_alert, list_alerts
from stockkeeper.alerts.values import AlertFilters, AlertStatus, AlertType
from stockkeeper.alerts.views import AlertView
from stockkeeper.core.pagination import Listed
from stockkeeper.tenancy.service import Actor, Role
from stockkeeper.web import nav
from stockkeeper.web.auth import Clerk, DbSession, Viewer
from stockkeeper.web.forms import Outcome, attempt, parse
from stockkeeper.web.item_format import quantity
from stockkeeper.web.listing import PAGE_SIZE, asked, pager
from stockkeeper.web.pages import page_router, redirect, render
from stockkeeper.web.stock import places

router = page_router()
nav.register("Alerts", "/alerts", order=45)

FILTERS = ("status", "type", "location_id")


def choices(kinds: object) -> list[tuple[str, str]]:
    """A select's options of a ``Literal``'s values, written as words."""
    return [(kind, kind.replace("_", " ")) for kind in get_args(kinds)]


@router.get("/alerts")
def alerts_page(request: Request, session: DbSession, visit: Viewer, cursor: str = "") -> Response:
    values = asked(request, FILTERS)
    if "status" not in request.query_params:  # the open ones, unless asked for another
        values["status"] = "open"
    listed = attempt(session, values, lambda: _listed(session, visit.actor, values, cursor))
    return _page(request, session, visit.actor, values, listed)


@router.post("/alerts/{alert_id}/acknowledge")
def acknowledge_action(session: DbSession, visit: Clerk, alert_id: str) -> Response:
    acknowledge_alert(session, visit.actor, alert_id=alert_id)
    return redirect("/alerts")


def _listed(
    session: Session, actor: Actor, values: dict[str, str], cursor: str
) -> Listed[AlertView]:
    filters = parse(AlertFilters, values)
    return list_alerts(session, actor, filters=filters, limit=PAGE_SIZE, cursor=cursor or None)


def _page(
    request: Request,
    session: Session,
    actor: Actor,
    values: dict[str, str],
    listed: Outcome[Listed[AlertView]],
) -> Response:
    page = listed.result
    return render(
        request,
        "alerts/list.html",
        422 if listed.form.failed else 200,
        form=listed.form,
        rows=page.rows if page else None,
        statuses=choices(AlertStatus),
        types=choices(AlertType),
        locations=places(session, actor, None).locations,
        pager=pager("/alerts", values, request.query_params.get("cursor", ""), page),
        can_acknowledge=actor.role >= Role.clerk,
        can_edit_rules=actor.role >= Role.admin,
        quantity=quantity,
    )
