"""Every invariant the stored figures must keep, checked by ``stockkeeper check`` and after
every test that posts: the ledger against its levels, what is on order against the open
purchase order lines, and the journals against the valuation."""

from __future__ import annotations

from sqlalchemy.orm import Session

from stockkeeper.bookkeeping.service.check import check_tie_out
from stockkeeper.cli.progress import Advance, quiet
from stockkeeper.purchasing.service.check import check_on_order
from stockkeeper.stock.service.check import check_ledger


def check_everything(
    session: Session, company_id: str | None = None, advance: Advance = quiet
) -> list[str]:
    """Every difference found, in words; ``advance`` is told of each of the three checks."""
    problems = check_ledger(session, company_id)
    advance(1)
    problems += check_on_order(session, company_id)
    advance(1)
    problems += check_tie_out(session, company_id)
    advance(1)
    return problems
