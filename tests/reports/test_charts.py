"""Server-drawn SVG bar charts and their table (lms.reports.charts, lms.reports.chart_svg,
reports/_chart.html)."""

import itertools
import math
import re
import xml.etree.ElementTree as ET
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from lms.reports.chart_svg import PALETTE, bar_chart_svg
from lms.reports.charts import Chart, Series, Unit, format_value, nice_step, nice_ticks
from lms.reports.dashboard import amount_of_learners, amount_of_processes

SVG = "{http://www.w3.org/2000/svg}"
TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
HOSTILE = "<script>alert('x')</script> & \"friends\""


@pytest.fixture(autouse=True)
def clean_database():
    """Pure functions and a bare Jinja environment: override the suite's per-test
    database reset, so these tests need no app."""
    return


PROCESSES = Unit("processes", amount_of_processes)
LEARNERS = Unit("learners", amount_of_learners)
HOURS = Unit("hours", lambda value: f"{format_value(value)} hours")


def harm_chart(**options):
    return Chart("Processes by harm", ("Violence", "Bullying", "Theft"),
                 (Series("Processes", (42, 30, 48)),), unit=PROCESSES, **options)


def by_type_chart(**options):
    return Chart("Processes by type", ("Formal conference", "Mediation"),
                 (Series("Direct", (10, 4)), Series("Indirect", (6, 0)),
                  Series("Shuttle", (2, 3))), unit=PROCESSES, **options)


def xml(text):
    """Parse markup this project generated itself (not untrusted input)."""
    return ET.fromstring(str(text))  # noqa: S314


def parse(chart, **options):
    return xml(bar_chart_svg(chart, **options))


def elements(root, tag, cls):
    return [e for e in root.iter(SVG + tag) if e.get("class") == cls]


def bars(root):
    return [{name: float(e.get(name)) for name in ("x", "y", "width", "height")}
            for e in elements(root, "rect", "bar")]


def texts(root, cls):
    return [e.text for e in elements(root, "text", cls)]


def view_box(root):
    return [float(n) for n in root.get("viewBox").split()]


# --- the root element ------------------------------------------------------------------

def test_root_is_an_accessible_scalable_image():
    root = parse(harm_chart())
    assert root.tag == SVG + "svg"
    assert root.get("role") == "img"
    assert root.get("width") == "100%"
    assert root.get("height") is None  # the viewBox's proportions decide it
    assert root.get("preserveAspectRatio") == "xMidYMid meet"
    x, y, width, height = view_box(root)
    assert (x, y, width) == (0, 0, 640)
    assert height > 100
    title_id, desc_id = root.get("aria-labelledby").split()
    title, desc = root[0], root[1]
    assert (title.tag, title.get("id"), title.text) == (SVG + "title", title_id,
                                                         "Processes by harm")
    assert (desc.tag, desc.get("id")) == (SVG + "desc", desc_id)


def test_width_sets_the_view_box_and_too_narrow_is_refused():
    assert view_box(parse(harm_chart(), width=900))[2] == 900
    with pytest.raises(ValueError, match="width"):
        bar_chart_svg(harm_chart(), width=100)


def test_output_is_markup_and_deterministic_with_ids_unique_per_chart():
    first, again = bar_chart_svg(harm_chart()), bar_chart_svg(harm_chart())
    assert isinstance(first, Markup)
    assert first == again
    other = parse(harm_chart(horizontal=True))
    assert parse(harm_chart()).get("aria-labelledby") != other.get("aria-labelledby")


# --- the description -------------------------------------------------------------------

