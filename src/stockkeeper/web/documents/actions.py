"""A document's lifecycle actions as buttons: those its view allows the visitor
(``allowedActions``, or a transfer's ``allowedStatuses``: the view of a read lists what the
reader's role may do; the roles of the moves are the document kind's, not the page's). Each
button is a POST form to ``<document's path>/<action>``, whose page checks the role again
(``require``) and calls the use case the API's action route calls."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from stockkeeper.core.errors import NotFound
from stockkeeper.stock.service.documents import DocumentKind
from stockkeeper.tenancy.service import Actor, Role, authorize


@dataclass(frozen=True)
class Action:
    """``name`` is the workflow's move; ``link`` an action that opens a page (edit) rather
    than posting; ``asks`` a text the action takes (a rejection's reason), as (field name,
    label); ``confirm`` a page that asks before the move is made (deleting)."""

    name: str
    label: str
    style: str = ""
    link: bool = False
    asks: tuple[str, str] | None = None
    confirm: bool = False


def buttons(actions: Sequence[Action], allowed: Sequence[str]) -> list[Action]:
    """The actions the view allows its reader, in ``actions``' order."""
    return [a for a in actions if a.name in allowed]


def require(
    actions: Sequence[Action], name: str, actor: Actor, kind: DocumentKind[Any] | None
) -> Action:
    """The action named in a posted path, if the actor's role may use it (the kind's rule;
    without a kind, a clerk's: 403 otherwise); a name that is no action of the document is
    a 404."""
    for action in actions:
        if action.name == name and not action.link:
            if kind is None:
                authorize(actor, Role.clerk)
            else:
                kind.authorize(actor, name)
            return action
    raise NotFound("action", name)
