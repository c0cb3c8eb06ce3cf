"""The scans of a receipt by scanner, grouped into the receipt's lines: one per order line
and bin, with its batches (and their expiry) and the serial numbers scanned."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from stockkeeper.purchasing.service.scanning import receipt_of
from stockkeeper.purchasing.values import ScannedUnit


def _unit(line: str, **more: object) -> ScannedUnit:
    return ScannedUnit.model_validate({"line_id": line, "quantity": "1", **more})


def test_scans_become_a_line_per_order_line_and_bin_with_its_batches() -> None:
    scans = [
        _unit("l1"),
        _unit("l1", quantity="3"),
        _unit("l1", bin_id="b1"),
        _unit("l2", batch="L-1", expiry="2027-06-30"),
        _unit("l2", batch="L-1", expiry="2027-06-30"),
        _unit("l2", batch="L-2"),
        _unit("l3", serial="S-1"),
        _unit("l3", serial="S-2"),
    ]
    lines = [
        (
            line.line_id,
            line.bin_id,
            line.quantity,
            [(b.batch_number, b.quantity, b.expiry_date) for b in line.batches or []],
            list(line.serial_numbers or []),
        )
        for line in receipt_of(scans).items
    ]
    assert lines == [
        ("l1", None, Decimal(4), [], []),
        ("l1", "b1", Decimal(1), [], []),
        (
            "l2",
            None,
            Decimal(3),
            [("L-1", Decimal(2), dt.date(2027, 6, 30)), ("L-2", Decimal(1), None)],
            [],
        ),
        ("l3", None, Decimal(2), [], ["S-1", "S-2"]),
    ]
