"""Numbering sequences: per company and name, with or without a yearly reset.

A template holds one ``{SEQ:n}`` (the counter, zero-padded to ``n`` digits and widening past
them) and optionally ``{YYYY}`` or ``{YY}`` (the year; their presence makes the counter
restart every year). ``IO{YY}{SEQ:2}`` gives IO2601, IO2602, ... IO26100; ``ADJ-{YYYY}-{SEQ:4}``
gives ADJ-2026-0001. The counter is taken inside the caller's transaction, so a request that
fails consumes no number and concurrent requests never get the same one.
"""

from __future__ import annotations

import re
from datetime import date
from functools import cache
from typing import Any

from sqlalchemy import ForeignKey, Integer, String, bindparam
from sqlalchemy.orm import Mapped, Session, mapped_column

from stockkeeper.core.db import Base, insert_on_conflict, run
from stockkeeper.core.errors import Invalid
from stockkeeper.core.ids import ID_LENGTH

_TOKEN = re.compile(r"\{([^{}]*)\}")
_SEQ = re.compile(r"SEQ:([1-9])")
# what validate_template takes, as a pattern for the document: text without braces, the year
# tokens, and one {SEQ:n}
_TEXT_OR_YEAR = r"(?:[^{}]|\{YYYY\}|\{YY\})*"
TEMPLATE_PATTERN = rf"^{_TEXT_OR_YEAR}\{{SEQ:[1-9]\}}{_TEXT_OR_YEAR}$"


class SequenceCounter(Base):
    __tablename__ = "sequence_counter"

    company_id: Mapped[str] = mapped_column(
        String(ID_LENGTH), ForeignKey("company.id", ondelete="CASCADE"), primary_key=True
    )
    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    period: Mapped[str] = mapped_column(String(8), primary_key=True)
    value: Mapped[int] = mapped_column(Integer, nullable=False)


class InvalidNumberingFormat(Invalid):
    code = "invalid_numbering_format"
    example = "numbering format 'CRED' must contain exactly one {SEQ:n}"


def validate_template(template: str) -> str:
    """Returns the template, or raises ``InvalidNumberingFormat`` saying what is wrong."""
    tokens = _TOKEN.findall(template)
    seq = [t for t in tokens if _SEQ.fullmatch(t)]
    unknown = [t for t in tokens if t not in ("YYYY", "YY") and not _SEQ.fullmatch(t)]
    stray = _TOKEN.sub("", template)
    if len(seq) != 1 or unknown or "{" in stray or "}" in stray or len(template) > 40:
        raise InvalidNumberingFormat(
            f"numbering format {template!r} must contain exactly one {{SEQ:n}} (n from 1 to 9) "
            "and only the tokens {YYYY} and {YY}, in at most 40 characters"
        )
    return template


def render(template: str, counter: int, today: date) -> str:
    def token(match: re.Match[str]) -> str:
        name = match.group(1)
        if name == "YYYY":
            return f"{today.year:04d}"
        if name == "YY":
            return f"{today.year % 100:02d}"
        width = int(name.removeprefix("SEQ:"))
        return f"{counter:0{width}d}"

    return _TOKEN.sub(token, template)


def next_number(session: Session, company_id: str, *, name: str, template: str, today: date) -> str:
    """Takes the next counter value for ``name`` (in the current transaction) and renders it."""
    return next_numbers(session, company_id, name=name, template=template, today=today)[0]


def next_numbers(
    session: Session, company_id: str, *, name: str, template: str, today: date, count: int = 1
) -> list[str]:
    """Takes the next ``count`` counter values for ``name`` in one statement, rendered."""
    yearly = "{YY}" in template or "{YYYY}" in template
    period = str(today.year) if yearly else ""
    last = run(
        session,
        _take(session.get_bind().dialect.name),
        {"company_id": company_id, "name": name, "period": period, "count": count},
    ).scalar_one()
    return [render(template, counter, today) for counter in range(last - count + 1, last + 1)]


@cache
def _take(dialect: str) -> Any:
    """The counter's upsert, built once per dialect: every numbered document runs it."""
    upsert = insert_on_conflict(dialect, SequenceCounter)
    return (
        upsert.values(
            company_id=bindparam("company_id"),
            name=bindparam("name"),
            period=bindparam("period"),
            value=bindparam("count", type_=Integer()),
        )
        .on_conflict_do_update(
            index_elements=["company_id", "name", "period"],
            set_={"value": SequenceCounter.value + bindparam("count", type_=Integer())},
        )
        .returning(SequenceCounter.value)
    )