@pytest.mark.parametrize(("chart", "expected"), [
    (harm_chart(), "Highest: Theft, 48 processes. Total 120 processes."),
    (Chart("Ties", ("A", "B", "C"), (Series("n", (5, 2, 5)),)),
     "Highest: A and C, 5. Total 12."),
    (Chart("Many ties", tuple("ABCDE"), (Series("n", (1, 1, 1, 1, 1)),)),
     "Highest: A, B, C and 2 more, 1. Total 5."),
    (by_type_chart(), "Highest: Formal conference (Direct), 10 processes. Total 25 processes."),
    (by_type_chart(stacked=True),
     "Highest total: Formal conference, 18 processes. Total 25 processes."),
    (Chart("Zeros", ("A", "B"), (Series("n", (0, 0)),), unit=LEARNERS),
     "All values are 0 learners."),
    (Chart("Nothing", (), (Series("n", ()),)), "No data to show."),
    (Chart("No series", ("A",), ()), "No data to show."),
    (Chart("Fractions", ("A", "B"), (Series("Hours", (1.5, 2.25)),), unit=HOURS),
     "Highest: B, 2.25 hours. Total 3.75 hours."),
    (Chart("One", ("A", "B"), (Series("n", (1, 0)),), unit=PROCESSES),
     "Highest: A, 1 process. Total 1 process."),
    (Chart("One learner", ("A",), (Series("n", (1,)),), unit=LEARNERS),
     "Highest: A, 1 learner. Total 1 learner."),
])
def test_description_summarises_the_data(chart, expected):
    assert chart.summary() == expected
    assert parse(chart)[1].text == expected


@pytest.mark.parametrize(("value", "text"), [
    (0, "0"), (-0.0, "0"), (12, "12"), (12.0, "12"), (1234, "1,234"), (2.5, "2.5"), (0.125, "0.12"),
    (10.10, "10.1"), (1_000_000, "1,000,000"),
])
def test_format_value(value, text):
    assert format_value(value) == text


# --- geometry --------------------------------------------------------------------------

def test_vertical_bar_heights_are_proportional_and_share_a_baseline():
    chart = harm_chart()
    drawn = bars(parse(chart))
    assert len(drawn) == 3
    ratios = [b["height"] / v for b, v in zip(drawn, chart.series[0].values, strict=True)]
    assert max(ratios) - min(ratios) < 0.01
    assert len({round(b["y"] + b["height"], 2) for b in drawn}) == 1
    assert [b["x"] for b in drawn] == sorted(b["x"] for b in drawn)


def test_horizontal_bar_widths_are_proportional_and_share_an_axis():
    chart = harm_chart(horizontal=True)
    drawn = bars(parse(chart))
    ratios = [b["width"] / v for b, v in zip(drawn, chart.series[0].values, strict=True)]
    assert max(ratios) - min(ratios) < 0.01
    assert len({b["x"] for b in drawn}) == 1
    assert [b["y"] for b in drawn] == sorted(b["y"] for b in drawn)


def test_axis_maximum_is_the_top_tick():
    root = parse(harm_chart())
    baseline = bars(root)[0]["y"] + bars(root)[0]["height"]
    grid_ys = sorted(float(e.get("y1")) for e in elements(root, "line", "grid"))
    top_tick_height = baseline - grid_ys[0]
    assert texts(root, "tick") == ["0", "10", "20", "30", "40", "50"]
    assert bars(root)[2]["height"] == pytest.approx(top_tick_height * 48 / 50, abs=0.02)


def test_grouped_bars_sit_side_by_side_in_series_order():
    chart = by_type_chart()
    drawn = bars(parse(chart))
    assert len(drawn) == 6
    first_group = drawn[:3]
    for left, right in itertools.pairwise(first_group):
        assert right["x"] == pytest.approx(left["x"] + left["width"], abs=0.02)
    heights = [b["height"] for b in first_group]
    assert heights[0] / 10 == pytest.approx(heights[1] / 6, abs=0.01)
    assert heights[0] / 10 == pytest.approx(heights[2] / 2, abs=0.01)
    assert drawn[4]["height"] == 0  # Mediation, Indirect


@pytest.mark.parametrize("horizontal", [False, True])
def test_stacked_segments_touch_and_stack_totals_are_proportional(horizontal):
    chart = by_type_chart(stacked=True, horizontal=horizontal)
    root = parse(chart)
    drawn = bars(root)
    length, start = ("width", "x") if horizontal else ("height", "y")
    stacks = [drawn[0:3], drawn[3:6]]
    for stack in stacks:
        assert len({b["x" if not horizontal else "y"] for b in stack}) == 1
        for below, above in itertools.pairwise(stack):
            if horizontal:
                assert above[start] == pytest.approx(below[start] + below[length], abs=0.02)
            else:
                assert above[start] + above[length] == pytest.approx(below[start], abs=0.02)
    totals = [sum(b[length] for b in stack) for stack in stacks]
    assert totals[0] / 18 == pytest.approx(totals[1] / 7, abs=0.01)
    assert texts(root, "value") == ["18", "7"]  # one label per stack: its total


