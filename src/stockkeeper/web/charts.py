"""Charts drawn on the server as SVG (pygal), each shown with a table of the same numbers.

A chart is a figure: the SVG, inline (no script, no request of its own, scaled to its
box by its viewBox), a caption, and a table holding every number the chart draws, for
screen readers and for anyone who wants the exact figure. Figures stay ``Decimal`` until
pygal is handed them (``_plotted``, the one place they become floats, as a drawing needs);
the table shows the decimals themselves."""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_FLOOR, Decimal
from typing import Literal
from xml.etree import ElementTree

import pygal
from markupsafe import Markup
from pygal.style import Style

from stockkeeper.reports.service.valuation import ValuePoint
from stockkeeper.web.item_format import money, quantity

# pygal adds an import hook for its map plugins (we draw no map) of an old kind that Python
# warns about on every import that fails after it; it is taken out again
sys.meta_path[:] = [f for f in sys.meta_path if not isinstance(f, pygal.PluginImportFixer)]

ZERO = Decimal(0)
Kind = Literal["line", "bar", "pie"]
_STYLE = Style(
    background="transparent",
    plot_background="transparent",
    font_family="system-ui, sans-serif",
    foreground="#1f2933",
    foreground_strong="#1f2933",
    foreground_subtle="#9aa5b1",
    colors=("#1f5fa8", "#c05621", "#2f855a", "#805ad5", "#b83280", "#2c7a7b"),
    # the drawing is 640 units wide, shown at half that on a phone: labels of 18 stay legible
    label_font_size=18,
    major_label_font_size=18,
    value_font_size=16,
    legend_font_size=18,
)
_KINDS = {"line": pygal.Line, "bar": pygal.Bar, "pie": pygal.Pie}


@dataclass(frozen=True)
class Series:
    """A line (or the bars) of a chart; ``shown`` writes its figures in the table (the
    chart's way if not given); a ``secondary`` series is drawn against the right axis."""

    name: str
    values: Sequence[Decimal]
    shown: Callable[[Decimal], str] | None = None
    secondary: bool = False


@dataclass(frozen=True)
class Chart:
    """A chart's caption, the heading of its labels' column, its labels (the x axis, or the
    slices of a pie) and its series; ``shown`` writes a figure in the table."""

    caption: str
    heading: str
    labels: Sequence[str]
    series: Sequence[Series]
    kind: Kind = "line"
    shown: Callable[[Decimal], str] = money
    svg: Markup = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "svg", _drawn(self))

    @property
    def rows(self) -> list[tuple[str, list[str]]]:
        """The table's rows: each label with its figure in every series."""
        return [
            (label, [(each.shown or self.shown)(each.values[n]) for each in self.series])
            for n, label in enumerate(self.labels)
        ]


def _plotted(values: Sequence[Decimal]) -> list[float]:
    """The figures as pygal draws them: the only floats of the charts."""
    return [float(value) for value in values]


_STEPS = 5  # of each axis of a line or bar chart
_ROUND = [Decimal(n) for n in ("1", "1.5", "2", "2.5", "3", "4", "5", "6", "8")]


def round_axis(values: Sequence[Decimal]) -> tuple[Decimal, Decimal, Decimal]:
    """The bottom, top and step of an axis of ``_STEPS`` round steps that holds the values
    and zero."""
    low, high = min([*values, ZERO]), max([*values, ZERO])
    if low == high:
        high = low + 1
    power = Decimal(10) ** ((high - low) / _STEPS).adjusted()
    while True:  # the bottom rounded down may take a step more: then a larger power
        for factor in _ROUND:
            step = power * factor
            bottom = (low / step).to_integral_value(ROUND_FLOOR) * step
            if bottom + _STEPS * step >= high:
                return bottom, bottom + _STEPS * step, step
        power *= 10


def _drawn(chart: Chart) -> Markup:
    """The chart as inline SVG, without pygal's script (its tooltips need none to show)."""
    drawing = _KINDS[chart.kind](
        style=_STYLE,
        js=[],
        width=640,
        height=320,
        explicit_size=False,
        disable_xml_declaration=True,
        show_legend=len(chart.series) > 1 or chart.kind == "pie",
        legend_at_bottom=True,
        x_label_rotation=30 if len(chart.labels) > 6 else 0,
        truncate_label=-1,
        print_values=False,
        show_y_guides=True,
        margin=8,
    )
    if chart.kind == "pie":
        for n, label in enumerate(chart.labels):
            drawing.add(label, _plotted([chart.series[0].values[n]]))
    else:
        drawing.x_labels = list(chart.labels)
        for each in chart.series:
            drawing.add(each.name, _plotted(each.values), secondary=each.secondary)
        left = [v for each in chart.series if not each.secondary for v in each.values]
        right = [v for each in chart.series if each.secondary for v in each.values]
        bottom, top, step = round_axis(left)
        drawing.config.range = (float(bottom), float(top))
        drawing.config.y_labels = _plotted([bottom + n * step for n in range(_STEPS + 1)])
        if right:
            # pygal writes the right axis's labels at the left one's: as many round steps
            drawing.config.secondary_range = tuple(_plotted(round_axis(right)[:2]))
    tree = drawing.render_tree()
    for defs in tree.iter("defs"):
        for script in defs.findall("script"):
            defs.remove(script)
    text = ElementTree.tostring(tree, encoding="unicode")
    # a figure's SVG is decorative beside its table: the table is what is read out. Safe to
    # mark so: the serializer escaped every label and name in it
    hidden = text.replace("<svg ", '<svg aria-hidden="true" focusable="false" ', 1)
    return Markup(hidden)  # noqa: S704


def trend_chart(
    points: Sequence[ValuePoint], currency: str, caption: str, *, with_quantity: bool = False
) -> Chart:
    """The value (and the quantity, against the right axis) at each day of ``points``, the
    last one today."""
    labels = [
        "Today" if n == len(points) - 1 else p.day.strftime("%b %Y") for n, p in enumerate(points)
    ]
    series = [Series(f"Value ({currency})", [point.value for point in points])]
    if with_quantity:
        quantities = [point.quantity for point in points]
        series.append(Series("Quantity", quantities, quantity, secondary=True))
    return Chart(caption, "Day", labels, series)
