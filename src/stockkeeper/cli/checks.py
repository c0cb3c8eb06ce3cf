"""Every invariant the stored figures must keep, checked by ``stockkeeper check`` and after
every test that posts: the ledger against its levels, and what is on order against the
open purchase order lines."""

from __future__ import annotations

from sqlalchemy.orm import Session

from stockkeeper.cli.progress import Advance, quiet
from stockkeeper.purchasing.service.check import check_on_order
from stockkeeper.stock.service.check import check_ledger


def check_everything(
    session: Session, company_id: str | None = None, advance: Advance = quiet
) -> list[str]:
    """Every difference found, in words; ``advance`` is told of each of the two checks."""
    problems = check_ledger(session, company_id)
    advance(1)
    problems += check_on_order(session, company_id)
    advance(1)
    return problems
