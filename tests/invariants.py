"""The ledger's invariants, asserted after every test that posts."""

from __future__ import annotations

from stockkeeper.core.db import Database
from stockkeeper.stock.check import check_ledger


def assert_ledger_consistent(database: Database, company_id: str) -> None:
    """Levels equal the replay of the movements, every item sums to zero over all locations,
    and nothing is below zero where negative stock is not allowed."""
    with database.unit_of_work(write=False) as session:
        problems = check_ledger(session, company_id)
    assert problems == [], "\n".join(problems)