def test_every_bar_has_a_value_label_and_a_tooltip():
    root = parse(by_type_chart())
    assert texts(root, "value") == ["10", "6", "2", "4", "0", "3"]
    tooltips = [e.find(SVG + "title").text for e in elements(root, "rect", "bar")]
    assert tooltips[0] == "Formal conference, Direct: 10 processes"


def test_legend_only_for_several_series_and_in_series_order():
    root = parse(by_type_chart())
    assert texts(root, "legend") == ["Direct", "Indirect", "Shuttle"]
    assert len(elements(root, "rect", "swatch")) == 3
    assert elements(parse(harm_chart()), "rect", "swatch") == []
    assert texts(parse(harm_chart()), "legend") == []


def test_long_series_names_are_shortened_in_the_legend():
    name = "Formal conferences with both parties present in the same room"
    root = parse(Chart("Long", ("A",), (Series(name, (1,)), Series("Short", (2,)))))
    first = elements(root, "text", "legend")[0]
    assert first.text.endswith("\u2026")
    assert len(first.text) == 32
    assert first.find(SVG + "title").text == name


def test_series_are_told_apart_by_colour_lightness_and_pattern():
    root = parse(by_type_chart())
    swatches = [e.get("fill") for e in elements(root, "rect", "swatch")]
    assert swatches[0] == PALETTE[0]
    pattern_ids = {p.get("id") for p in root.iter(SVG + "pattern")}
    for fill in swatches[1:]:
        assert re.fullmatch(r"url\(#(.+)\)", fill).group(1) in pattern_ids
    assert len(set(swatches)) == 3
    bar_fills = [e.get("fill") for e in elements(root, "rect", "bar")]
    assert bar_fills[:3] == swatches


def lightness(colour):
    """CIE L* of an sRGB colour."""
    channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    return 116 * y ** (1 / 3) - 16


def test_palette_neighbours_differ_in_lightness():
    okabe_ito = {"#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7"}
    assert set(PALETTE) <= okabe_ito
    for a, b in zip(PALETTE, PALETTE[1:] + PALETTE[:1], strict=True):
        assert abs(lightness(a) - lightness(b)) >= 8, (a, b)


# --- ticks -----------------------------------------------------------------------------

@pytest.mark.parametrize(("maximum", "whole", "ticks"), [
    (42, True, (0, 10, 20, 30, 40, 50)),
    (50, True, (0, 10, 20, 30, 40, 50)),
    (7, True, (0, 2, 4, 6, 8)),
    (3, True, (0, 1, 2, 3)),
    (1, True, (0, 1)),
    (1, False, (0, 0.2, 0.4, 0.6, 0.8, 1)),
    (0.35, False, (0, 0.1, 0.2, 0.3, 0.4)),
    (1234, True, (0, 500, 1000, 1500)),
    (0, True, (0, 1)),
])
def test_nice_ticks(maximum, whole, ticks):
    assert nice_ticks(maximum, whole=whole) == ticks


@given(maximum=st.floats(min_value=1e-3, max_value=1e9, allow_nan=False),
       count=st.integers(min_value=2, max_value=8))
def test_nice_ticks_start_at_zero_and_cover_the_maximum_in_nice_steps(maximum, count):
    ticks = nice_ticks(maximum, count=count)
    assert ticks[0] == 0
    assert ticks[-1] >= maximum
    assert ticks[-2] < maximum  # no wasted interval at the top
    step = ticks[1]
    mantissa = step / 10 ** math.floor(math.log10(step))
    assert round(mantissa, 6) in {1, 2, 5}
    assert all(b - a == pytest.approx(step) for a, b in itertools.pairwise(ticks))
    assert len(ticks) - 1 <= 2.5 * count


@pytest.mark.parametrize(("raw", "step"), [(8.4, 10), (10, 10), (0.06, 0.1), (1.2, 2),
                                           (3, 5), (0.002, 0.002)])
