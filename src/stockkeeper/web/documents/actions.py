"""A document's lifecycle actions as buttons: those its view allows (``allowedActions``, or a
transfer's ``allowedStatuses``) that the visitor's role may use. Each button is a POST form
to ``<document's path>/<action>``, whose page checks the role again (``require``) and calls
the use case the API's action route calls."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from stockkeeper.core.errors import NotFound
from stockkeeper.tenancy.service import Actor, Role, authorize


@dataclass(frozen=True)
class Action:
    """``name`` is the workflow's move; ``needs`` the role its API route needs; ``link`` an
    action that opens a page (edit) rather than posting; ``asks`` a text the action takes
    (a rejection's reason), as (field name, label)."""

    name: str
    label: str
    needs: Role = Role.clerk
    style: str = ""
    link: bool = False
    asks: tuple[str, str] | None = None


def buttons(actions: Sequence[Action], allowed: Sequence[str], role: Role) -> list[Action]:
    """The actions the document's status allows and the role may use, in ``actions``' order."""
    return [a for a in actions if a.name in allowed and role >= a.needs]


def require(actions: Sequence[Action], name: str, actor: Actor) -> Action:
    """The action named in a posted path, if the actor's role may use it (403 otherwise); a
    name that is no action of the document is a 404."""
    for action in actions:
        if action.name == name and not action.link:
            authorize(actor, action.needs)
            return action
    raise NotFound("action", name)
