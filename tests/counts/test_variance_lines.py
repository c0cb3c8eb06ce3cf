"""The adjustment line a variance posts as: copied from one line made past validation, it
is what ``model_construct`` would make of the same values (fields, and which were set)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from types import SimpleNamespace

import pytest

from stockkeeper.adjustments.values import AdjustmentLine
from stockkeeper.counts.service.posting import _line
from stockkeeper.stock.values import BatchInBins


def _row(**given: object) -> SimpleNamespace:
    fields = {
        "item_id": "item_1",
        "variant_id": None,
        "bin_id": None,
        "batch_id": None,
        "batch_number": None,
        "expiry_date": None,
        "serial_number": None,
    }
    return SimpleNamespace(**(fields | given))


@pytest.mark.parametrize(
    ("row", "difference", "batches", "serials"),
    [
        (_row(), Decimal(-1), None, None),
        (_row(variant_id="var_1", bin_id="bin_1"), Decimal("2.5"), None, None),
        (_row(serial_number="SN-9"), Decimal(1), None, ["SN-9"]),
        (
            _row(batch_number="B-1", batch_id="batch_1"),
            Decimal(-3),
            [BatchInBins.model_construct(batch_id="batch_1", quantity=Decimal(3))],
            None,
        ),
        (
            _row(batch_number="B-2"),
            Decimal(4),
            [
                BatchInBins.model_construct(
                    batch_number="B-2", expiry_date=None, quantity=Decimal(4)
                )
            ],
            None,
        ),
        (
            _row(batch_number="B-3", expiry_date=date(2027, 3, 31)),
            Decimal(1),
            [
                BatchInBins.model_construct(
                    batch_number="B-3", expiry_date=date(2027, 3, 31), quantity=Decimal(1)
                )
            ],
            None,
        ),
    ],
)
def test_a_variance_line_is_the_line_model_construct_makes(
    row: SimpleNamespace,
    difference: Decimal,
    batches: list[BatchInBins] | None,
    serials: list[str] | None,
) -> None:
    made = _line(row, difference)
    expected = AdjustmentLine.model_construct(
        item_id=row.item_id,
        variant_id=row.variant_id,
        bin_id=row.bin_id,
        adjustment_quantity=difference,
        batches=batches,
        serial_numbers=serials,
    )
    assert made == expected
    assert made.model_fields_set == expected.model_fields_set
    assert made.model_dump() == expected.model_dump()


def test_variance_lines_share_no_list() -> None:
    first, second = _line(_row(serial_number="A"), Decimal(1)), _line(_row(), Decimal(1))
    assert first.serial_numbers == ["A"] and second.serial_numbers is None
