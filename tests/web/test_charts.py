"""Charts drawn on the server: inline SVG with no script, scaled by its viewBox, its labels
escaped, and a table holding the exact figures it draws."""

from __future__ import annotations

from decimal import Decimal

from stockkeeper.web.charts import Chart, Series
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
