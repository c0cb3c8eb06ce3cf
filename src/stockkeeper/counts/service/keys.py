"""Where a count line counts: item (and variant) x bin x batch x serial at the count's
location, joined into the line's key; batches and serials by their numbers, since that is
how clerks name them (a batch first found by the count has no id yet)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from stockkeeper.core.ids import new_id
from stockkeeper.counts.models import StockCount, StockCountLine
from stockkeeper.stock.models import Batch, SerialNumber


@dataclass(frozen=True)
class Place:
    item_id: str
    variant_id: str | None = None
    bin_id: str | None = None
    batch_number: str | None = None
    serial_number: str | None = None

    @property
    def key(self) -> str:
        parts = (self.item_id, self.variant_id, self.bin_id, self.batch_number, self.serial_number)
        return "|".join(part or "" for part in parts)


def place_of(line: StockCountLine) -> Place:
    return Place(line.item_id, line.variant_id, line.bin_id, line.batch_number, line.serial_number)


@dataclass(frozen=True)
class Numbers:
    batches: dict[str, str]  # batch id -> its number
    serials: dict[str, str]  # serial id -> its number


def lot_numbers(
    session: Session, company_id: str, batch_ids: set[str], serial_ids: set[str]
) -> Numbers:
    """The numbers of these batches and serials: a query for each kind named."""
    batches: dict[str, str] = {}
    serials: dict[str, str] = {}
    if batch_ids:
        batches = dict(
            session.execute(
                select(Batch.id, Batch.batch_number).where(
                    Batch.company_id == company_id, Batch.id.in_(batch_ids)
                )
            ).all()
        )
    if serial_ids:
        serials = dict(
            session.execute(
                select(SerialNumber.id, SerialNumber.serial_number).where(
                    SerialNumber.company_id == company_id, SerialNumber.id.in_(serial_ids)
                )
            ).all()
        )
    return Numbers(batches, serials)


def new_line(
    count: StockCount,
    position: int,
    place: Place,
    batch_id: str | None,
    *,
    expected: Decimal = Decimal(0),
    in_snapshot: bool = True,
    counted: Decimal | None = None,
    counted_by: str | None = None,
    counted_at: datetime | None = None,
) -> StockCountLine:
    return StockCountLine(
        company_id=count.company_id,
        id=new_id("cntline"),
        count_id=count.id,
        position=position,
        line_key=place.key,
        item_id=place.item_id,
        variant_id=place.variant_id,
        bin_id=place.bin_id,
        batch_id=batch_id,
        batch_number=place.batch_number,
        serial_number=place.serial_number,
        expected=expected,
        in_snapshot=in_snapshot,
        counted=counted,
        counted_by=counted_by,
        counted_at=counted_at,
        recount=False,
    )
