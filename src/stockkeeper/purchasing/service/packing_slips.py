"""Packing slips: storing the one of a received order (``slips.py`` keeps the files), finding
it again, and the ZIP of a year's."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import IO

from sqlalchemy import select
from sqlalchemy.orm import Session

from stockkeeper.catalog.models import Supplier
from stockkeeper.catalog.service.common import rows_by_id
from stockkeeper.core.errors import NotFound
from stockkeeper.purchasing.errors import OrderNotReceived
from stockkeeper.purchasing.kind import PURCHASE_ORDERS, RECEIVED
from stockkeeper.purchasing.models import PurchaseOrder
from stockkeeper.purchasing.service import slips
from stockkeeper.purchasing.service.reads import announce, current
from stockkeeper.purchasing.views import OrderView
from stockkeeper.tenancy.service import Actor, company_today, get_company


@dataclass(frozen=True)
class SlipFile:
    path: Path
    content_type: str


@dataclass(frozen=True)
class SlipArchive:
    """The packing slips of the orders received in ``year``, zipped as they are read."""

    year: int
    chunks: Iterator[bytes]


def attach_packing_slip(
    session: Session, actor: Actor, *, order_id: str, file: IO[bytes], data_dir: Path
) -> OrderView:
    """Stores the packing slip of a received or partially received order, named from the
    order, its supplier and the day it was received, in place of any earlier one."""
    order = PURCHASE_ORDERS.locked(session, actor, order_id)
    if order.status not in RECEIVED:
        raise OrderNotReceived.for_slip(order.status)
    supplier = rows_by_id(session, Supplier, actor.company_id, {order.supplier_id})
    assert order.received_date is not None, "a received order has its date"
    stem = slips.file_stem(
        order.order_number,
        supplier[order.supplier_id].creditor_number,
        order.received_date.strftime("%Y%m%d"),
    )
    earlier = order.packing_slip_file
    name, content_type = slips.store(data_dir, actor.company_id, stem, file)
    order.packing_slip_file, order.packing_slip_type = name, content_type
    PURCHASE_ORDERS.record(session, actor, "packing_slip_stored", order, file=name)
    view = current(session, actor, order)
    if earlier and earlier != name:
        slips.remove(data_dir, actor.company_id, earlier)
    return announce(session, actor, view, change="packing_slip")


def packing_slip_file(session: Session, actor: Actor, *, order_id: str, data_dir: Path) -> SlipFile:
    """The order's packing slip on disk, and its content type."""
    order = PURCHASE_ORDERS.get(session, actor, order_id)
    if order.packing_slip_file is None or order.packing_slip_type is None:
        raise NotFound("packing slip of purchase order", order_id)
    path = slips.path_of(data_dir, actor.company_id, order.packing_slip_file)
    if not path.is_file():
        raise NotFound("packing slip of purchase order", order_id)
    return SlipFile(path, order.packing_slip_type)


def packing_slips_archive(
    session: Session, actor: Actor, *, year: int | None, data_dir: Path
) -> SlipArchive:
    """The ZIP of the packing slips of the orders received in ``year`` (this year if not
    given), read from disk as it is sent."""
    year = year or company_today(get_company(session, actor.company_id)).year
    o = PurchaseOrder
    names = session.scalars(
        select(o.packing_slip_file)
        .where(
            o.company_id == actor.company_id,
            o.deleted_at.is_(None),
            o.packing_slip_file.is_not(None),
            o.received_date >= date(year, 1, 1),
            o.received_date <= date(year, 12, 31),
        )
        .order_by(o.packing_slip_file)
    )
    files = [name for name in names if name is not None]
    return SlipArchive(year, slips.zip_stream(data_dir, actor.company_id, files))
