"""The reason an adjustment, or one of its lines, gives, filed under a reason of the company's
catalogue: the one it names by its code, or by its code or name in any case (``Damaged``
is ``damaged``). Other words (a Zoho client's reasons are free text) are filed under the
reason ``other`` and kept as they were sent, so that nothing a client says is lost and no
adjustment is refused for its wording. A reason named that is inactive is refused, as it was
before reasons could be words: deactivating one is how a company stops its use."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from sqlalchemy import Select, bindparam, select
from sqlalchemy.orm import Session

from stockkeeper.catalog.models import AdjustmentReason
from stockkeeper.core.db import run
from stockkeeper.core.errors import FieldError, UnknownReference, field_error
from stockkeeper.tenancy.service import Actor

OTHER = "other"


@dataclass(frozen=True)
class Filed:
    """A reason as filed: its code, and the words sent where they named no reason."""

    code: str
    text: str | None = None


def file_reasons(
    session: Session, actor: Actor, sent: dict[str, str], codes: dict[str, str] | None = None
) -> dict[str, Filed]:
    """``sent`` maps a request field to the reason it gives; returns how each is filed, after
    refusing (422 ``unknown_reason``) those that name an inactive reason, and words of one's
    own where the company has deactivated ``other``. ``codes`` maps a field of ``sent`` to
    the exact code it is filed under (sent as ``<field>_id``): refused where no active reason
    has it, its words kept unless they are that reason's code or name."""
    rows = run(session, _catalogue(), {"company": actor.company_id})
    catalogue = [(row.code, row.name, row.is_active) for row in rows]
    filed: dict[str, Filed] = {}
    errors: list[FieldError] = []
    for field, text in sent.items():
        code = (codes or {}).get(field)
        found = _file(text, catalogue) if code is None else _file_under(code, text, catalogue)
        if isinstance(found, Filed):
            filed[field] = found
        else:
            at = field if code is None else f"{field}_id"
            errors.append(field_error(at, found, "unknown_reference"))
    if errors:
        raise UnknownReference("reason", errors)
    return filed


def _file(text: str, catalogue: list[tuple[str, str, bool]]) -> Filed | str:
    """How ``text`` is filed, or why it cannot be: the reason it names, preferring an active
    one, then its exact code, then a code to a name."""
    key = text.casefold()
    named = sorted(
        (not active, code != text, code.casefold() != key, code)
        for code, name, active in catalogue
        if key in (code.casefold(), name.casefold())
    )
    if named:
        inactive, *_, code = named[0]
        return f"no active reason {text!r}" if inactive else Filed(code)
    if any(code == OTHER and active for code, _, active in catalogue):
        return Filed(OTHER, text)
    return f"no reason {text!r}, and the reason {OTHER!r} for other words is inactive"


def _file_under(code: str, text: str, catalogue: list[tuple[str, str, bool]]) -> Filed | str:
    """``text`` filed under the reason whose code is ``code``, or why it cannot be."""
    named = [(name, active) for known, name, active in catalogue if known == code]
    if not named or not named[0][1]:
        return f"no active reason {code!r}"
    plain = text.casefold() in (code.casefold(), named[0][0].casefold())
    return Filed(code, None if plain else text)


@cache
def _catalogue() -> Select[str, str, bool]:
    """Built once: every adjustment files its reasons with it. A company's reasons are a
    short list, read whole so that names match in any case on both engines."""
    r = AdjustmentReason
    return select(r.code, r.name, r.is_active).where(r.company_id == bindparam("company"))