def test_nice_step(raw, step):
    assert nice_step(raw) == step


# --- escaping --------------------------------------------------------------------------

def test_hostile_text_comes_out_inert_and_intact():
    chart = Chart(HOSTILE, (HOSTILE, "Fine"), (Series(HOSTILE, (1, 2)), Series("Other", (3, 4))),
                  unit=Unit(HOSTILE, lambda value: f"{value} {HOSTILE}"))
    for drawn in (chart, replace(chart, horizontal=True), replace(chart, stacked=True)):
        svg = str(bar_chart_svg(drawn))
        assert "<script" not in svg
        assert "&lt;script&gt;" in svg
        root = xml(svg)
        assert root[0].text == HOSTILE
        all_text = ["".join(e.itertext()) for e in root.iter()]
        assert any(HOSTILE in text for text in all_text)


# --- labels ----------------------------------------------------------------------------

@pytest.mark.parametrize("horizontal", [False, True])
def test_long_labels_are_shortened_with_the_full_text_in_a_title(horizontal):
    long_name = "Criminal damage to property belonging to a neighbour"
    chart = Chart("Harm", (long_name, "Theft"), (Series("n", (1, 2)),),
                  horizontal=horizontal)
    labels = elements(parse(chart), "text", "category")
    assert labels[0].text.endswith("\u2026")
    assert long_name.startswith(labels[0].text[:-1])
    assert labels[0].find(SVG + "title").text == long_name
    assert (labels[1].text, labels[1].find(SVG + "title")) == ("Theft", None)


def test_thirty_six_months_thin_out_their_labels_without_overlap():
    months = tuple(f"{m} {2024 + i // 12}" for i, m in
                   enumerate(["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep",
                              "Oct", "Nov", "Dec"] * 3))
    chart = Chart("Processes delivered by month", months,
                  (Series("Processes", tuple(i % 7 for i in range(36))),), unit=PROCESSES)
    root = parse(chart)
    assert len(bars(root)) == 36
    labels = elements(root, "text", "category")
    shown = [e.text for e in labels]
    assert 3 <= len(shown) < 36
    assert shown[0] == "Jan 2024"
    step = months.index(shown[1])
    assert shown == list(months[::step])  # every nth month, in full
    xs = [float(e.get("x")) for e in labels]
    widest = max(len(t) for t in shown) * 7
    assert all(b - a >= widest for a, b in itertools.pairwise(xs))
    width = view_box(root)[2]
    assert all(widest / 2 <= x <= width - widest / 2 for x in xs)


def test_twelve_months_keep_their_labels_whole():
    months = tuple(f"{m} 2026" for m in ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul",
                                         "Aug", "Sep", "Oct", "Nov", "Dec"])
    root = parse(Chart("By month", months, (Series("n", tuple(range(12))),)))
    shown = texts(root, "category")
    assert all(label in months for label in shown)
    assert len(shown) >= 6


def test_narrow_bars_get_upright_value_labels_inside_the_drawing():
    chart = Chart("Many", tuple(f"C{i}" for i in range(40)),
                  (Series("A", tuple(range(100, 140))), Series("B", tuple(range(40)))))
    root = parse(chart)
    values = elements(root, "text", "value")
    assert len(values) == 80
    assert all(e.get("transform", "").startswith("rotate(-90") for e in values)
    tallest = max(values, key=lambda e: float(e.text))
    assert float(tallest.get("y")) - len(tallest.text) * 6.4 > 0


# --- edge cases ------------------------------------------------------------------------

@pytest.mark.parametrize("chart", [
    Chart("Nothing", (), ()),
    Chart("Nothing", (), (Series("n", ()),)),
    Chart("No series", ("A", "B"), ()),
])
def test_no_data_draws_a_message(chart):
    root = parse(chart)
    assert bars(root) == []
    assert "No data to show" in "".join(root.itertext())


@pytest.mark.parametrize("horizontal", [False, True])
def test_all_zeros_draw_flat_bars_on_a_zero_to_one_axis(horizontal):
    root = parse(Chart("Zeros", ("A", "B", "C"), (Series("n", (0, 0, 0)),),
                       horizontal=horizontal))
    assert [b["width" if horizontal else "height"] for b in bars(root)] == [0, 0, 0]
    assert texts(root, "tick") == ["0", "1"]
    assert texts(root, "value") == ["0", "0", "0"]


