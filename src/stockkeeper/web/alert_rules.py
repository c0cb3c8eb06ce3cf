"""Alert rules, for admins: the rules, a new one, one changed or deleted. A rule tells the
email addresses and the webhook it lists of the alerts of its type, at the locations and in
the categories it names (all, when it names none); a webhook's signing secret is shown once,
when the rule that adds it is saved."""

from __future__ import annotations

import re
from typing import Annotated

from fastapi import Form as FormBody
from fastapi import Request, Response
from pydantic import BaseModel
from sqlalchemy.orm import Session

from stockkeeper.alerts.service import rules
from stockkeeper.alerts.values import AlertType, Frequency, RuleContent, Threshold
from stockkeeper.alerts.views import RuleView
from stockkeeper.catalog.service.categories import list_categories
from stockkeeper.core.settings import Settings
from stockkeeper.tenancy.service import Actor
from stockkeeper.web.alerts import choices
from stockkeeper.web.auth import Admin, DbSession
from stockkeeper.web.forms import Form, Outcome, attempt, parse
from stockkeeper.web.pages import page_router, redirect, render
from stockkeeper.web.stock import places

router = page_router()


class RuleFields(BaseModel):
    """A rule's form as typed: the lists as the selects send them, the addresses as one text
    (separated by commas, spaces or lines)."""

    name: str = ""
    type: str = ""
    threshold: str = ""
    categories: list[str] = []
    locations: list[str] = []
    email: str = ""
    webhook: str = ""
    frequency: str = "immediate"
    active: str = ""

    @classmethod
    def of(cls, view: RuleView) -> RuleFields:
        rule = view.rule
        return cls(
            name=rule.name,
            type=rule.type,
            threshold=rule.threshold,
            categories=rule.categories,
            locations=rule.locations,
            email=", ".join(rule.emails),
            webhook=view.webhook_url or "",
            frequency=rule.frequency,
            active="true" if rule.active else "",
        )

    def texts(self) -> dict[str, str]:
        return {k: v for k, v in self.model_dump().items() if isinstance(v, str)}

    def content(self) -> RuleContent:
        conditions = {
            "categories": self.categories,
            "locations": self.locations,
            "threshold": self.threshold or None,
        }
        notifications = {
            "email": [each for each in re.split(r"[\s,;]+", self.email) if each],
            "webhook": self.webhook.strip() or None,
            "frequency": self.frequency,
        }
        return parse(
            RuleContent,
            {
                "name": self.name,
                "type": self.type,
                "conditions": conditions,
                "notifications": notifications,
                "active": self.active == "true",
            },
        )


Fields = Annotated[RuleFields, FormBody()]


@router.get("/alerts/rules")
def rules_page(request: Request, session: DbSession, visit: Admin) -> Response:
    return render(request, "alerts/rules.html", rules=rules.list_rules(session, visit.actor))


@router.get("/alerts/rules/new")
def new_rule_page(request: Request, session: DbSession, visit: Admin) -> Response:
    fields = RuleFields(active="true")
    return _form(request, session, visit.actor, fields, Outcome(None, Form(fields.texts())))


@router.post("/alerts/rules/new")
def create_rule_action(
    request: Request, session: DbSession, visit: Admin, fields: Fields
) -> Response:
    private = _private(request)
    saved = attempt(
        session,
        fields.texts(),
        lambda: rules.create_rule(
            session, visit.actor, rule=fields.content(), allow_private=private
        ),
    )
    return _saved(request, session, visit.actor, fields, saved)


@router.get("/alerts/rules/{rule_id}")
def rule_page(request: Request, session: DbSession, visit: Admin, rule_id: str) -> Response:
    view = rules.get_rule(session, visit.actor, rule_id=rule_id)
    fields = RuleFields.of(view)
    return _form(request, session, visit.actor, fields, Outcome(view, Form(fields.texts())))


@router.post("/alerts/rules/{rule_id}")
def update_rule_action(
    request: Request, session: DbSession, visit: Admin, rule_id: str, fields: Fields
) -> Response:
    private = _private(request)
    saved = attempt(
        session,
        fields.texts(),
        lambda: rules.update_rule(
            session, visit.actor, rule_id=rule_id, rule=fields.content(), allow_private=private
        ),
    )
    return _saved(request, session, visit.actor, fields, saved, rule_id)


@router.post("/alerts/rules/{rule_id}/delete")
def delete_rule_action(session: DbSession, visit: Admin, rule_id: str) -> Response:
    rules.delete_rule(session, visit.actor, rule_id=rule_id)
    return redirect("/alerts/rules")


def _private(request: Request) -> bool:
    """Whether webhooks may go to private addresses (the deployment's setting)."""
    settings: Settings = request.app.state.settings
    return settings.webhook_allow_private


def _saved(
    request: Request,
    session: Session,
    actor: Actor,
    fields: RuleFields,
    saved: Outcome[RuleView],
    rule_id: str | None = None,
) -> Response:
    """To the rules once saved; the rule's page with its new webhook's secret (shown this
    once); or the form again with the refusal beside its fields."""
    view = saved.result
    if view is not None and view.webhook_secret is None:
        return redirect("/alerts/rules")
    if view is None:
        _by_field(saved.form)
        if rule_id is not None:  # the rule as stored, for the form's address and title
            saved = Outcome(rules.get_rule(session, actor, rule_id=rule_id), saved.form)
        return _form(request, session, actor, fields, saved, status=saved.form.status)
    return _form(request, session, actor, RuleFields.of(view), Outcome(view, Form()))


def _by_field(form: Form) -> None:
    """An error of one address (``notifications.email.2``) shown beside the addresses."""
    for name in list(form.errors):
        if (whole := re.sub(r"\.\d+$", "", name)) != name:
            form.errors.setdefault(whole, []).extend(form.errors.pop(name))


def _form(
    request: Request,
    session: Session,
    actor: Actor,
    fields: RuleFields,
    shown: Outcome[RuleView],
    status: int = 200,
) -> Response:
    return render(
        request,
        "alerts/rule.html",
        status,
        rule=shown.result,
        form=shown.form,
        fields=fields,
        types=choices(AlertType),
        thresholds=choices(Threshold),
        frequencies=choices(Frequency),
        locations=places(session, actor, None).locations,
        categories=[(each.category.id, each.path) for each in list_categories(session, actor)],
    )
