"""Costing snapshots: reports keep them and start from them, and a movement dated in the past
voids them, even one posted while a report was replaying."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import select, update

from stockkeeper.catalog.models import Item
from stockkeeper.core import clock
from stockkeeper.core.db import Database
from stockkeeper.costing.models import CostSnapshot
from stockkeeper.costing.service import snapshots
from tests.support import Api

VALUATION = "/api/v1/inventory/reports/valuation"
TODAY = clock.now().date()  # companies made by the tests keep UTC


@pytest.fixture(autouse=True)
def keep_every_snapshot(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(snapshots, "WORTH_KEEPING", 0)


def _day(days_ago: int) -> str:
    return (TODAY - timedelta(days=days_ago)).isoformat()


def _buy(api: Api, location: str, item: str, quantity: int, cost: int, days_ago: int) -> None:
    api.adjust(location, (item, quantity, cost), date=_day(days_ago), reason="found")


def _fifo(api: Api) -> tuple[Any, Any]:
    summary = api.data(api.get(VALUATION, params={"valuationMethod": "fifo"}))["summary"]
    return summary["totalQuantity"], summary["totalValue"]


def _history(api: Api) -> tuple[str, str]:
    """Buy 10 @ 10 and 10 @ 12, sell 15, buy 10 @ 14: FIFO holds 5 @ 12 and 10 @ 14."""
    location, item = api.location()["id"], api.item()["id"]
    _buy(api, location, item, 10, 10, 100)
    _buy(api, location, item, 10, 12, 90)
    sale = {"locationId": location, "date": _day(80), "items": [{"itemId": item, "quantity": 15}]}
    api.data(api.post("/api/v1/inventory/issues", sale), 201)
    _buy(api, location, item, 10, 14, 1)
    return location, item


def _kept(database: Database, item: str) -> dict[date, tuple[bool, int]]:
    with database.unit_of_work(write=False) as session:
        s = CostSnapshot
        rows = session.execute(
            select(s.as_of, s.rolling, s.revision).where(s.item_id == item, s.method == "fifo")
        )
        return {day: (rolling, revision) for day, rolling, revision in rows}


def _revision(database: Database, item: str) -> int:
    with database.unit_of_work(write=False) as session:
        return session.scalars(select(Item.cost_revision).where(Item.id == item)).one()


def _month_end_before(day: date) -> date:
    return day - timedelta(days=day.day) if (day + timedelta(days=1)).month == day.month else day


def test_a_report_keeps_snapshots_and_the_next_one_starts_from_them(
    api: Api, database: Database
) -> None:
    _, item = _history(api)
    assert _fifo(api) == (15, 5 * 12 + 10 * 14)
    settled = TODAY - timedelta(days=2)
    kept = _kept(database, item)
    expected = {_month_end_before(settled): False}
    if settled not in expected:
        expected[settled] = True  # the rolling snapshot
    assert {day: rolling for day, (rolling, _) in kept.items()} == expected
    # the next report reads the latest snapshot: a book made up there shows through
    with database.unit_of_work() as session:
        session.execute(
            update(CostSnapshot)
            .where(CostSnapshot.item_id == item, CostSnapshot.as_of == max(kept))
            .values(state=f"\t*\t0\t0\n\t{api.location()['id']}\t1\t99\t990")
        )
    assert _fifo(api)[0] == 99 + 10  # and the receipt of yesterday on top


def test_a_backdated_movement_voids_the_snapshots_and_one_of_today_does_not(
    api: Api, database: Database
) -> None:
    location, item = _history(api)
    _fifo(api)
    revision = _revision(database, item)
    _buy(api, location, item, 1, 20, 0)  # dated today
    assert _revision(database, item) == revision
    assert _fifo(api) == (16, 5 * 12 + 10 * 14 + 20)
    _buy(api, location, item, 10, 6, 110)  # found late: the oldest, sold first under FIFO
    assert _revision(database, item) == revision + 1
    assert _fifo(api) == (26, 5 * 10 + 10 * 12 + 10 * 14 + 20)
    assert {revision for _, revision in _kept(database, item).values()} == {revision + 1}


def test_a_backdated_posting_during_a_replay_leaves_its_snapshot_void(
    api: Api, database: Database
) -> None:
    location, item = _history(api)
    with database.unit_of_work(write=False) as session:
        revisions = {item: _revision(database, item)}
        replaying = snapshots.replays(
            session, api.tenant.company_id, revisions, "fifo", TODAY, today=TODAY
        )
        first = next(replaying)  # its movements are read
        _buy(api, location, item, 10, 6, 110)  # meanwhile, a late receipt is posted
        assert [e.day for e in first.events] == [TODAY - timedelta(days=1)]
        list(replaying)  # ends the replay, which saves the books it took
    assert {revision for _, revision in _kept(database, item).values()} == {
        revisions[item]
    }  # saved with the revision read before the movements
    assert _fifo(api) == (25, 5 * 10 + 10 * 12 + 10 * 14)  # so it is not used


def test_the_rolling_snapshot_moves_on_with_the_days(api: Api, database: Database) -> None:
    _, item = _history(api)
    _fifo(api)
    ahead = (
        40 if _month_end_before(TODAY + timedelta(days=38)) != TODAY + timedelta(days=38) else 41
    )
    with clock.moved(timedelta(days=ahead)):
        assert _fifo(api) == (15, 5 * 12 + 10 * 14)
    settled = TODAY + timedelta(days=ahead - 2)
    kept = _kept(database, item)
    assert [day for day, (rolling, _) in kept.items() if rolling] == [settled]  # the old one went
    assert _month_end_before(settled) in kept
