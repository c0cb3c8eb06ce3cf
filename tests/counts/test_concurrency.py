"""Clerks counting at once: every scan counts, on both engines."""

from __future__ import annotations

from stockkeeper.core.db import Database
from tests.counts.support import close, counted, open_count, read
from tests.invariants import assert_ledger_consistent
from tests.support import Api, run_together

CLERKS = 6
SCANS = 5


def test_scans_of_one_line_at_once_all_count(api: Api, database: Database) -> None:
    here = api.location()["id"]
    item, other = api.item(), api.item()
    api.adjust(here, (item["id"], 10, 1))
    count_id = open_count(api, here)["id"]
    clerk = api.as_key(api.tenant.clerk_key)

    def work(n: int) -> None:
        for _ in range(SCANS):
            # the same line for everyone, and a line the count finds first (made once)
            counted(clerk, count_id, {"code": item["itemCode"], "add": 1})
            counted(clerk, count_id, {"itemId": other["id"], "add": 1})

    assert run_together(CLERKS, work) == []
    lines = {line["itemId"]: line for line in read(api, count_id)["lines"]}
    assert len(lines) == 2
    assert lines[item["id"]]["counted"] == CLERKS * SCANS
    assert lines[other["id"]]["counted"] == CLERKS * SCANS
    close(api, count_id)
    stock = {row["itemId"]: row["currentStock"] for row in api.stock(locationId=here)}
    assert stock == {item["id"]: CLERKS * SCANS, other["id"]: CLERKS * SCANS}
    assert_ledger_consistent(database, api.tenant.company_id)
