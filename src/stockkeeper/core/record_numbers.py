"""Record numbers: a stable integer per record and company, for the faces whose clients know
records by integer ids (the smallbiz dialect). A record is numbered the first time a face
shows it, after the highest number of its kind so far, and keeps its number for good; the
number maps back to the record's own id. Numbers of records made later are higher, so a
client that sorts by id sorts by first appearance."""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from typing import Any

from sqlalchemy import Integer, String, UniqueConstraint, bindparam, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from stockkeeper.core.db import Base, company_key, insert_on_conflict, run
from stockkeeper.core.ids import ID_LENGTH
from stockkeeper.core.sequences import SequenceCounter

_CHUNK = 500  # ids per IN list, well under every engine's limit on parameters


class RecordNumber(Base):
    __tablename__ = "record_number"
    __table_args__ = (UniqueConstraint("company_id", "kind", "record_id"),)

    company_id: Mapped[str] = company_key(cascade=True)
    kind: Mapped[str] = mapped_column(String(24), primary_key=True)
    number: Mapped[int] = mapped_column(Integer, primary_key=True)
    record_id: Mapped[str] = mapped_column(String(ID_LENGTH))


def numbers_of(
    session: Session, company_id: str, kind: str, record_ids: Iterable[str]
) -> dict[str, int]:
    """The number of each record (of ``kind``), numbering those shown for the first time."""
    wanted = list(dict.fromkeys(record_ids))
    found = _known(session, company_id, kind, wanted)
    missing = [record_id for record_id in wanted if record_id not in found]
    if missing:
        last = run(
            session,
            _take_many(session.get_bind().dialect.name),
            {"company_id": company_id, "name": f"record:{kind}", "count": len(missing)},
        ).scalar_one()
        first = last - len(missing) + 1
        rows = [
            {"company_id": company_id, "kind": kind, "number": first + n, "record_id": record_id}
            for n, record_id in enumerate(missing)
        ]
        # a record numbered meanwhile by another transaction keeps that number (its counter
        # value here goes unused)
        upsert = insert_on_conflict(session.get_bind().dialect.name, RecordNumber)
        run(session, upsert.on_conflict_do_nothing(), rows)
        found |= _known(session, company_id, kind, missing)
    return found


def number_of(session: Session, company_id: str, kind: str, record_id: str) -> int:
    return numbers_of(session, company_id, kind, [record_id])[record_id]


def record_of(session: Session, company_id: str, kind: str, number: int) -> str | None:
    """The id of the record that ``number`` names, if a face has shown one by it."""
    return session.scalar(
        select(RecordNumber.record_id).where(
            RecordNumber.company_id == company_id,
            RecordNumber.kind == kind,
            RecordNumber.number == number,
        )
    )


def _known(session: Session, company_id: str, kind: str, record_ids: list[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for start in range(0, len(record_ids), _CHUNK):
        rows = session.execute(
            select(RecordNumber.record_id, RecordNumber.number).where(
                RecordNumber.company_id == company_id,
                RecordNumber.kind == kind,
                RecordNumber.record_id.in_(record_ids[start : start + _CHUNK]),
            )
        )
        found.update({record_id: number for record_id, number in rows})
    return found


@cache
def _take_many(dialect: str) -> Any:
    """Moves the kind's counter on by ``count`` and returns its new value."""
    upsert = insert_on_conflict(dialect, SequenceCounter)
    return (
        upsert.values(
            company_id=bindparam("company_id"),
            name=bindparam("name"),
            period="",
            value=bindparam("count", type_=Integer),
        )
        .on_conflict_do_update(
            index_elements=["company_id", "name", "period"],
            set_={"value": SequenceCounter.value + upsert.excluded.value},
        )
        .returning(SequenceCounter.value)
    )
