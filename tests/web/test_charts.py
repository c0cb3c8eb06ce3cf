"""Charts drawn on the server: inline SVG with no script, scaled by its viewBox, its labels
escaped, and a table holding the exact figures it draws."""

from __future__ import annotations

import re
from decimal import Decimal

from stockkeeper.web.charts import Chart, Series, round_axis
from stockkeeper.web.item_format import quantity


def test_a_chart_is_inline_svg_without_script_and_its_table_holds_the_exact_figures() -> None:
    chart = Chart(
        "Value by category",
        "Category",
        ["<script>alert(1)</script>", "Nuts & bolts"],
        [Series("MYR", [Decimal("0.10"), Decimal("1234567.89")])],
        "bar",
    )
    svg = str(chart.svg)
    assert svg.startswith('<svg aria-hidden="true"') and 'viewBox="0 0 640 320"' in svg
    assert "<script" not in svg and "&lt;script&gt;alert(1)&lt;/script&gt;" in svg
    assert "Nuts &amp; bolts" in svg and 'width="' not in svg.split(">", 1)[0]
    assert chart.rows == [("<script>alert(1)</script>", ["0.10"]), ("Nuts & bolts", ["1234567.89"])]


def test_a_series_may_write_its_figures_its_own_way_against_the_right_axis() -> None:
    chart = Chart(
        "Over time",
        "Day",
        ["Oct 2026", "Today"],
        [
            Series("Value", [Decimal(3), Decimal("4.5")]),
            Series("Quantity", [Decimal("1.500"), Decimal(2)], quantity, secondary=True),
        ],
    )
    assert chart.rows == [("Oct 2026", ["3.00", "1.5"]), ("Today", ["4.50", "2"])]
    assert "<svg" in str(chart.svg)
    pie = Chart("Classes", "Class", ["A", "B"], [Series("Value", [Decimal(7), Decimal(3)])], "pie")
    assert "<script" not in str(pie.svg) and pie.rows == [("A", ["7.00"]), ("B", ["3.00"])]


def test_both_axes_step_in_round_numbers() -> None:
    """The right axis's labels sit at the left one's: both take five round steps, so that
    neither shows figures such as 5.714285714."""
    chart = Chart(
        "Over time",
        "Day",
        ["Nov 2026", "Today"],
        [
            Series("Value", [Decimal(0), Decimal(1400)]),
            Series("Quantity", [Decimal(0), Decimal(80)], quantity, secondary=True),
        ],
    )
    texts = re.findall(r"<text[^>]*>([^<]*)</text>", str(chart.svg))
    left = ["0", "300", "600", "900", "1200", "1500"]
    right = ["0", "20", "40", "60", "80", "100"]
    assert [t for t in texts if t in left or t in right] == left + right
    assert not [t for t in texts if "." in t]


def test_an_axis_holds_zero_and_every_figure_in_five_round_steps() -> None:
    def steps(*values: str) -> tuple[Decimal, ...]:
        return round_axis([Decimal(v) for v in values])

    assert steps("109") == tuple(map(Decimal, (0, 125, 25)))
    assert steps("-3.5", "12") == tuple(map(Decimal, (-4, 16, 4)))
    assert steps("1234567.89") == tuple(map(Decimal, (0, 1_250_000, 250_000)))
    assert steps() == tuple(map(Decimal, ("0", "1", "0.2")))
    # below zero the bottom rounds down, which may take a larger step
    for low in range(-20, 0):
        for high in range(0, 100, 7):
            bottom, top, step = steps(str(low), str(high))
            assert bottom <= low and top >= high and top - bottom == 5 * step
    assert steps("-1", "48.5") == tuple(map(Decimal, (-15, 60, 15)))
