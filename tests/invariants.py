"""The ledger's invariants, asserted after every test that posts."""

from __future__ import annotations

from stockkeeper.cli.checks import check_everything
from stockkeeper.core.db import Database


def assert_ledger_consistent(database: Database, company_id: str) -> None:
    """Levels equal the replay of the movements, every item sums to zero over all locations,
    nothing is below zero where negative stock is not allowed, what is on order equals the
    open purchase order lines, and the journals tie out with the valuation."""
    with database.unit_of_work(write=False) as session:
        problems = check_everything(session, company_id)
    assert problems == [], "\n".join(problems)
