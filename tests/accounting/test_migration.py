"""Companies made before the chart of accounts get the standard accounts, rates and
defaults when the database is migrated."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import select, text

from stockkeeper.accounting.models import Account, AccountingDefaults, TaxRate
from stockkeeper.core.db import Database
from stockkeeper.core.migrate import upgrade
from stockkeeper.core.settings import Settings
from tests.accounting.test_accounts import STANDARD


@contextmanager
def _migrated_over_an_older_company(tmp_path: Path, revision: str) -> Iterator[Database]:
    """A database at ``revision`` holding one company, ``comp_old``, then migrated to the
    head."""
    settings = Settings(environment="test", database_url=f"sqlite:///{tmp_path / 'm.db'}")
    upgrade(settings, revision)
    database = Database(settings)
    try:
        with database.unit_of_work() as session:
            # the company row as the older revision has it (the model has later columns)
            session.execute(
                text(
                    "INSERT INTO company (id, name, currency, timezone, allow_negative_stock, "
                    "costing_method, numbering_formats, created_at, updated_at) VALUES "
                    "('comp_old', 'Older', 'MYR', 'UTC', false, 'fifo', '{}', :now, :now)"
                ),
                {"now": "2026-01-05 09:00:00"},
            )
        upgrade(settings)
        yield database
    finally:
        database.dispose()


def test_existing_companies_are_given_the_standard_accounts_and_rates(tmp_path: Path) -> None:
    with (
        _migrated_over_an_older_company(tmp_path, "0017") as database,
        database.unit_of_work() as session,
    ):
        accounts = session.scalars(select(Account).order_by(Account.code)).all()
        rates = {r.code: r for r in session.scalars(select(TaxRate))}
    assert [(a.company_id, a.code, a.name, a.type) for a in accounts] == [
        ("comp_old", *standard) for standard in STANDARD
    ]
    assert sorted(rates) == ["EXEMPT", "SST", "ZERO"]
    assert rates["SST"].effective_rate == 10
    assert rates["EXEMPT"].components == []


def test_existing_companies_are_given_the_standard_defaults(tmp_path: Path) -> None:
    with (
        _migrated_over_an_older_company(tmp_path, "0018") as database,
        database.unit_of_work() as session,
    ):
        (row,) = session.scalars(select(AccountingDefaults)).all()
    assert (row.company_id, row.grni_account_id) == ("comp_old", "acc_grni")
    assert (row.sales_tax_code, row.purchase_tax_code) == ("SST", "SST")
