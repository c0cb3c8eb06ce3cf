"""Numbering sequences: formats, yearly resets, widening, no gaps from failures, no duplicates."""

from __future__ import annotations

import threading
from datetime import date

import pytest

from stockkeeper.core.db import Database
from stockkeeper.core.errors import Invalid
from stockkeeper.core.sequences import next_number, render, validate_template
from tests.support import Tenant


@pytest.mark.parametrize(
    ("template", "counter", "expected"),
    [
        ("IO{YY}{SEQ:2}", 1, "IO2601"),
        ("IO{YY}{SEQ:2}", 100, "IO26100"),
        ("ADJ-{YYYY}-{SEQ:4}", 1, "ADJ-2026-0001"),
        ("CRED{SEQ:3}", 12, "CRED012"),
        ("CRED{SEQ:3}", 1234, "CRED1234"),
    ],
)
def test_render(template: str, counter: int, expected: str) -> None:
    assert render(template, counter, date(2026, 3, 25)) == expected


@pytest.mark.parametrize(
    "template", ["IO", "{SEQ:0}", "A{SEQ:2}{SEQ:2}", "{DD}{SEQ:2}", "A{SEQ:2", "x" * 41]
)
def test_bad_templates_are_refused(template: str) -> None:
    with pytest.raises(Invalid):
        validate_template(template)


def test_yearly_reset_and_plain_counters(database: Database, tenant: Tenant) -> None:
    def take(template: str, day: date, name: str = "purchase_order") -> str:
        with database.unit_of_work() as session:
            return next_number(session, tenant.company_id, name=name, template=template, today=day)

    assert [take("IO{YY}{SEQ:2}", date(2026, 1, 5)) for _ in range(3)] == [
        "IO2601",
        "IO2602",
        "IO2603",
    ]
    assert take("IO{YY}{SEQ:2}", date(2027, 1, 1)) == "IO2701"  # a new series each year
    assert take("IO{YY}{SEQ:2}", date(2026, 12, 31)) == "IO2604"
    assert take("CRED{SEQ:3}", date(2026, 1, 1), "supplier") == "CRED001"
    assert take("CRED{SEQ:3}", date(2027, 1, 1), "supplier") == "CRED002"  # no reset


def test_a_rolled_back_transaction_consumes_no_number(database: Database, tenant: Tenant) -> None:
    day = date(2026, 6, 1)

    def take() -> str:
        return next_number(
            session, tenant.company_id, name="adjustment", template="A{SEQ:2}", today=day
        )

    with database.unit_of_work() as session:
        take()
        session.rollback()  # what a failed request's unit of work does
    with database.unit_of_work() as session:
        assert take() == "A01"


def test_concurrent_use_never_duplicates_or_skips(database: Database, tenant: Tenant) -> None:
    taken: list[str] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def worker() -> None:
        try:
            for _ in range(25):
                with database.unit_of_work() as session:
                    number = next_number(
                        session,
                        tenant.company_id,
                        name="transfer",
                        template="X{SEQ:4}",
                        today=date(2026, 1, 1),
                    )
                with lock:
                    taken.append(number)
        except BaseException as error:  # surfaced below
            errors.append(error)

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(taken) == [f"X{n:04d}" for n in range(1, 201)]
