"""Record numbers: a stable integer per record and company, given the first time a record is
shown, mapped back to the record; several writers numbering at once never share a number."""

from __future__ import annotations

from stockkeeper.core import record_numbers
from stockkeeper.core.db import Database
from stockkeeper.core.errors import Busy
from stockkeeper.core.locks import busy_when_locked
from tests.support import make_tenant, run_together, unique


def _ids(n: int) -> list[str]:
    return [unique("rec") for _ in range(n)]


def test_numbers_are_given_in_order_once_and_map_back(database: Database) -> None:
    company = make_tenant(database).company_id
    first, second = _ids(3), _ids(2)
    with database.unit_of_work() as session:
        given = record_numbers.numbers_of(session, company, "item", first)
    assert sorted(given.values()) == [1, 2, 3]
    assert [given[i] for i in first] == [1, 2, 3]  # in the order shown
    with database.unit_of_work() as session:
        again = record_numbers.numbers_of(session, company, "item", [*second, *first])
        # another kind counts on its own
        other = record_numbers.number_of(session, company, "supplier", first[0])
        assert record_numbers.record_of(session, company, "item", 4) == second[0]
        assert record_numbers.record_of(session, company, "item", 99) is None
    assert {i: again[i] for i in first} == given
    assert [again[i] for i in second] == [4, 5]
    assert other == 1


def test_companies_are_numbered_apart(database: Database) -> None:
    one, two = make_tenant(database).company_id, make_tenant(database).company_id
    record = unique("rec")
    with database.unit_of_work() as session:
        assert record_numbers.number_of(session, one, "item", record) == 1
        assert record_numbers.number_of(session, two, "item", unique("rec")) == 1
        assert record_numbers.record_of(session, two, "item", 1) != record


def test_writers_numbering_at_once_share_no_number(database: Database) -> None:
    company = make_tenant(database).company_id
    shared = _ids(20)  # every writer shows these, and some of its own
    own = [_ids(5) for _ in range(6)]

    def number(n: int) -> None:
        for attempt in range(20):
            try:
                with busy_when_locked(), database.unit_of_work() as session:
                    record_numbers.numbers_of(session, company, "item", [*own[n], *shared])
                return
            except Busy:  # try again, as a client told to retry would
                if attempt == 19:
                    raise

    assert run_together(6, number) == []
    with database.unit_of_work() as session:
        everything = [*shared, *(i for ids in own for i in ids)]
        numbers = record_numbers.numbers_of(session, company, "item", everything)
        assert len(set(numbers.values())) == len(everything)  # one number a record
        for record, given in numbers.items():
            assert record_numbers.record_of(session, company, "item", given) == record