def test_one_category_is_one_bar_of_sensible_width():
    root = parse(Chart("One", ("Only",), (Series("n", (5,)),)))
    (bar,) = bars(root)
    assert 0 < bar["width"] <= 72
    assert texts(root, "category") == ["Only"]


@pytest.mark.parametrize("bad", [-1, -0.5, math.nan, math.inf])
def test_negative_or_non_finite_values_are_refused(bad):
    with pytest.raises(ValueError, match="not negative"):
        Series("n", (1, bad))


def test_values_must_match_the_categories():
    with pytest.raises(ValueError, match="2 values for 3 categories"):
        Chart("Mismatch", ("A", "B", "C"), (Series("n", (1, 2)),))


def test_lists_are_accepted_and_kept_as_tuples():
    chart = Chart("Lists", ["A", "B"], [Series("n", [1, 2])])
    assert chart.categories == ("A", "B")
    assert chart.series[0].values == (1, 2)
    assert bar_chart_svg(chart) == bar_chart_svg(Chart("Lists", ("A", "B"),
                                                       (Series("n", (1, 2)),)))


# --- the macro -------------------------------------------------------------------------

@pytest.fixture
def render():
    env = Environment(loader=FileSystemLoader(TEMPLATES), undefined=StrictUndefined,
                      autoescape=select_autoescape(), extensions=["jinja2.ext.i18n"])
    env.install_null_translations(newstyle=True)  # English, as the app's gettext gives it
    env.globals["bar_chart_svg"] = bar_chart_svg
    template = env.from_string(
        '{% import "reports/_chart.html" as charts %}{{ charts.chart(c, **options) }}')

    def render(chart, **options):
        return xml(template.render(c=chart, options=options))
    return render


def cells(row):
    return [("".join(cell.itertext())) for cell in row]


def test_macro_shows_the_chart_then_the_same_figures_as_a_table(render):
    chart = by_type_chart(stacked=True)
    figure = render(chart)
    assert (figure.tag, figure.get("class")) == ("figure", "chart")
    svg, table_wrap, caption = list(figure)
    assert svg.tag == SVG + "svg"
    assert caption.tag == "figcaption"
    assert caption.text == chart.summary()
    table = table_wrap.find("table")
    assert table.find("caption").text == "Processes by type"
    assert cells(table.find("thead/tr")) == ["Category", "Direct", "Indirect", "Shuttle",
                                             "Total"]
    assert [cells(tr) for tr in table.findall("tbody/tr")] == [
        ["Formal conference", "10", "6", "2", "18"],
        ["Mediation", "4", "0", "3", "7"],
    ]
    assert cells(table.find("tfoot/tr")) == ["Total", "14", "6", "5", "25"]
    assert texts(svg, "value") == ["18", "7"]  # the chart's labels match the table


def test_macro_with_one_series_has_no_total_column(render):
    table = render(harm_chart(), table_caption="Harm, last 12 months",
                   category_heading="Harm").find("div/table")
    assert table.find("caption").text == "Harm, last 12 months"
    assert cells(table.find("thead/tr")) == ["Harm", "Processes"]
    assert [cells(tr) for tr in table.findall("tbody/tr")] == [
        ["Violence", "42"], ["Bullying", "30"], ["Theft", "48"]]
    assert cells(table.find("tfoot/tr")) == ["Total", "120"]


def test_macro_escapes_hostile_labels(render):
    chart = Chart(HOSTILE, (HOSTILE,), (Series(HOSTILE, (1,)),))
    figure = render(chart)
    table = figure.find("div/table")
    assert table.find("caption").text == HOSTILE
    assert cells(table.find("thead/tr"))[1] == HOSTILE
    assert table.find("tbody/tr/th").text == HOSTILE
    assert figure.find(".//script") is None
    assert figure.find(f".//{SVG}script") is None


def test_macro_with_no_data_has_no_table(render):
    figure = render(Chart("Nothing yet", (), ()))
    assert figure.find("div/table") is None
    assert figure.find("figcaption").text == "No data to show."

