"""An indicator's progress as an SVG line chart, drawn on the server (matplotlib, no pyplot).

The page shows the same numbers as a table beside the image, so the chart is never the only way
to read them.
"""

from __future__ import annotations

import io
from datetime import timedelta

from django.utils import formats
from django.utils.translation import gettext as _
from matplotlib import dates as mdates
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from suhde.common.formats import extra_format
from suhde.common.numbers import format_decimal
from suhde.common.svg import svg_without_styles

from .models import Indicator

LINE = "#0072B2"
TARGET = "#009E73"
BASELINE = "#6c757d"


def indicator_svg(indicator: Indicator) -> bytes:
    points = list(indicator.progress.all())
    figure = Figure(figsize=(6.4, 3.2), dpi=100)
    axes = figure.add_subplot()
    if points:
        dates = [point.recorded_on for point in points]
        values = [float(point.value) for point in points]
        # matplotlib takes dates through its unit converters; its stubs know only numbers.
        axes.plot(dates, values, marker="o", color=LINE, linewidth=2, label=_("progress"))  # type: ignore[arg-type]
        if (dates[-1] - dates[0]).days < 14:
            # A short span would get hourly ticks; keep a week either side instead.
            axes.set_xlim(dates[0] - timedelta(days=7), dates[-1] + timedelta(days=7))  # type: ignore[arg-type]
        axes.xaxis.set_major_locator(mdates.AutoDateLocator(minticks=2, maxticks=6))
        axes.xaxis.set_major_formatter(FuncFormatter(_date_tick))
        figure.autofmt_xdate()
    if indicator.target is not None:
        axes.axhline(
            float(indicator.target), color=TARGET, linestyle="--", linewidth=1.5, label=_("target")
        )
    if indicator.baseline is not None:
        axes.axhline(
            float(indicator.baseline),
            color=BASELINE,
            linestyle=":",
            linewidth=1.5,
            label=_("baseline"),
        )
    if not points:
        axes.text(0.5, 0.5, _("No progress recorded yet."), ha="center", transform=axes.transAxes)
    axes.yaxis.set_major_formatter(FuncFormatter(_number_tick))
    axes.set_ylabel(indicator.unit or indicator.name)
    axes.spines[["top", "right"]].set_visible(False)
    if axes.get_legend_handles_labels()[0]:
        axes.legend(loc="best", frameon=False)
    figure.tight_layout()
    out = io.BytesIO()
    figure.savefig(out, format="svg", metadata={"Date": None})
    return svg_without_styles(out.getvalue())


def _date_tick(value, _position) -> str:
    """A date on the axis as the reader's language writes it (matplotlib knows only C)."""
    return formats.date_format(mdates.num2date(value).date(), extra_format("CHART_DATE_FORMAT"))


def _number_tick(value, _position) -> str:
    return format_decimal(round(value, 2))
