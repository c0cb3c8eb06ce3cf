"""Every invariant the stored figures must keep, checked by ``stockkeeper check`` and after
every test that posts: the ledger against its levels, and what is on order against the
open purchase order lines."""

from __future__ import annotations

from sqlalchemy.orm import Session

from stockkeeper.purchasing.service.check import check_on_order
from stockkeeper.stock.service.check import check_ledger


def check_everything(session: Session, company_id: str | None = None) -> list[str]:
    return check_ledger(session, company_id) + check_on_order(session, company_id)
