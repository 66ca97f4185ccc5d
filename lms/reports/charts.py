"""What a bar chart shows: categories, one or more series of figures and their unit, as
plain values that templates/reports/_chart.html sets out as a table and
lms.reports.chart_svg draws as SVG. Words are in the request's language; a figure with its
unit in words comes from the chart's Unit, so each language gets its own plural forms
("1 process", "2 processes"). Axis ticks are chosen here too (nice_ticks)."""

import math
from collections.abc import Callable
from dataclasses import dataclass, field

from lms.i18n import gettext as _
from lms.i18n import ngettext


@dataclass(frozen=True)
class Unit:
    """What a chart's figures count. `label` stands beside the value axis ("processes");
    `amount` gives a figure with its unit in words ("1 process", "48 processes"), through
    ngettext, so that each language gets its plural forms right."""
    label: str
    amount: Callable[[float], str] = field(repr=False, compare=False)


@dataclass(frozen=True)
class Series:
    label: str
    values: tuple[float, ...]

    def __post_init__(self):
        object.__setattr__(self, "values", tuple(self.values))
        for value in self.values:
            # A negative bar would need an axis below zero; counts never go negative, so
            # a negative value is a bug upstream and clamping it would hide that.
            if not math.isfinite(value) or value < 0:
                raise ValueError(
                    f"{self.label!r}: bar values must be finite and not negative, got {value!r}")


@dataclass(frozen=True)
class Chart:
    title: str
    categories: tuple[str, ...]
    series: tuple[Series, ...]
    unit: Unit | None = None
    stacked: bool = False
    horizontal: bool = False

    def __post_init__(self):
        object.__setattr__(self, "categories", tuple(self.categories))
        object.__setattr__(self, "series", tuple(self.series))
        for series in self.series:
            if len(series.values) != len(self.categories):
                raise ValueError(f"{series.label!r} has {len(series.values)} values for "
                                 f"{len(self.categories)} categories")

    @property
    def has_data(self) -> bool:
        return bool(self.categories and self.series)

    def category_totals(self) -> tuple[float, ...]:
        return tuple(math.fsum(s.values[i] for s in self.series)
                     for i in range(len(self.categories)))

    def series_totals(self) -> tuple[float, ...]:
        return tuple(math.fsum(s.values) for s in self.series)

    @property
    def total(self) -> float:
        return math.fsum(self.series_totals())

    def table_rows(self) -> tuple[tuple[str, tuple[str, ...]], ...]:
        """(category, figures) per category: one figure per series, then the category's
        total when there are several series."""
        several = len(self.series) > 1
        rows = []
        for i, (category, total) in enumerate(zip(self.categories, self.category_totals(),
                                                  strict=True)):
            figures = [format_value(s.values[i]) for s in self.series]
            if several:
                figures.append(format_value(total))
            rows.append((category, tuple(figures)))
        return tuple(rows)

    def table_totals(self) -> tuple[str, ...]:
        figures = [format_value(total) for total in self.series_totals()]
        if len(self.series) > 1:
            figures.append(format_value(self.total))
        return tuple(figures)

    def amount(self, value: float) -> str:
        """A figure with its unit in words ("48 processes"), or the bare figure."""
        return self.unit.amount(value) if self.unit else format_value(value)

    def summary(self) -> str:
        """One sentence on the data, e.g. "Highest: Violence, 42 processes. Total 120
        processes." """
        if not self.has_data:
            return _("No data to show.")
        if self.total == 0:
            return _("All values are %(amount)s.", amount=self.amount(0))
        if len(self.series) == 1 or self.stacked:
            totals = self.category_totals()
            peak = max(totals)
            names = [c for c, v in zip(self.categories, totals, strict=True) if v == peak]
            if len(self.series) > 1:
                return _("Highest total: %(names)s, %(amount)s. Total %(total)s.",
                         names=_name_list(names), amount=self.amount(peak),
                         total=self.amount(self.total))
        else:
            peak = max(max(s.values) for s in self.series)
            names = [_("%(category)s (%(series)s)", category=category, series=s.label)
                     for i, category in enumerate(self.categories)
                     for s in self.series if s.values[i] == peak]
        return _("Highest: %(names)s, %(amount)s. Total %(total)s.",
                 names=_name_list(names), amount=self.amount(peak),
                 total=self.amount(self.total))


def format_value(value: float) -> str:
    """12 -> "12", 1234 -> "1,234", 2.5 -> "2.5", 0.128 -> "0.13"."""
    text = f"{value or 0:,.2f}"  # `or 0` turns -0.0 into 0
    return text.rstrip("0").rstrip(".")


def nice_step(raw: float) -> float:
    """The smallest of 1, 2 or 5 times a power of ten that is at least `raw` (> 0)."""
    exponent = math.floor(math.log10(raw))
    for multiple in (1, 2, 5):
        step = round(multiple * 10.0 ** exponent, max(0, -exponent))
        if step >= raw:
            return step
    return round(10.0 ** (exponent + 1), max(0, -exponent - 1))


def nice_ticks(maximum: float, *, count: int = 5, whole: bool = False) -> tuple[float, ...]:
    """Axis ticks from 0 to the first nice number at or above `maximum`, about `count`
    intervals apart; `whole` keeps the step at 1 or more (for counts)."""
    if maximum <= 0:
        return (0.0, 1.0)
    step = nice_step(maximum / count)
    if whole:
        step = max(step, 1.0)
    decimals = max(0, -math.floor(math.log10(step)))
    intervals = math.ceil(maximum / step)
    if round((intervals - 1) * step, decimals) >= maximum:  # division came out a hair high
        intervals -= 1
    return tuple(round(i * step, decimals) for i in range(intervals + 1))


def _name_list(names: list[str]) -> str:
    if len(names) > 3:
        more = len(names) - 3
        return ngettext("%(names)s and %(num)d more", "%(names)s and %(num)d more", more,
                        names=", ".join(names[:3]))
    if len(names) == 1:
        return names[0]
    return _("%(names)s and %(last)s", names=", ".join(names[:-1]), last=names[-1])
