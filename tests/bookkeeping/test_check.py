"""``stockkeeper check`` ties the journals out with the valuation."""

from __future__ import annotations

from datetime import date

from sqlalchemy import delete, select

from stockkeeper.catalog.models import Item
from stockkeeper.core.db import Database
from stockkeeper.costing.models import CostSnapshot
from stockkeeper.costing.service.snapshots import Anchors
from tests.support import Api
from tests.test_cli import cli_env, run

__all__ = ["cli_env"]


def test_check_finds_a_valuation_the_journals_do_not_hold(
    cli_env: str, api: Api, database: Database
) -> None:
    location, item = api.location()["id"], api.item()["id"]
    api.adjust(location, (item, 5, 2), date="2026-01-10")
    company = api.tenant.company_id
    code, out, _ = run("check", "--company", company)
    assert code == 0 and "the journals tie out" in out
    # a snapshot of the item's costs that says its five are worth 99, not 10
    month_end = Anchors.of(date.today(), date.today()).month_end
    with database.unit_of_work() as session:
        revision = session.scalar(select(Item.cost_revision).where(Item.id == item))
        session.add(
            CostSnapshot(
                company_id=company,
                method="average",
                as_of=month_end,
                item_id=item,
                rolling=False,
                revision=revision,
                state=f"\t*\t5\t10\n\t{location}\t2\t5\t99",
            )
        )
    code, _, err = run("check", "--company", company)
    assert code == 1
    assert f"item {item} at {location} is worth 99.00" in err
    assert "inventory lines add up to 10.00" in err
    with database.unit_of_work() as session:  # put it right, for the run's other checks
        session.execute(delete(CostSnapshot).where(CostSnapshot.company_id == company))
    assert run("check", "--company", company)[0] == 0
